import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
@testable import ComposioSandbox

/// Runs `body` against a fresh in-memory sandbox whose default project key is `testKey`.
func withSandbox(
    path: String? = nil, _ body: @escaping @Sendable (any TestClientProtocol) async throws -> Void
) async throws {
    let (sandbox, _) = try Sandbox.open(path: path, initialAPIKey: testKey)
    let quiet = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
    try await sandbox.application(host: "127.0.0.1", port: 0, logger: quiet).test(.router) { client in
        try await body(client)
    }
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

    /// The id of the first enabled auth config on `toolkit`.
    func authConfigId(toolkit: String) async throws -> String {
        let page = try await get("/api/v3.1/auth_configs?toolkit_slug=\(toolkit)").object
        return ((page["items"] as? [[String: Any]])?.first?["id"] as? String) ?? "missing"
    }
}
