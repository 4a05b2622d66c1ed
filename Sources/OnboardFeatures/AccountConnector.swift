import ComposioAPI
import Foundation
import OnboardCore

/// Connects one account for `connect` and `import`, by the rules the wizard's Connecting page
/// follows (`Wizard.Settling`): create, poll until the status settles, and only once it is
/// ACTIVE delete the accounts it replaces. This type holds no rule of its own: it sleeps, polls
/// and deletes where the rules say, on the clock it is given.
struct AccountConnector: Sendable {
    let service: any ComposioService
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

    /// Follows `account` to its outcome; once it is ACTIVE, deletes the accounts it replaces.
    /// A failure the rules end on is thrown as the service's own error.
    func settleAndReplace(_ account: ConnectedAccount, replacing old: [String]) async throws -> Outcome {
        var pollsLeft = Wizard.Settling.polls(within: timeout)
        var next = Wizard.Settling.created(.success(account))
        var lastError: (any Error)?
        while true {
            switch next {
            case .waiting(let current, let delay):
                try await clock.sleep(for: delay)
                let result: Result<ConnectedAccount, ServiceFailure>
                do {
                    result = .success(try await service.connectedAccount(id: current.id))
                } catch {
                    lastError = error
                    result = .failure(Self.failure(error))
                }
                next = Wizard.Settling.polled(result, known: current, pollsLeft: &pollsLeft)
            case .done(.settled(let account)):
                var replaced: [String] = []
                for id in Wizard.Settling.replaced(by: account, replacing: old) {
                    try await service.deleteConnectedAccount(id: id)
                    replaced.append(id)
                }
                return Outcome(account: account, replaced: replaced, timedOut: false)
            case .done(.timedOut(let account)):
                return Outcome(account: account, replaced: [], timedOut: true)
            case .done(.failed(let failure)):
                throw lastError ?? CommandFailure(failure.message)
            }
        }
    }

    /// The failure the rules weigh for an error a poll threw.
    static func failure(_ error: any Error) -> ServiceFailure {
        (error as? APIError)?.failure ?? ServiceFailure(kind: .network, message: "Unexpected failure: \(type(of: error)).", suggestion: "Try again.")
    }

    /// Every account the user has on the auth config that still counts as connected (or on its
    /// way): FAILED, EXPIRED, REVOKED and INACTIVE ones do not stand in the way of a new one.
    static func liveAccounts(_ service: any ComposioService, authConfigId: String, userId: String?) async throws -> [ConnectedAccount] {
        try await service.allConnectedAccounts(ConnectedAccountQuery(userIds: userId.map { [$0] } ?? [], authConfigIds: [authConfigId]))
            .filter { !$0.status.isTerminalFailure && $0.status != .inactive }
    }
}
