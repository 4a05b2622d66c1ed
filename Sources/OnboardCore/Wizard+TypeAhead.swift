/// Type-ahead: what a person types while a page is still loading its content is kept for the
/// page it lands on, as a shell keeps what is typed while a command runs.
///
/// Without it the first keys typed the moment "Step 2" shows (fields still on their way) were
/// dropped: a masked key one character short that nobody can see.
extension Wizard {
    /// A key or a paste held until the page can take it.
    package enum HeldInput: Equatable, Sendable {
        case key(Key)
        case paste(String)
    }

    /// How many inputs are held at most; beyond it the oldest are kept and the rest dropped
    /// (a paste is one input, capped on its own at 1 MiB by the front ends).
    package static let typeAheadLimit = 4096

    /// Whether `key` is held instead of reduced now: the page is loading and the key means
    /// nothing yet. A key bound on the loading page (Esc: back or quit) and Ctrl-C act at once.
    static func holds(_ key: Key, in state: State) -> Bool {
        guard state.waitsForContent, key != interruptKey else { return false }
        return !keyMap(for: state).contains { $0.keys.contains(key) }
    }

    /// Keeps one input for the page being loaded.
    static func hold(_ input: HeldInput, in state: inout State) {
        if state.typeAhead.count < typeAheadLimit { state.typeAhead.append(input) }
    }

    /// After a load finished: replays what was held onto the page that landed (which may hold
    /// them again if it loads in turn), or drops them when the load failed or the page left.
    static func releaseTypeAhead(_ state: inout State) -> [Effect] {
        guard !state.typeAhead.isEmpty, !state.waitsForContent else { return [] }
        let held = state.typeAhead
        state.typeAhead = []
        guard state.takesTypeAhead else { return [] }
        var effects: [Effect] = []
        for input in held {
            switch input {
            case .key(let key): effects += reduce(&state, .keyPressed(key))
            case .paste(let text): effects += reduce(&state, .pasted(text))
            }
        }
        // The typing paused while the page loaded: masked lengths catch up now.
        return effects + reduce(&state, .typingPaused)
    }
}

extension Wizard.State {
    /// The page showing is waiting for the content keys are meant for: the list of configs
    /// (or, with a preset config, the page of the list that holds it), or the form's fields.
    package var waitsForContent: Bool {
        switch step {
        case .configList(let list): list.configs == .loading || (presetAuthConfigId != nil && list.pendingCursor != nil)
        case .credentials(let form): form.entries == .loading
        case .keyPrompt, .review, .connecting, .outcome, .unsupportedScheme: false
        }
    }

    /// The page showing takes typed keys: a loaded list to filter (not locked to an invite) or a
    /// loaded form. A page that failed to load does not: a held key could mean "retry" there.
    var takesTypeAhead: Bool {
        switch step {
        case .configList(let list): !locked && list.configs.value != nil
        case .credentials(let form): form.entries.value != nil
        case .keyPrompt, .review, .connecting, .outcome, .unsupportedScheme: false
        }
    }
}
