import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import Synchronization

@testable import ComposioSandbox

/// Runs `body` against a fresh in-memory sandbox whose default project key is `testKey`.
func withSandbox(
    path: String? = nil, options: SandboxOptions = SandboxOptions(rateLimit: 0), clock: TestClock? = nil, live: Bool = false,
    _ body: @escaping @Sendable (any TestClientProtocol) async throws -> Void
) async throws {
    try await withSandboxObject(path: path, options: options, clock: clock, live: live) { client, _ in try await body(client) }
}

/// As ``withSandbox``, also handing over the sandbox for administration calls.
func withSandboxObject(
    path: String? = nil, options: SandboxOptions = SandboxOptions(rateLimit: 0), clock: TestClock? = nil, live: Bool = false,
    _ body: @escaping @Sendable (any TestClientProtocol, Sandbox) async throws -> Void
) async throws {
    let now: @Sendable () -> Date
    if let clock { now = { clock.now } } else { now = { Date() } }
    let (sandbox, _) = try Sandbox.open(path: path, initialAPIKey: testKey, options: options, now: now)
    let quiet = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
    try await sandbox.application(host: "127.0.0.1", port: 0, logger: quiet).test(live ? .live : .router) { client in
        try await body(client, sandbox)
    }
}

/// A clock tests move by hand.
final class TestClock: Sendable {
    private let current = Mutex(Date(timeIntervalSince1970: 1_800_000_000))
    var now: Date { current.withLock { $0 } }
    func advance(_ seconds: TimeInterval) { current.withLock { $0 = $0.addingTimeInterval(seconds) } }
}

let testKey = "ak_test_sandbox_key"

extension HTTPFields {
    static var authorized: HTTPFields { [HTTPField.Name("x-api-key")!: testKey] }
    static var json: HTTPFields { [HTTPField.Name("x-api-key")!: testKey, .contentType: "application/json"] }
}

extension TestResponse {
    /// The body as a JSON object.
    var object: [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(body.readableBytesView)) as? [String: Any]) ?? [:]
    }

    var text: String { String(decoding: body.readableBytesView, as: UTF8.self) }

    /// `error` of the envelope.
    var error: [String: Any] { object["error"] as? [String: Any] ?? [:] }
}

func jsonBody(_ text: String) -> ByteBuffer { ByteBuffer(string: text) }

extension TestClientProtocol {
    func get(_ uri: String, headers: HTTPFields = .authorized) async throws -> TestResponse {
        try await execute(uri: uri, method: .get, headers: headers)
    }

    func post(_ uri: String, _ body: String, headers: HTTPFields = .json) async throws -> TestResponse {
        try await execute(uri: uri, method: .post, headers: headers, body: jsonBody(body))
    }

    func patch(_ uri: String, _ body: String, headers: HTTPFields = .json) async throws -> TestResponse {
        try await execute(uri: uri, method: .patch, headers: headers, body: jsonBody(body))
    }

    func delete(_ uri: String, headers: HTTPFields = .authorized) async throws -> TestResponse {
        try await execute(uri: uri, method: .delete, headers: headers)
    }

    /// Creates an ACTIVE API-key account for `user` on the Tavily config; returns its id.
    func createTavilyAccount(user: String) async throws -> String {
        let configId = try await authConfigId(toolkit: "tavily")
        let body =
            #"{"auth_config":{"id":"\#(configId)"},"connection":{"user_id":"\#(user)","state":{"authScheme":"API_KEY","val":{"status":"ACTIVE","generic_api_key":"tvly-abcdefgh12"}}}}"#
        return (try await post("/api/v3.1/connected_accounts", body).object["id"] as? String) ?? "missing"
    }

    /// The id of the first enabled auth config on `toolkit`.
    func authConfigId(toolkit: String) async throws -> String {
        let page = try await get("/api/v3.1/auth_configs?toolkit_slug=\(toolkit)").object
        return ((page["items"] as? [[String: Any]])?.first?["id"] as? String) ?? "missing"
    }
}
