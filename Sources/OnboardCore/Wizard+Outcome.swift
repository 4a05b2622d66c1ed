/// The final page: success with the account id, or why not and the way back.
extension Wizard {
    /// Step 4 finished: an account in a settled status, or the failure that stopped it.
    package struct Outcome: Equatable, Sendable {
        package enum Result: Equatable, Sendable {
            /// The account settled; ACTIVE is success, anything else says why not.
            case settled(ConnectedAccount)
            /// Polling stopped before the account settled.
            case timedOut(ConnectedAccount)
            /// The service refused or could not be reached.
            case failed(ServiceFailure)
        }

        package var review: Review
        package var result: Result
        /// Old accounts being deleted after this one became ACTIVE (`.idle` when not replacing).
        package var replacement: Loadable<[String]>

        package init(review: Review, result: Result, replacement: Loadable<[String]> = .idle) {
            self.review = review
            self.result = result
            self.replacement = replacement
        }

        /// The account is ACTIVE.
        package var succeeded: Bool {
            if case .settled(let account) = result { return account.status == .active }
            return false
        }
    }
}

extension Wizard.Outcome {
    /// What a person can want on the last page.
    package enum Intent: Equatable, Sendable {
        /// Leave: exit 0 after success, 1 otherwise.
        case quit
        /// Start again from the list (not when locked to an invite).
        case connectAnother
        /// Back to the form with the values entered.
        case edit
        /// Send the same request again (or ask for a new link).
        case retry
        /// Poll an account that did not settle in time for another while.
        case keepWaiting
    }

    package func keyMap(locked: Bool) -> [Wizard.Binding] {
        if succeeded {
            let quit = Wizard.Binding([.enter, .escape, .character("q")], "quit", .outcome(.quit))
            return locked ? [quit] : [quit, Wizard.Binding([.character("n")], "connect another", .outcome(.connectAnother))]
        }
        var keys = [Wizard.Binding([.enter, .escape, .character("e")], "edit values", .outcome(.edit))]
        if offersRetry { keys.append(Wizard.Binding([.character("r")], review.isLink ? "new link" : "try again", .outcome(.retry))) }
        if case .timedOut = result { keys.append(Wizard.Binding([.character("w")], "keep waiting", .outcome(.keepWaiting))) }
        keys.append(Wizard.Binding([.character("q")], "quit", .outcome(.quit)))
        return keys
    }

    /// The accounts this one replaces were deleted (or not).
    mutating func replaced(_ result: Swift.Result<[String], ServiceFailure>) -> Wizard.Transition {
        guard replacement == .loading else { return .stay() }
        switch result {
        case .success(let ids): replacement = .loaded(ids)
        case .failure(let failure): replacement = .failed(failure)
        }
        return .stay()
    }

    func perform(_ intent: Intent, in state: Wizard.State) -> Wizard.Transition {
        switch intent {
        case .quit:
            return .finish(succeeded ? 0 : 1)
        case .connectAnother:
            guard succeeded, !state.locked else { return .stay() }
            return .go(.configList(Wizard.ConfigList(configs: .loading)), [.loadAuthConfigs(cursor: nil)])
        case .edit where !succeeded:
            return .go(.credentials(review.form))
        case .retry where !succeeded && offersRetry:
            return Wizard.connect(review)
        case .keepWaiting:
            guard case .timedOut(let account) = result else { return .stay() }
            return .go(.connecting(Wizard.Connecting(review: review, account: account)), [.pollConnection(id: account.id, after: .zero)])
        case .edit, .retry:
            return .stay()
        }
    }

    /// Sending the same request again can help only when the service or network failed;
    /// a refusal or a FAILED account needs different values.
    package var offersRetry: Bool {
        switch result {
        case .failed(let failure): return failure.isRetryable
        // A link that expired or was denied: a new link is the way on.
        case .settled(let account): return review.isLink && account.status.isTerminalFailure
        case .timedOut: return false
        }
    }
}
