/// The final page: success with the account id, or why not and the way back.
extension Wizard {
    static func doneKey(_ state: inout State, _ outcome: Outcome, _ key: Key) -> [Effect] {
        if outcome.succeeded {
            switch key {
            case .enter, .escape, .character("q"):
                return finish(&state, exitCode: 0)
            case .character("n") where !state.locked:
                state.step = .chooseConfig(ConfigList(configs: .loading))
                return [.loadAuthConfigs(cursor: nil)]
            default:
                return []
            }
        }
        switch key {
        case .enter, .escape, .character("e"):
            state.step = .credentials(outcome.review.form)
        case .character("r") where outcome.offersRetry:
            return connect(&state, outcome.review)
        case .character("w"):
            guard case .timedOut(let account) = outcome.result else { return [] }
            state.step = .connecting(Connecting(review: outcome.review, account: account))
            return [.pollConnection(id: account.id, after: .zero)]
        case .character("q"):
            return finish(&state, exitCode: 1)
        default:
            break
        }
        return []
    }
}

extension Wizard.Outcome {
    /// Sending the same request again can help only when the service or network failed;
    /// a refusal or a FAILED account needs different values.
    public var offersRetry: Bool {
        switch result {
        case .failed(let failure): return failure.isRetryable
        // A link that expired or was denied: a new link is the way on.
        case .settled(let account): return review.isLink && account.status.isTerminalFailure
        case .timedOut: return false
        }
    }
}
