import ComposioAPI
import Foundation
import OnboardCore

/// Connects one account the way the wizard does, for `connect` and `import`: create, poll until
/// the status settles, and only once it is ACTIVE delete the accounts it replaces.
struct AccountConnector: Sendable {
    let service: any ComposioService
    var pollInterval: Duration = Wizard.pollInterval
    /// How long to wait for a settled status before reporting the account as it stands.
    var timeout: Duration = .seconds(60)
    /// The clock the polls wait on.
    var clock: any Timekeeper = SystemTimekeeper()

    struct Outcome: Sendable {
        var account: ConnectedAccount
        /// Old accounts deleted because this one became ACTIVE.
        var replaced: [String]
        /// The wait ended before the account settled.
        var timedOut: Bool
    }

    /// - Parameter toolkit: filled in when the create's reply leaves it out (it does).
    func connect(_ request: ConnectionRequest, toolkit: String, replacing old: [String], wait: Bool) async throws -> Outcome {
        var created = try await service.createConnectedAccount(request)
        if created.toolkitSlug.isEmpty { created.toolkitSlug = toolkit }
        guard wait else { return Outcome(account: created, replaced: [], timedOut: false) }
        return try await settleAndReplace(created, replacing: old)
    }

    /// Waits for `account` to settle; once it is ACTIVE, deletes the accounts it replaces.
    func settleAndReplace(_ account: ConnectedAccount, replacing old: [String]) async throws -> Outcome {
        let (account, timedOut) = try await settle(account)
        var replaced: [String] = []
        if account.status == .active {
            for id in old where id != account.id {
                try await service.deleteConnectedAccount(id: id)
                replaced.append(id)
            }
        }
        return Outcome(account: account, replaced: replaced, timedOut: timedOut)
    }

    /// Polls until the account settles or the timeout passes.
    func settle(_ account: ConnectedAccount) async throws -> (ConnectedAccount, timedOut: Bool) {
        var current = account
        let deadline = clock.now.advanced(by: timeout)
        while !current.status.isSettled {
            guard clock.now < deadline else { return (current, true) }
            try await clock.sleep(for: pollInterval)
            let userId = current.userId
            let toolkit = current.toolkitSlug
            current = try await service.connectedAccount(id: current.id)
            current.userId = current.userId ?? userId
            if current.toolkitSlug.isEmpty { current.toolkitSlug = toolkit }
        }
        return (current, false)
    }

    /// Every account the user has on the auth config that still counts as connected (or on its
    /// way): FAILED, EXPIRED, REVOKED and INACTIVE ones do not stand in the way of a new one.
    static func liveAccounts(_ service: any ComposioService, authConfigId: String, userId: String?) async throws -> [ConnectedAccount] {
        try await service.allConnectedAccounts(ConnectedAccountQuery(userIds: userId.map { [$0] } ?? [], authConfigIds: [authConfigId]))
            .filter { !$0.status.isTerminalFailure && $0.status != .inactive }
    }
}
