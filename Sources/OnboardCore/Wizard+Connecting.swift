/// Step 4: creating the account and polling it until it settles.
extension Wizard {
    /// Step 4 in progress: created or being created (or a link waiting for its person),
    /// polled until settled.
    package struct Connecting: Equatable, Sendable {
        package var review: Review
        /// Known once the create call (or the link) answered.
        package var account: ConnectedAccount?
        /// The hosted link, for redirect-based schemes.
        package var link: HostedLink?
        package var pollsLeft: Int

        package init(review: Review, account: ConnectedAccount? = nil, link: HostedLink? = nil, pollsLeft: Int? = nil) {
            self.review = review
            self.account = account
            self.link = link
            self.pollsLeft = pollsLeft ?? (review.isLink ? Wizard.maximumLinkPolls : Wizard.maximumPolls)
        }
    }

    static func connectionCreated(_ state: inout State, _ result: Result<ConnectedAccount, ServiceFailure>, updating: Bool = false) -> [Effect] {
        guard case .connecting(var connecting) = state.step, connecting.account == nil, !connecting.review.isLink,
            updating == (connecting.review.choice == .update)
        else { return [] }
        switch result {
        case .success(let account) where account.status.isSettled:
            return settle(&state, connecting.review, account)
        case .success(let account):
            connecting.account = account
            state.step = .connecting(connecting)
            return [.pollConnection(id: account.id, after: pollInterval)]
        case .failure(let failure):
            state.step = .done(Outcome(review: connecting.review, result: .failed(failure)))
            return []
        }
    }

    /// An update in place answered: the account read back settles the page as a create would
    /// (polled while it settles), and nothing is deleted.
    static func connectionUpdated(_ state: inout State, _ result: Result<ConnectedAccount, ServiceFailure>) -> [Effect] {
        guard case .connecting(let connecting) = state.step, connecting.account == nil, connecting.review.choice == .update else { return [] }
        return connectionCreated(&state, result, updating: true)
    }

    static func connectionPolled(_ state: inout State, _ result: Result<ConnectedAccount, ServiceFailure>) -> [Effect] {
        guard case .connecting(var connecting) = state.step, let known = connecting.account else { return [] }
        connecting.pollsLeft -= 1
        switch result {
        case .success(let account) where account.status.isSettled:
            return settle(&state, connecting.review, account)
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

extension Wizard {
    /// The account settled: show it, and once it is ACTIVE delete the accounts it replaces.
    static func settle(_ state: inout State, _ review: Review, _ account: ConnectedAccount) -> [Effect] {
        let replaced = (review.existing.value ?? []).map(\.id).filter { $0 != account.id }
        guard account.status == .active, review.choice == .replace, !replaced.isEmpty else {
            state.step = .done(Outcome(review: review, result: .settled(account)))
            return []
        }
        state.step = .done(Outcome(review: review, result: .settled(account), replacement: .loading))
        return [.deleteAccounts(ids: replaced)]
    }

    static func linkCreated(_ state: inout State, _ result: Result<HostedLink, ServiceFailure>) -> [Effect] {
        guard case .connecting(var connecting) = state.step, connecting.review.isLink, connecting.link == nil else { return [] }
        switch result {
        case .success(let link):
            let config = connecting.review.form.config
            connecting.link = link
            connecting.account = ConnectedAccount(
                id: link.connectedAccountId, status: .initiated, toolkitSlug: config.toolkitSlug, authConfigId: config.id,
                userId: connecting.review.form.userId.text, redirectURL: link.redirectURL
            )
            state.step = .connecting(connecting)
            return [.pollConnection(id: link.connectedAccountId, after: pollInterval)]
        case .failure(let failure):
            state.step = .done(Outcome(review: connecting.review, result: .failed(failure)))
            return []
        }
    }

    static func accountsDeleted(_ state: inout State, _ result: Result<[String], ServiceFailure>) -> [Effect] {
        guard case .done(var outcome) = state.step, outcome.replacement == .loading else { return [] }
        switch result {
        case .success(let ids): outcome.replacement = .loaded(ids)
        case .failure(let failure): outcome.replacement = .failed(failure)
        }
        state.step = .done(outcome)
        return []
    }
}
