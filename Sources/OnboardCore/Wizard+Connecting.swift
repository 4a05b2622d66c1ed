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
}

extension Wizard.Connecting {
    /// The create (or the update in place, `updating`) answered: settled, polled while it
    /// settles, or failed.
    mutating func created(_ result: Result<ConnectedAccount, ServiceFailure>, updating: Bool) -> Wizard.Transition {
        guard account == nil, !review.isLink, updating == (review.choice == .update) else { return .stay() }
        switch result {
        case .success(let account) where account.status.isSettled:
            return Wizard.settle(review, account)
        case .success(let account):
            self.account = account
            return .stay([.pollConnection(id: account.id, after: Wizard.pollInterval)])
        case .failure(let failure):
            return .go(.outcome(Wizard.Outcome(review: review, result: .failed(failure))))
        }
    }

    /// A status poll answered: settled, polled again, or given up on.
    mutating func polled(_ result: Result<ConnectedAccount, ServiceFailure>) -> Wizard.Transition {
        guard let known = account else { return .stay() }
        pollsLeft -= 1
        switch result {
        case .success(let account) where account.status.isSettled:
            return Wizard.settle(review, account)
        case .success(let account):
            self.account = account
            guard pollsLeft > 0 else { return .go(.outcome(Wizard.Outcome(review: review, result: .timedOut(account)))) }
            return .stay([.pollConnection(id: account.id, after: Wizard.pollInterval)])
        case .failure(let failure) where failure.isRetryable && pollsLeft > 0:
            // A dropped poll says nothing about the account: keep waiting, slower if told to.
            var delay = Wizard.pollInterval
            if case .rateLimited(let seconds?) = failure.kind { delay = .seconds(max(1, seconds)) }
            return .stay([.pollConnection(id: known.id, after: delay)])
        case .failure(let failure):
            return .go(.outcome(Wizard.Outcome(review: review, result: .failed(failure))))
        }
    }

    /// A hosted link was made: its account is polled until the person approves (or not).
    mutating func linkCreated(_ result: Result<HostedLink, ServiceFailure>) -> Wizard.Transition {
        guard review.isLink, link == nil else { return .stay() }
        switch result {
        case .success(let link):
            let config = review.form.config
            self.link = link
            account = ConnectedAccount(
                id: link.connectedAccountId, status: .initiated, toolkitSlug: config.toolkitSlug, authConfigId: config.id,
                userId: review.form.userId.text, redirectURL: link.redirectURL
            )
            return .stay([.pollConnection(id: link.connectedAccountId, after: Wizard.pollInterval)])
        case .failure(let failure):
            return .go(.outcome(Wizard.Outcome(review: review, result: .failed(failure))))
        }
    }
}

extension Wizard {
    /// The account settled: show it, and once it is ACTIVE delete the accounts it replaces.
    static func settle(_ review: Review, _ account: ConnectedAccount) -> Transition {
        let replaced = (review.existing.value ?? []).map(\.id).filter { $0 != account.id }
        guard account.status == .active, review.choice == .replace, !replaced.isEmpty else {
            return .go(.outcome(Outcome(review: review, result: .settled(account))))
        }
        return .go(.outcome(Outcome(review: review, result: .settled(account), replacement: .loading)), [.deleteAccounts(ids: replaced)])
    }
}
