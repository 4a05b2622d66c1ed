import OnboardCore

/// One entry of the key bar: the key as printed and what it does now.
package struct KeyBinding: Equatable, Sendable {
    package var key: String
    package var label: String
    package init(_ key: String, _ label: String) {
        self.key = key
        self.label = label
    }
}

/// The key bar prints the shown rows of the page's key map (``Wizard/keyMap(for:)``), so it
/// never advertises a key that does nothing and never names one the reducer does not bind.
package enum KeyBar {
    package static func bindings(for state: Wizard.State) -> [KeyBinding] {
        Wizard.keyMap(for: state).filter(\.isShown).map { KeyBinding($0.name, $0.label) }
    }

    /// The name of the key bound to `intent` now, for prose such as "ctrl-r retries".
    package static func key(for intent: Wizard.Intent, in state: Wizard.State) -> String? {
        Wizard.keyMap(for: state).first { $0.intent == intent }?.name
    }
}
