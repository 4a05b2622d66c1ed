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

    @Test("ids and query values with reserved characters reach the routes as they would over HTTP")
    func reservedCharacters() async throws {
        let (sandbox, _) = try Sandbox.open(path: nil, initialAPIKey: Self.key)
        let transport = sandbox.inProcessTransport(logger: Self.quiet)
        defer { Task { await transport.shutdown() } }
        let client = Self.client(transport)
        let tavily = try #require(try await client.listAuthConfigs(AuthConfigQuery(toolkitSlug: "tavily")).items.first)
        let user = "odd user&id=1/x?%20"
        let created = try await client.createConnectedAccount(
            ConnectionRequest(authConfigId: tavily.id, userId: user, authScheme: .apiKey, values: ["generic_api_key": Secret("tvly-odd-0001")]))
        let listed = try await client.listConnectedAccounts(ConnectedAccountQuery(userIds: [user]))
        #expect(listed.items.map(\.id) == [created.id])
        #expect(listed.items.first?.userId == user)
        // A percent-encoded path reaches the routes encoded, as over HTTP: the same reply both ways.
        let running = try await sandbox.start(logger: Self.quiet)
        let http = AsyncHTTPClientTransport(connectTimeout: .seconds(2), requestTimeout: .seconds(5))
        let path = "/api/v3.1/auth_configs/ac_%2541%20b"
        let overHTTP = try await http.send(
            HTTPRequest(method: "GET", url: URL(string: running.baseURL.absoluteString + path)!, headers: ["x-api-key": Self.key]))
        let inProcess = try await transport.send(
            HTTPRequest(method: "GET", url: URL(string: InProcessTransport.baseURL.absoluteString + path)!, headers: ["x-api-key": Self.key]))
        await http.shutdown()
        await running.stop()
        func message(_ reply: HTTPResponse) throws -> String? {
            let object = try JSONSerialization.jsonObject(with: reply.body) as? [String: Any]
            return (object?["error"] as? [String: Any])?["message"] as? String
        }
        #expect(overHTTP.status == 404)
        #expect(inProcess.status == overHTTP.status)
        #expect(try message(overHTTP)?.contains("ac_%2541%20b") == true)
        #expect(try message(inProcess) == message(overHTTP))
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

    @Test("a link can name its account: the alias reaches the service")
    func linkWithAlias() async throws {
        let (sandbox, _) = try Sandbox.open(path: nil, initialAPIKey: Self.key)
        let transport = sandbox.inProcessTransport(logger: Self.quiet)
        defer { Task { await transport.shutdown() } }
        let client = Self.client(transport)
        let oauth = try #require(try await client.listAuthConfigs(AuthConfigQuery(toolkitSlug: "github")).items.first)
        let link = try await client.createLink(authConfigId: oauth.id, userId: "link-user", callbackURL: nil, alias: "work")
        #expect(try await client.connectedAccount(id: link.connectedAccountId).alias == "work")
    }
}
