/// Step 4: creating the account and polling it until it settles.
extension Wizard {
    static func connectionCreated(_ state: inout State, _ result: Result<ConnectedAccount, ServiceFailure>) -> [Effect] {
        guard case .connecting(var connecting) = state.step, connecting.account == nil else { return [] }
        switch result {
        case .success(let account) where account.status.isSettled:
            state.step = .done(Outcome(review: connecting.review, result: .settled(account)))
            return []
        case .success(let account):
            connecting.account = account
            state.step = .connecting(connecting)
            return [.pollConnection(id: account.id, after: pollInterval)]
        case .failure(let failure):
            state.step = .done(Outcome(review: connecting.review, result: .failed(failure)))
            return []
        }
    }

    static func connectionPolled(_ state: inout State, _ result: Result<ConnectedAccount, ServiceFailure>) -> [Effect] {
        guard case .connecting(var connecting) = state.step, let known = connecting.account else { return [] }
        connecting.pollsLeft -= 1
        switch result {
        case .success(let account) where account.status.isSettled:
            state.step = .done(Outcome(review: connecting.review, result: .settled(account)))
            return []
        case .success(let account):
            connecting.account = account
            guard connecting.pollsLeft > 0 else {
                state.step = .done(Outcome(review: connecting.review, result: .timedOut(account)))
                return []
            }
            state.step = .connecting(connecting)
            return [.pollConnection(id: account.id, after: pollInterval)]
        case .failure(let failure) where failure.isRetryable && connecting.pollsLeft > 0:
            // A dropped poll says nothing about the account: keep waiting, slower if told to.
            state.step = .connecting(connecting)
            var delay = pollInterval
            if case .rateLimited(let seconds?) = failure.kind { delay = .seconds(max(1, seconds)) }
            return [.pollConnection(id: known.id, after: delay)]
        case .failure(let failure):
            state.step = .done(Outcome(review: connecting.review, result: .failed(failure)))
            return []
        }
    }
}
