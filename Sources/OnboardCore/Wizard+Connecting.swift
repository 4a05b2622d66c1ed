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
        return follow(Wizard.Settling.created(result))
    }

    /// A status poll answered: settled, polled again, or given up on.
    mutating func polled(_ result: Result<ConnectedAccount, ServiceFailure>) -> Wizard.Transition {
        guard let known = account else { return .stay() }
        return follow(Wizard.Settling.polled(result, known: known, pollsLeft: &pollsLeft))
    }

    /// Where the settling rules lead: another poll, or the outcome page.
    private mutating func follow(_ next: Wizard.Settling.Next) -> Wizard.Transition {
        switch next {
        case .waiting(let current, let delay):
            account = current
            return .stay([.pollConnection(id: current.id, after: delay)])
        case .done(.settled(let account)):
            return Wizard.settle(review, account)
        case .done(let result):
            return .go(.outcome(Wizard.Outcome(review: review, result: result)))
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
        let replacing = review.choice == .replace ? (review.existing.value ?? []).map(\.id) : []
        let replaced = Settling.replaced(by: account, replacing: replacing)
        guard !replaced.isEmpty else { return .go(.outcome(Outcome(review: review, result: .settled(account)))) }
        return .go(.outcome(Outcome(review: review, result: .settled(account), replacement: .loading)), [.deleteAccounts(ids: replaced)])
    }

    /// The rules from a created account to a settled one: poll until its status settles, keep
    /// waiting through a poll that failed on the way (slower when the service says so), give up
    /// when the polls allowed run out, and delete the accounts it replaces only once it is
    /// ACTIVE. The Connecting page follows them with its effects; `connect` and `import`, which
    /// have no page, follow the same ones (their driver only sleeps, polls and deletes).
    package enum Settling {
        /// What follows an answer about the account.
        package enum Next: Equatable, Sendable {
            /// Not settled: the account as it stands, and when to ask again.
            case waiting(ConnectedAccount, after: Duration)
            /// Settled, given up on, or failed.
            case done(Outcome.Result)
        }

        /// The create answered.
        package static func created(_ result: Result<ConnectedAccount, ServiceFailure>) -> Next {
            switch result {
            case .success(let account) where account.status.isSettled: .done(.settled(account))
            case .success(let account): .waiting(account, after: pollInterval)
            case .failure(let failure): .done(.failed(failure))
            }
        }

        /// A poll answered; `pollsLeft` counts it. What the reply leaves out (the user, the
        /// toolkit: the service's reads omit them at times) is kept from `known`.
        package static func polled(_ result: Result<ConnectedAccount, ServiceFailure>, known: ConnectedAccount, pollsLeft: inout Int) -> Next {
            pollsLeft -= 1
            switch result {
            case .success(var account):
                account.userId = account.userId ?? known.userId
                if account.toolkitSlug.isEmpty { account.toolkitSlug = known.toolkitSlug }
                if account.status.isSettled { return .done(.settled(account)) }
                guard pollsLeft > 0 else { return .done(.timedOut(account)) }
                return .waiting(account, after: pollInterval)
            case .failure(let failure) where failure.isRetryable && pollsLeft > 0:
                // A dropped poll says nothing about the account: keep waiting, slower if told to.
                var delay = pollInterval
                if case .rateLimited(let seconds?) = failure.kind { delay = .seconds(max(1, seconds)) }
                return .waiting(known, after: delay)
            case .failure(let failure):
                return .done(.failed(failure))
            }
        }

        /// The accounts to delete now that `account` settled: those it replaces, once ACTIVE.
        package static func replaced(by account: ConnectedAccount, replacing: [String]) -> [String] {
            account.status == .active ? replacing.filter { $0 != account.id } : []
        }

        /// The polls a wait of `limit` allows, one every `pollInterval`.
        package static func polls(within limit: Duration) -> Int { max(1, Int(limit / pollInterval)) }
    }
}
