import ComposioAPI
import ComposioSandbox
import Foundation
import Logging
import OnboardCore
import Testing

/// The embedded sandbox served in process: same replies as over HTTP, no port until a link.
@Suite("In-process sandbox transport", .serialized)
struct InProcessTransportTests {
    static let key = "ak_in_process_test"
    static let quiet = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })

    static func client(_ transport: InProcessTransport, key: String = key) -> ComposioClient {
        ComposioClient(baseURL: InProcessTransport.baseURL, apiKey: Secret(key), keySource: "test", transport: transport, logger: quiet)
    }

    @Test("answers the API with the server's JSON, errors and headers, without HTTP")
    func answersInProcess() async throws {
        let (sandbox, _) = try Sandbox.open(path: nil, initialAPIKey: Self.key)
        let transport = sandbox.inProcessTransport(logger: Self.quiet)
        defer { Task { await transport.shutdown() } }
        let project = try await Self.client(transport).sessionInfo()
        #expect(!project.name.isEmpty)
        let configs = try await Self.client(transport).listAuthConfigs(AuthConfigQuery(toolkitSlug: "tavily"))
        #expect(configs.items.map(\.toolkitSlug) == ["tavily"])
        let reply = try await transport.send(
            HTTPRequest(method: "GET", url: InProcessTransport.baseURL.appendingPathComponent("api/v3.1/auth_configs"), headers: ["x-api-key": Self.key]))
        #expect(reply.status == 200)
        #expect(reply.headers["content-type"]?.hasPrefix("application/json") == true)
        #expect(reply.headers["x-ratelimit-remaining"] != nil)
        await #expect(throws: APIError.self) { _ = try await Self.client(transport, key: "ak_wrong").sessionInfo() }
        do {
            _ = try await Self.client(transport, key: "ak_wrong").sessionInfo()
        } catch let error as APIError {
            #expect(error.failure.kind == .unauthorized)
        }
        let missing = try await transport.send(HTTPRequest(method: "GET", url: InProcessTransport.baseURL.appendingPathComponent("api/v3.1/nowhere")))
        #expect(missing.status == 404)
    }

    @Test("a hosted link starts a loopback server whose page a browser can open, and close stops it")
    func linkStartsServer() async throws {
        let (sandbox, _) = try Sandbox.open(path: nil, initialAPIKey: Self.key)
        let transport = sandbox.inProcessTransport(logger: Self.quiet)
        let client = Self.client(transport)
        let oauth = try #require(try await client.listAuthConfigs(AuthConfigQuery(toolkitSlug: "github")).items.first)
        let link = try await client.createLink(authConfigId: oauth.id, userId: "link-user", callbackURL: nil)
        let url = try #require(URL(string: link.redirectURL))
        #expect(url.host == Sandbox.defaultHost)
        #expect(url.port != nil)
        let page = AsyncHTTPClientTransport(connectTimeout: .seconds(2), requestTimeout: .seconds(5))
        let served = try await page.send(HTTPRequest(method: "GET", url: url))
        #expect(served.status == 200)
        #expect(String(decoding: served.body, as: UTF8.self).contains("link-user"))
        await transport.shutdown()
        await #expect(throws: (any Error).self) { _ = try await page.send(HTTPRequest(method: "GET", url: url)) }
        await page.shutdown()
    }
}
