import ComposioAPI
import Foundation
import OnboardCore
import OnboardTestSupport
import Testing

@Suite("ComposioClient: requests and replies")
struct ComposioClientTests {
    static let base = URL(string: "https://backend.example.test")!

    static func client(_ stub: StubTransport, key: String = "ak_test_key", retry: RetryPolicy = .none, sleeps: SleepLog? = nil) -> ComposioClient {
        ComposioClient(
            baseURL: base, apiKey: Secret(key), keySource: "COMPOSIO_API_KEY", transport: stub, retry: retry,
            sleep: { duration in sleeps?.record(duration) }, jitter: { 1 }
        )
    }

    @Test("lists auth configs on v3.1 with x-api-key, limit 50 and the cursor")
    func listRequest() async throws {
        let stub = StubTransport([StubTransport.json(200, Fixtures.authConfigPage)])
        let page = try await Self.client(stub).listAuthConfigs(AuthConfigQuery(search: "send grid", cursor: "b2Zmc2V0OjUw"))
        let request = try #require(stub.requests.first)
        #expect(request.method == "GET")
        #expect(request.url.path == "/api/v3.1/auth_configs")
        let query = URLComponents(url: request.url, resolvingAgainstBaseURL: false)?.queryItems ?? []
        #expect(query.contains(URLQueryItem(name: "limit", value: "50")))
        #expect(query.contains(URLQueryItem(name: "search", value: "send grid")))
        #expect(query.contains(URLQueryItem(name: "cursor", value: "b2Zmc2V0OjUw")))
        #expect(request.headers["x-api-key"] == "ak_test_key")
        #expect(page.nextCursor == "bmV4dA==")
        #expect(page.totalItems == 2)
        #expect(page.items.map(\.id) == ["ac_1", "ac_2"])
        #expect(
            page.items[0]
                == AuthConfigSummary(
                    id: "ac_1", name: "SendGrid", toolkitSlug: "sendgrid", authScheme: .apiKey, isEnabled: true,
                    isComposioManaged: false, connectionCount: 3, sharedFieldNames: []
                ))
        // Unknown schemes and missing optional fields still decode.
        #expect(page.items[1].authScheme == AuthScheme(rawValue: "FUTURE_SCHEME"))
        #expect(page.items[1].isEnabled == false)
        #expect(page.items[1].sharedFieldNames == ["generic_api_key"])
    }

    @Test("reads connected_account_initiation fields for the scheme, required first, secrets from is_secret or the name")
    func fieldsForScheme() async throws {
        let stub = StubTransport([StubTransport.json(200, Fixtures.toolkit)])
        let fields = try await Self.client(stub).connectionFields(toolkit: "firecrawl", scheme: .apiKey)
        #expect(stub.requests.first?.url.path == "/api/v3.1/toolkits/firecrawl")
        #expect(
            fields == [
                CredentialField(
                    name: "full", displayName: "Base URL", description: "API base", isRequired: true, defaultValue: "https://api.firecrawl.dev", isSecret: false
                ),
                CredentialField(name: "generic_api_key", displayName: "API Key", description: "", isRequired: true, isSecret: true),
                CredentialField(name: "timeout", displayName: "Timeout", description: "", isRequired: false, defaultValue: "30", isSecret: false),
            ])
    }

    @Test("a scheme the toolkit lacks is a not-found failure that says so")
    func missingScheme() async {
        let stub = StubTransport([StubTransport.json(200, Fixtures.toolkit)])
        await #expect(throws: APIError.self) {
            _ = try await Self.client(stub).connectionFields(toolkit: "firecrawl", scheme: .basic)
        }
    }

    @Test("creates with the SDKs' body: auth_config.id, user_id, state.authScheme, val.status ACTIVE and each field")
    func createBody() async throws {
        let stub = StubTransport([StubTransport.json(200, Fixtures.emptyAccountPage), StubTransport.json(201, Fixtures.createReply)])
        let request = ConnectionRequest(
            authConfigId: "ac_1", userId: "user-123", authScheme: .apiKey,
            values: ["generic_api_key": Secret("sk-abc"), "subdomain": Secret("acme")], validateCredentials: true
        )
        let account = try await Self.client(stub).createConnectedAccount(request)
        #expect(account.id == "ca_new")
        #expect(account.status == .active)
        // First the user's existing accounts on the config, so a lost reply can be told apart.
        let listed = try #require(stub.requests.first)
        #expect(listed.url.path == "/api/v3.1/connected_accounts")
        #expect(listed.url.query?.contains("user_ids=user-123") == true)
        #expect(listed.url.query?.contains("auth_config_ids=ac_1") == true)
        let sent = try #require(stub.requests.last)
        #expect(stub.requests.count == 2)
        #expect(sent.method == "POST")
        #expect(sent.url.path == "/api/v3.1/connected_accounts")
        #expect(sent.headers["content-type"] == "application/json")
        let json = try #require(try JSONSerialization.jsonObject(with: sent.body ?? Data()) as? [String: Any])
        #expect((json["auth_config"] as? [String: Any])?["id"] as? String == "ac_1")
        #expect(json["validate_credentials"] as? Bool == true)
        let connection = try #require(json["connection"] as? [String: Any])
        #expect(connection["user_id"] as? String == "user-123")
        let state = try #require(connection["state"] as? [String: Any])
        #expect(state["authScheme"] as? String == "API_KEY")
        #expect(state["val"] as? [String: String] == ["status": "ACTIVE", "generic_api_key": "sk-abc", "subdomain": "acme"])
    }

    @Test("reads a connected account and never decodes credentials echoed in val, data or params")
    func readAccount() async throws {
        let stub = StubTransport([StubTransport.json(200, Fixtures.connectedAccount)])
        let account = try await Self.client(stub).connectedAccount(id: "ca_x")
        #expect(
            account
                == ConnectedAccount(
                    id: "ca_x", status: .failed, statusReason: "Max auth failures reached", toolkitSlug: "sendgrid", authConfigId: "ac_1", userId: "u1"))
        var dumped = ""
        dump(account, to: &dumped)
        #expect(!dumped.contains("echoed-secret"))
    }
}

