/// The masked prompt for a project API key, shown before the wizard when a service is chosen
/// (`COMPOSIO_BASE_URL`) but no key is configured. Like the wizard, a pure state machine: the
/// runtime checks a key against session info and reports back.
package enum KeyPrompt {
    package struct State: Equatable, Sendable {
        /// Where the key will be used, for the prompt's text.
        package var host: String
        package var input: SecretInput
        /// A check is in flight.
        package var checking: Bool
        /// Why the last key was not accepted.
        package var problem: String?
        /// The key the service accepted, and the project it opened.
        package var accepted: ProjectInfo?
        /// Set when the person gave up (Esc, Ctrl-C twice).
        package var exitCode: Int32?
        package var quitArmed: Bool

        package init(host: String) {
            self.host = host
            self.input = SecretInput()
            self.checking = false
            self.problem = nil
            self.accepted = nil
            self.exitCode = nil
            self.quitArmed = false
        }
    }

    package enum Event: Equatable, Sendable {
        case keyPressed(Key)
        case pasted(String)
        /// A paste did not arrive whole; nothing of it was kept.
        case pasteCutOff
        /// The service answered the check of `key`.
        case checked(Result<ProjectInfo, ServiceFailure>)
        case interrupted
        /// No key came for a moment: the shown length catches up.
        case typingPaused
    }

    package enum Effect: Equatable, Sendable {
        /// Ask session info with this key; answers `.checked`.
        case check(Secret)
    }

    /// What a key can mean at the prompt; every other key edits the key being typed.
    package enum Intent: Equatable, Sendable {
        case check
        case reveal
        case quit
    }

    /// The prompt's key map, in the order its key bar shows it (as the wizard's pages have).
    package static let keyMap: [(keys: [Key], label: String, intent: Intent)] = [
        ([.enter], "check key", .check),
        ([.control("r")], "reveal", .reveal),
        ([.escape], "quit", .quit),
    ]

    package static func reduce(_ state: inout State, _ event: Event) -> [Effect] {
        switch event {
        case .keyPressed(.control("c")), .interrupted:
            if state.quitArmed { state.exitCode = 130 } else { state.quitArmed = true }
            return []
        case .keyPressed(let key):
            state.quitArmed = false
            guard !state.checking else { return [] }
            guard let binding = keyMap.first(where: { $0.keys.contains(key) }) else {
                if state.input.apply(key) { state.problem = nil }
                return []
            }
            switch binding.intent {
            case .quit:
                state.exitCode = 1
            case .check:
                guard !state.input.value.isEmpty else {
                    state.problem = "Paste the project API key (ak_...) from the dashboard's project settings."
                    return []
                }
                state.checking = true
                state.problem = nil
                let key = state.input.value.withRevealedValue { Secret($0.trimmingCharacters(in: .whitespaces)) }
                return [.check(key)]
            case .reveal:
                state.input.isRevealed.toggle()
            }
            return []
        case .typingPaused:
            state.input.settle()
            return []
        case .pasted(let text):
            state.quitArmed = false
            guard !state.checking else { return [] }
            state.input.insert(text)
            state.problem = nil
            return []
        case .pasteCutOff:
            state.problem = "That paste did not arrive whole; nothing of it was kept. Paste the key again."
            return []
        case .checked(.success(let project)):
            state.checking = false
            state.accepted = project
            return []
        case .checked(.failure(let failure)):
            state.checking = false
            state.input.clear()
            state.problem = [failure.message, failure.suggestion].compactMap { $0 }.joined(separator: " ")
            return []
        }
    }
}
