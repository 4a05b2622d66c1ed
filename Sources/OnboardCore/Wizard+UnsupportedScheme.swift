/// Step 2 for a config whose scheme cannot take imported credentials: explained, not sent.
extension Wizard {
    /// A config the wizard cannot fill in from the keyboard (redirect-based OAuth).
    package struct UnsupportedScheme: Equatable, Sendable {
        package var config: AuthConfigSummary
        /// The list to go back to, as it was.
        package var list: ConfigList

        package init(config: AuthConfigSummary, list: ConfigList) {
            self.config = config
            self.list = list
        }
    }
}

extension Wizard.UnsupportedScheme {
    /// What a person can want on the explanation: another config, or out.
    package enum Intent: Equatable, Sendable {
        case back
        case quit
    }

    /// Locked to an invite there is no other config to go back to: "back" ends the session
    /// too, and only "quit" is shown.
    static func keyMap(locked: Bool) -> [Wizard.Binding] {
        [
            Wizard.Binding([.escape, .enter, .backTab, .character("b")], locked ? "quit" : "back", .unsupportedScheme(.back), shown: !locked),
            Wizard.Binding([.character("q")], "quit", .unsupportedScheme(.quit)),
        ]
    }

    func perform(_ intent: Intent, in state: Wizard.State) -> Wizard.Transition {
        switch intent {
        case .back: Wizard.backToList(list, in: state)
        case .quit: .finish(1)
        }
    }
}
