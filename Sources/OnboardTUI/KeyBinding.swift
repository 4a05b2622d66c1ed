import OnboardCore

/// One entry of the key bar: the key as printed and what it does now.
public struct KeyBinding: Equatable, Sendable {
    public var key: String
    public var label: String
    public init(_ key: String, _ label: String) {
        self.key = key
        self.label = label
    }
}

/// The key bar is built from the bindings that are live for the current page and focus,
/// so it never advertises a key that does nothing.
public enum KeyBar {
    public static func bindings(for state: Wizard.State) -> [KeyBinding] {
        // Locked to an invite, "back" would be the list of other configs: it is "quit" instead.
        let back = state.locked ? "quit" : "back"
        switch state.step {
        case .chooseConfig(let list) where state.locked:
            return list.configs.isFailed ? [KeyBinding("r", "retry"), KeyBinding("esc", "quit")] : [KeyBinding("esc", "quit")]
        case .chooseConfig(let list):
            switch list.configs {
            case .failed: return [KeyBinding("r", "retry"), KeyBinding("esc", "quit")]
            case .idle, .loading: return [KeyBinding("esc", "quit")]
            case .loaded:
                var keys = [KeyBinding("↑↓", "move"), KeyBinding("enter", "choose"), KeyBinding("type", "filter")]
                keys.append(KeyBinding("ctrl-d", list.showDisabled ? "hide disabled" : "show disabled"))
                keys.append(KeyBinding("esc", list.filter.text.isEmpty ? "quit" : "clear filter"))
                return keys
            }
        case .credentials(let form):
            switch form.entries {
            case .failed: return [KeyBinding("r", "retry"), KeyBinding("esc", back)]
            case .idle, .loading: return [KeyBinding("esc", back)]
            case .loaded:
                var keys = [KeyBinding("enter", form.focus == form.inputCount - 1 ? "review" : "next"), KeyBinding("tab", "move")]
                if form.focusedIsSecret { keys.append(KeyBinding("ctrl-r", "reveal")) }
                keys.append(KeyBinding("esc", back))
                return keys
            }
        case .review(let review):
            var keys: [KeyBinding] = []
            if review.canConnect { keys.append(KeyBinding("enter", review.isLink ? "create link" : review.choice == .update ? "update" : "connect")) }
            if !(review.existing.value ?? []).isEmpty { keys += [KeyBinding("a", "add another"), KeyBinding("x", "replace")] }
            if review.updatableAccount != nil { keys.append(KeyBinding("u", "update it")) }
            if review.offersValidation { keys.append(KeyBinding("v", "validate on/off")) }
            keys += [KeyBinding("esc", "edit"), KeyBinding("q", "quit")]
            return keys
        case .connecting:
            return [KeyBinding("ctrl-c", "quit")]
        case .done(let outcome):
            if outcome.succeeded {
                return state.locked ? [KeyBinding("enter", "quit")] : [KeyBinding("enter", "quit"), KeyBinding("n", "connect another")]
            }
            var keys = [KeyBinding("enter", "edit values")]
            if outcome.offersRetry { keys.append(KeyBinding("r", outcome.review.isLink ? "new link" : "try again")) }
            if case .timedOut = outcome.result { keys.append(KeyBinding("w", "keep waiting")) }
            keys.append(KeyBinding("q", "quit"))
            return keys
        case .unsupportedScheme:
            return state.locked ? [KeyBinding("q", "quit")] : [KeyBinding("esc", "back"), KeyBinding("q", "quit")]
        }
    }
}

extension Wizard.CredentialsForm {
    /// Whether the focused input is masked (the reveal key applies).
    public var focusedIsSecret: Bool {
        guard focus > 0, let entries = entries.value, entries.indices.contains(focus - 1) else { return false }
        if case .secret = entries[focus - 1].input { return true }
        return false
    }
}
