/// The first page when a service is chosen (`COMPOSIO_BASE_URL`) but no key is configured: the
/// project API key, masked, checked against session info before anything else is asked. A page
/// of the wizard like the others, so it runs in the one loop, with its key map, the plain mode's
/// answers and the same Ctrl-C.
extension Wizard {
    package struct KeyPrompt: Equatable, Sendable {
        /// Where the key will be used, for the prompt's text.
        package var host: String
        package var input: SecretInput
        /// A check is in flight.
        package var checking: Bool
        /// Why the last key was not accepted.
        package var problem: String?

        package init(host: String) {
            self.host = host
            self.input = SecretInput()
            self.checking = false
            self.problem = nil
        }
    }
}

extension Wizard.KeyPrompt {
    /// What a person can want at the prompt; every other key edits the key being typed.
    package enum Intent: Equatable, Sendable {
        case check
        case reveal
        case quit
        /// Replace the key typed so far (the plain mode's answer).
        case setValue(Secret)
        /// An editing key for the key being typed.
        case type(Key)
    }

    /// Why Enter on an empty prompt does nothing.
    package static let emptyProblem = "Paste the project API key (ak_...) from the dashboard's project settings."

    /// The prompt's key map, in the order its key bar shows it.
    package var keyMap: [Wizard.Binding] {
        [
            Wizard.Binding([.enter], "check key", .keyPrompt(.check)),
            Wizard.Binding([.control("r")], "reveal", .keyPrompt(.reveal)),
            Wizard.Binding([.escape], "quit", .keyPrompt(.quit)),
        ]
    }

    mutating func perform(_ intent: Intent) -> Wizard.Transition {
        // Nothing changes the key while it is being checked.
        guard !checking || intent == .quit else { return .stay() }
        switch intent {
        case .quit:
            return .finish(1)
        case .check:
            let key = input.value.withRevealedValue { Secret($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
            guard !key.isEmpty else {
                problem = Self.emptyProblem
                return .stay()
            }
            checking = true
            problem = nil
            return .stay([.checkKey(key)])
        case .reveal:
            input.isRevealed.toggle()
        case .setValue(let value):
            input.clear()
            value.withRevealedValue { input.insert($0) }
            problem = nil
        case .type(let key):
            if input.apply(key) { problem = nil }
        }
        return .stay()
    }

    mutating func paste(_ text: String) -> Wizard.Transition {
        guard !checking else { return .stay() }
        input.insert(text)
        problem = nil
        return .stay()
    }

    /// The service answered the check: an accepted key opens the list of configs (the runtime
    /// uses it from now on); a rejected one is cleared, with the service's reason.
    mutating func checked(_ result: Result<ProjectInfo, ServiceFailure>) -> Wizard.Transition {
        guard checking else { return .stay() }
        checking = false
        switch result {
        case .success:
            return .go(.configList(Wizard.ConfigList(configs: .loading)), [.loadAuthConfigs(cursor: nil)])
        case .failure(let failure):
            input.clear()
            problem = [failure.message, failure.suggestion].compactMap { $0 }.joined(separator: " ")
            return .stay()
        }
    }
}

extension Wizard {
    static func onKeyPrompt(_ state: inout State, _ rule: (inout KeyPrompt) -> Transition) -> [Effect] {
        guard case .keyPrompt(var page) = state.step else { return [] }
        let transition = rule(&page)
        return apply(transition, to: &state, staying: .keyPrompt(page))
    }
}
