import ComposioAPI
import ComposioSandbox
import Foundation
import Logging
import OnboardCore
import OnboardTestSupport
import Testing

/// The client against a live sandbox on loopback, over real HTTP.
@Suite("ComposioClient against a live sandbox", .serialized)
struct LiveSandboxTests {
    static let key = "ak_live_client_test"

    static func withLiveSandbox(
        faults: FaultPlan = .none, retry: RetryPolicy = .standard, logger: Logger? = nil,
        _ body: (ComposioClient) async throws -> Void
    ) async throws {
        // Over real HTTP: dropped replies and the client's own connection handling are what is tested.
        try await SandboxFixture.withClient(
            key: key, options: SandboxOptions(rateLimit: 0, faults: faults), over: .http, retry: retry, logger: logger ?? SandboxFixture.quiet, body)
    }

    @Test("with 20% 500s, 10% 429s and 5% dropped replies, 200 creates for distinct users make exactly 200 ACTIVE accounts")
    func createsUnderFaults() async throws {
        let faults = try FaultPlan(parsing: "500=0.2,429=0.1,drop=0.05")
        let patient = RetryPolicy(maximumRetries: 15, initialDelay: .milliseconds(10), maximumDelay: .milliseconds(200), maximumServerDelay: .seconds(1))
        try await Self.withLiveSandbox(faults: faults, retry: patient) { client in
            let configs = try await client.listAuthConfigs(AuthConfigQuery(toolkitSlug: "tavily"))
            let config = try #require(configs.items.first)
            let users = (0..<200).map { String(format: "fault-user-%03d", $0) }
            var statuses: [String: ConnectionStatus] = [:]
            try await withThrowingTaskGroup(of: (String, ConnectionStatus).self) { group in
                var next = 0
                func launch() {
                    let user = users[next]
                    next += 1
                    group.addTask {
                        let request = ConnectionRequest(
                            authConfigId: config.id, userId: user, authScheme: .apiKey, values: ["generic_api_key": Secret("tvly-\(user)")])
                        return (user, try await client.createConnectedAccount(request).status)
                    }
                }
                for _ in 0..<16 { launch() }
                for try await (user, status) in group {
                    statuses[user] = status
                    if next < users.count { launch() }
                }
            }
            #expect(statuses.count == 200)
            #expect(statuses.values.allSatisfy { $0 == .active })
            var stored: [ConnectedAccount] = []
            var cursor: String?
            repeat {
                let page = try await client.listConnectedAccounts(ConnectedAccountQuery(authConfigIds: [config.id], limit: 100, cursor: cursor))
                stored += page.items
                cursor = page.nextCursor
            } while cursor != nil
            #expect(stored.count == 200)
            #expect(Set(stored.compactMap(\.userId)) == Set(users))
            #expect(stored.allSatisfy { $0.status == .active })
        }
    }

    @Test("every operation works end to end: session, configs, shared credentials, fields, accounts, links")
    func everyOperation() async throws {
        try await Self.withLiveSandbox { client in
            let project = try await client.sessionInfo()
            #expect(project == ProjectInfo(id: Sandbox.defaultProjectId, name: "Sandbox project", organisationName: "Sandbox"))
            let freshdesk = try #require(try await client.listAuthConfigs(AuthConfigQuery(search: "freshdesk")).items.first)
            #expect(try await client.authConfig(id: freshdesk.id) == freshdesk)
            let shared = try await client.updateSharedCredentials(authConfigId: freshdesk.id, configType: "custom", values: ["subdomain": Secret("acme")])
            #expect(shared.sharedFieldNames == ["subdomain"])
            let fields = try await client.connectionFields(toolkit: "freshdesk", scheme: .apiKey)
            #expect(fields.map(\.name) == ["subdomain", "generic_api_key"])
            let account = try await client.createConnectedAccount(
                ConnectionRequest(
                    authConfigId: freshdesk.id, userId: "ops-user", authScheme: .apiKey, values: ["generic_api_key": Secret("abcdefABCDEF123456")]
                ))
            #expect(account.status == .active)
            try await client.updateConnectedAccount(id: account.id, scheme: .apiKey, values: ["generic_api_key": Secret("rotated-0000000000")])
            let listed = try await client.listConnectedAccounts(ConnectedAccountQuery(userIds: ["ops-user"]))
            #expect(listed.items.map(\.id) == [account.id])
            try await client.deleteConnectedAccount(id: account.id)
            await #expect(throws: APIError.self) { _ = try await client.connectedAccount(id: account.id) }
            let github = try #require(try await client.listAuthConfigs(AuthConfigQuery(toolkitSlug: "github")).items.first)
            let link = try await client.createLink(authConfigId: github.id, userId: "ops-user", callbackURL: nil)
            #expect(link.redirectURL.contains("/link/"))
            #expect(try await client.connectedAccount(id: link.connectedAccountId).status == .initiated)
        }
    }

    @Test("a marker secret used through every operation is in no log line and no error description")
    func canary() async throws {
        let capture = LogCapture()
        let marker = "CANARY-7f3e9d-SECRET"
        var errors: [String] = []
        try await Self.withLiveSandbox(logger: capture.logger()) { client in
            let config = try #require(try await client.listAuthConfigs(AuthConfigQuery(toolkitSlug: "freshdesk")).items.first)
            _ = try await client.updateSharedCredentials(authConfigId: config.id, configType: "custom", values: ["generic_api_key": Secret(marker)])
            let account = try await client.createConnectedAccount(
                ConnectionRequest(
                    authConfigId: config.id, userId: "canary-user", authScheme: .apiKey,
                    values: ["subdomain": Secret("acme"), "generic_api_key": Secret(marker)], validateCredentials: true
                ))
            try await client.updateConnectedAccount(id: account.id, scheme: .apiKey, values: ["generic_api_key": Secret(marker)])
            _ = try await client.connectedAccount(id: account.id)
            do {
                _ = try await client.createConnectedAccount(
                    ConnectionRequest(authConfigId: "ac_missing", userId: marker, authScheme: .apiKey, values: ["k": Secret(marker)]))
            } catch { errors.append(String(describing: error)); errors.append(String(reflecting: error)) }
            do {
                try await client.updateConnectedAccount(id: account.id, scheme: .basic, values: ["password": Secret(marker)])
            } catch { errors.append(String(describing: error)) }
        }
        let wrongKey = ComposioClient(
            baseURL: URL(string: "http://127.0.0.1:1")!, apiKey: Secret(marker), keySource: "test", transport: StubTransport([StubTransport.json(401, "{}")]),
            logger: capture.logger())
        do { _ = try await wrongKey.sessionInfo() } catch { errors.append(String(describing: error)) }
        #expect(capture.all.count > 5)
        #expect(errors.count == 4)
        for line in capture.all + errors {
            #expect(!line.contains(marker), "leaked: \(line)")
        }
    }
}