@Suite("ComposioClient: errors a person can act on")
struct ComposioClientErrorTests {
    func failure(_ answer: StubTransport.Answer) async -> ServiceFailure? {
        let stub = StubTransport([answer])
        do {
            _ = try await ComposioClientTests.client(stub).listAuthConfigs(AuthConfigQuery())
            return nil
        } catch let error as APIError {
            return error.failure
        } catch {
            return nil
        }
    }

    @Test("401 uses the server's message, names where the key came from, and keeps its request id")
    func unauthorized() async throws {
        let failure = try #require(
            await failure(
                StubTransport.json(
                    401, #"{"error":{"message":"Invalid API key provided","code":401,"status":401,"request_id":"req_1","suggested_fix":"Use a valid key"}}"#)))
        #expect(failure.kind == .unauthorized)
        #expect(failure.message == "Invalid API key provided (key from COMPOSIO_API_KEY)")
        #expect(failure.suggestion == "Use a valid key")
        #expect(failure.requestId == "req_1")
        #expect(failure.httpStatus == 401)
    }

    @Test("403 without a body still explains")
    func forbidden() async throws {
        let failure = try #require(await failure(.reply(HTTPResponse(status: 403))))
        #expect(failure.kind == .forbidden)
        #expect(failure.message == "The API key is not allowed to do this.")
    }

    @Test("a platform 429 with only a top-level message and Retry-After")
    func rateLimited() async throws {
        let failure = try #require(
            await failure(StubTransport.json(429, #"{"message":"Rate limit exceeded. Limit: 2000 requests per 1 minutes"}"#, headers: ["Retry-After": "12"])))
        #expect(failure.kind == .rateLimited(retryAfterSeconds: 12))
        #expect(failure.message == "Rate limit exceeded. Limit: 2000 requests per 1 minutes")
        #expect(failure.suggestion == "Wait 12 s and try again.")
    }

    @Test("a 502 HTML page is a server failure, not a crash")
    func htmlServerError() async throws {
        let failure = try #require(await failure(.reply(HTTPResponse(status: 502, body: Data("<html>Bad gateway</html>".utf8)))))
        #expect(failure.kind == .server)
        #expect(failure.message == "The service failed (HTTP 502).")
        #expect(failure.isRetryable)
    }

    @Test("a 200 that is not the expected JSON is a malformed reply, and quotes none of it")
    func malformed() async throws {
        let failure = try #require(await failure(StubTransport.json(200, #"{"items": "sk-leaked"}"#)))
        #expect(failure.kind == .malformedReply)
        #expect(!failure.message.contains("sk-leaked"))
    }

    @Test("a dropped connection names the host and says to check the network")
    func network() async throws {
        let failure = try #require(await failure(.fail(.connectionFailed("reset"))))
        #expect(failure.kind == .network)
        #expect(failure.message == "Could not reach backend.example.test.")
    }

    @Test("no error text ever contains the API key")
    func keyNeverInErrors() async {
        let answers: [StubTransport.Answer] = [
            StubTransport.json(401, "{}"), .reply(HTTPResponse(status: 500)), .fail(.timedOut), StubTransport.json(200, "nope"),
        ]
        for answer in answers {
            let stub = StubTransport([answer])
            do {
                _ = try await ComposioClientTests.client(stub, key: "ak_canary_key_77").listAuthConfigs(AuthConfigQuery())
                Issue.record("expected a failure")
            } catch {
                #expect(!String(describing: error).contains("ak_canary_key_77"))
                #expect(!String(reflecting: error).contains("ak_canary_key_77"))
            }
        }
    }

    @Test("Retry-After is read as seconds or as an HTTP date")
    func retryAfterForms() {
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        #expect(APIError.retryAfterSeconds("3", now: now) == 3)
        #expect(APIError.retryAfterSeconds("2.2", now: now) == 3)
        // Fri, 15 Jan 2027 08:00:30 GMT is 1_800_000_030 s after the epoch.
        let target = Date(timeIntervalSince1970: 1_800_000_030)
        #expect(APIError.retryAfterSeconds("Fri, 15 Jan 2027 08:00:30 GMT", now: target.addingTimeInterval(-45)) == 45)
        #expect(APIError.retryAfterSeconds("Fri, 15 Jan 2027 08:00:30 GMT", now: target.addingTimeInterval(10)) == 0)
        #expect(APIError.retryAfterSeconds("soon", now: now) == nil)
    }
}
