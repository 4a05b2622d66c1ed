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
}

extension [Wizard.Binding] {
    /// The name of the key bound to `intent`, for prose such as "ctrl-r retries" (nil when none
    /// is): views name keys from the map, as the key bar does. At a sentence's start a word is
    /// capitalised ("Esc goes back"), a single letter is not ("r makes a new one").
    package func key(_ intent: Wizard.Intent, startingSentence: Bool = false) -> String? {
        guard let name = first(where: { $0.intent == intent })?.name else { return nil }
        return startingSentence && name.count > 1 ? name.prefix(1).uppercased() + name.dropFirst() : name
    }
}
