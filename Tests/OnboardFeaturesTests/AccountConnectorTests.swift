import ComposioAPI
import Foundation
import OnboardCore
import OnboardTestSupport
import Synchronization
import Testing

@testable import OnboardFeatures

/// `connect` and `import` follow the Connecting page's rules (`Wizard.Settling`) on the clock
/// they are given: these drive them on virtual time against a service that answers from a script.
@Suite("Connecting without a screen: the wizard's settling rules")
struct AccountConnectorTests {
    static func account(_ status: ConnectionStatus, id: String = "ca_new") -> ConnectedAccount {
        ConnectedAccount(id: id, status: status, toolkitSlug: "", authConfigId: "ac_1")
    }

    static func failure(_ kind: ServiceFailure.Kind) -> APIError {
        APIError(operation: "read connected account", failure: ServiceFailure(kind: kind, message: "scripted \(kind)"))
    }

    /// Runs `settleAndReplace` on a created INITIATED account, moving virtual time on while it
    /// waits; returns its outcome (or error) and what was polled and deleted.
    static func settle(
        _ polls: [Result<ConnectedAccount, APIError>], timeout: Duration = .seconds(60), replacing: [String] = ["ca_old"]
    ) async -> (result: Result<AccountConnector.Outcome, any Error>, service: ScriptedAccounts, slept: Duration) {
        let service = ScriptedAccounts(polls)
        let clock = ManualTimekeeper()
        let connector = AccountConnector(service: service, timeout: timeout, clock: clock)
        var created = account(.initiated)
        created.userId = "alice"
        created.toolkitSlug = "freshdesk"
        let finished = Mutex(false)
        let task = Task { [created] in
            defer { finished.withLock { $0 = true } }
            return try await connector.settleAndReplace(created, replacing: replacing)
        }
        var slept = Duration.zero
        // Time moves a second whenever the connector sleeps, until it is done.
        while !finished.withLock({ $0 }), slept < .seconds(600) {
            if clock.sleeping > 0 {
                clock.advance(by: .seconds(1))
                slept += .seconds(1)
            }
            try? await Task.sleep(for: .milliseconds(1))
        }
        let result = await task.result
        return (result.mapError { $0 }, service, slept)
    }

    @Test("polled once a second until ACTIVE; the user and toolkit a poll leaves out are kept; then the replaced account is deleted")
    func activeThenReplace() async throws {
        let (result, service, _) = await Self.settle([.success(Self.account(.initiated)), .success(Self.account(.active))])
        let outcome = try result.get()
        #expect(outcome.account.status == .active && !outcome.timedOut)
        #expect(outcome.account.userId == "alice" && outcome.account.toolkitSlug == "freshdesk")
        #expect(outcome.replaced == ["ca_old"] && service.deleted == ["ca_old"])
        #expect(service.polled == 2)
    }

    @Test("a poll dropped by the network or a 503 is waited through, as the wizard does; a 429 waits as long as it says")
    func retryableFailuresWait() async throws {
        let limited = APIError(
            operation: "read connected account", failure: ServiceFailure(kind: .rateLimited(retryAfterSeconds: 5), message: "slow down"))
        let (result, service, slept) = await Self.settle([
            .failure(Self.failure(.network)), .failure(Self.failure(.server)), .failure(limited), .success(Self.account(.active)),
        ])
        #expect(try result.get().account.status == .active)
        #expect(service.polled == 4)
        #expect(slept >= .seconds(8), "three waits of a second and one of five: \(slept)")
    }

    @Test("FAILED settles without deleting what it would have replaced; a refused poll ends with the service's own error")
    func failuresEnd() async throws {
        let (failed, service, _) = await Self.settle([.success(Self.account(.failed))])
        #expect(try failed.get().account.status == .failed)
        #expect(service.deleted.isEmpty, "nothing replaced by an account that did not become ACTIVE")

        let (refused, _, _) = await Self.settle([.failure(Self.failure(.unauthorized))])
        #expect(throws: APIError.self) { try refused.get() }
        if case .failure(let error as APIError) = refused { #expect(error.failure.message == "scripted unauthorized") }
    }

    @Test("--timeout 3 allows three polls, then reports the account as it stands, nothing deleted")
    func timesOut() async throws {
        let initiated = Result<ConnectedAccount, APIError>.success(Self.account(.initiated))
        let (result, service, _) = await Self.settle(Array(repeating: initiated, count: 10), timeout: .seconds(3))
        let outcome = try result.get()
        #expect(outcome.timedOut && outcome.account.status == .initiated)
        #expect(service.polled == 3 && service.deleted.isEmpty)
    }
}

/// A service that answers reads of one account from a script and records deletes; anything else
/// is refused.
final class ScriptedAccounts: ComposioService {
    private let state: Mutex<(polls: [Result<ConnectedAccount, APIError>], polled: Int, deleted: [String])>

    init(_ polls: [Result<ConnectedAccount, APIError>]) { state = Mutex((polls, 0, [])) }

    var polled: Int { state.withLock { $0.polled } }
    var deleted: [String] { state.withLock { $0.deleted } }

    func connectedAccount(id: String) async throws -> ConnectedAccount {
        let next = state.withLock { state -> Result<ConnectedAccount, APIError>? in
            state.polled += 1
            return state.polls.isEmpty ? nil : state.polls.removeFirst()
        }
        guard let next else { throw AccountConnectorTests.failure(.invalidRequest) }
        return try next.get()
    }

    func deleteConnectedAccount(id: String) async throws { state.withLock { $0.deleted.append(id) } }

    private func refused() -> APIError { AccountConnectorTests.failure(.invalidRequest) }
    func sessionInfo() async throws -> ProjectInfo { throw refused() }
    func listAuthConfigs(_ query: AuthConfigQuery) async throws -> AuthConfigPage { throw refused() }
    func authConfig(id: String) async throws -> AuthConfigSummary { throw refused() }
    func updateSharedCredentials(authConfigId: String, configType: String, values: [String: Secret]) async throws -> AuthConfigSummary {
        throw refused()
    }
    func connectionFields(toolkit: String, scheme: AuthScheme) async throws -> [CredentialField] { throw refused() }
    func listConnectedAccounts(_ query: ConnectedAccountQuery) async throws -> ConnectedAccountPage { throw refused() }
    func createConnectedAccount(_ request: ConnectionRequest) async throws -> ConnectedAccount { throw refused() }
    func updateConnectedAccount(id: String, scheme: AuthScheme, values: [String: Secret?], alias: String?) async throws -> ConnectionStatus {
        throw refused()
    }
    func setConnectedAccountEnabled(id: String, enabled: Bool) async throws { throw refused() }
    func createLink(authConfigId: String, userId: String, callbackURL: String?, alias: String?) async throws -> HostedLink { throw refused() }
}
