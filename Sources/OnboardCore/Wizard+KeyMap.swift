/// The key map: what each key means on the page showing, in one table per page.
///
/// The reducer turns a key into an intent through this table, the key bar prints its labels,
/// and the plain mode sends intents without going through keys, so a key rebound here is
/// rebound everywhere and nothing replays key presses.
extension Wizard {
    /// What the person wants, whichever key or answer said it. Each page has its own intents;
    /// an intent for a page that is not showing does nothing.
    package enum Intent: Equatable, Sendable {
        case keyPrompt(KeyPrompt.Intent)
        case configList(ConfigList.Intent)
        case credentials(Credentials.Intent)
        case review(Review.Intent)
        case outcome(Outcome.Intent)
        case unsupportedScheme(UnsupportedScheme.Intent)
        /// Ctrl-C (or SIGINT): the first asks, the second quits with 130.
        case interrupt
        /// Tell the operators the customer is stuck (a gateway session only).
        case askForHelp
        /// Hide the operator's note.
        case dismissNote
    }

    /// One row of a page's key map.
    package struct Binding: Equatable, Sendable {
        /// The keys that do it.
        package var keys: [Key]
        /// What it does, in the words of the key bar.
        package var label: String
        /// What pressing it means; nil only for the "type" hint of a page with a text input
        /// (typed keys go to the focused input).
        package var intent: Intent?
        /// Shown in the key bar; false for alternatives (Ctrl-N beside ↓) and rarely used keys.
        package var isShown: Bool
        /// How the key bar names the keys.
        package var name: String

        package init(_ keys: [Key], _ label: String, _ intent: Intent?, shown: Bool = true, name: String? = nil) {
            self.keys = keys
            self.label = label
            self.intent = intent
            self.isShown = shown
            self.name = name ?? keys.first?.name ?? ""
        }
    }

    /// The key map of the page showing, built from the state: a key is listed only while it
    /// does something, in the order the key bar shows them.
    package static func keyMap(for state: State) -> [Binding] {
        pageKeyMap(for: state) + assistanceKeyMap(state)
    }

    private static func pageKeyMap(for state: State) -> [Binding] {
        switch state.step {
        case .keyPrompt(let prompt): prompt.keyMap
        case .configList(let list): list.keyMap(locked: state.locked)
        case .credentials(let form): form.keyMap(locked: state.locked)
        case .review(let review): review.keyMap
        case .connecting: [Binding([.control("c")], "quit", .interrupt)]
        case .outcome(let outcome): outcome.keyMap(locked: state.locked)
        case .unsupportedScheme: UnsupportedScheme.keyMap(locked: state.locked)
        }
    }

    /// The keys every page has, before its own map: Ctrl-C asks to quit (the second quits), as
    /// shells and the best prompt tools do.
    package static let interruptKey: Key = .control("c")
    /// Ctrl-Z suspends onboard like any job; the runtime does it (the terminal must be given
    /// back first), so it is no intent of a page.
    package static let suspendKey: Key = .control("z")

    /// What `key` means now: its binding's intent, else typing into the focused input (nil when
    /// the page has none).
    package static func intent(for key: Key, in state: State) -> Intent? {
        if key == interruptKey { return .interrupt }
        if let binding = keyMap(for: state).first(where: { $0.keys.contains(key) }) { return binding.intent }
        return state.typing(key)
    }
}

extension Wizard.State {
    /// What a key no binding takes means on the page showing: it goes into the page's text
    /// input, when the page has one that takes input now (nil otherwise).
    func typing(_ key: Key) -> Wizard.Intent? {
        switch step {
        case .keyPrompt: .keyPrompt(.type(key))
        case .configList where !locked: .configList(.type(key))
        case .credentials(let form) where form.entries.value != nil: .credentials(.type(key))
        default: nil
        }
    }

    /// Whether a typed character goes into a text input on the page showing.
    var takesTyping: Bool { typing(.character("a")) != nil }
}

extension Key {
    /// The key as the key bar prints it ("ctrl-r", "esc", "↑").
    package var name: String {
        switch self {
        case .character(" "): "space"
        case .character(let character): String(character)
        case .control(let character): "ctrl-\(character)"
        case .enter: "enter"
        case .escape: "esc"
        case .tab: "tab"
        case .backTab: "shift-tab"
        case .backspace: "backspace"
        case .delete: "del"
        case .up: "↑"
        case .down: "↓"
        case .left: "←"
        case .right: "→"
        case .home: "home"
        case .end: "end"
        case .pageUp: "pgup"
        case .pageDown: "pgdn"
        case .function(let number): "f\(number)"
        }
    }
}
