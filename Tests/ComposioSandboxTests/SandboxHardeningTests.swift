import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import Synchronization
import Testing

@testable import ComposioSandbox

/// What the sandbox does for strangers: link pages with security headers, callbacks only to
/// http(s), link tokens kept out of logs, key guessing slowed before authentication, and the
/// link server that serves pages and nothing of the API.
@Suite("Sandbox: hardening", .serialized)
struct SandboxHardeningTests {
    @Test("link pages carry CSP, no framing, no referrer; a callback must be http(s)")
    func linkPageHeadersAndCallbacks() async throws {
        try await withSandbox { client in
            let link = try await SandboxLinkTests.link(client, toolkit: "github")
            let page = try await client.get(SandboxLinkTests.path(link), headers: [:])
            #expect(page.headers[HTTPField.Name("Content-Security-Policy")!]?.contains("default-src 'none'") == true)
            #expect(page.headers[HTTPField.Name("Content-Security-Policy")!]?.contains("frame-ancestors 'none'") == true)
            #expect(page.headers[HTTPField.Name("X-Frame-Options")!] == "DENY")
            #expect(page.headers[HTTPField.Name("Referrer-Policy")!] == "no-referrer")
            let configId = try await client.authConfigId(toolkit: "github")
            for bad in ["javascript:alert(1)", "file:///etc/passwd", "data:text/html,x", "not a url"] {
                let refused = try await client.post(
                    "/api/v3.1/connected_accounts/link", #"{"auth_config_id":"\#(configId)","user_id":"u","callback_url":"\#(bad)"}"#)
                #expect(refused.status == .badRequest, "\(bad)")
                #expect(refused.text.contains("callback_url must be an http(s) URL"))
            }
            let fine = try await client.post(
                "/api/v3.1/connected_accounts/link", #"{"auth_config_id":"\#(configId)","user_id":"u","callback_url":"https://example.com/done"}"#)
            #expect(fine.status == .created)
        }
    }

    @Test("the request log names the link page without its token")
    func tokensStayOutOfLogs() {
        #expect(EnvelopeMiddleware<SandboxRequestContext>.loggedPath("/link/lt_secretToken123") == "/link/<token>")
        #expect(EnvelopeMiddleware<SandboxRequestContext>.loggedPath("/api/v3.1/auth_configs") == "/api/v3.1/auth_configs")
    }

    @Test("each answer is told to the observer by route pattern: no account id, no link token, an invented path as NotFound")
    func answersAreObservedByPattern() async throws {
        let seen = AnsweredRequests()
        try await withSandbox(options: SandboxOptions(rateLimit: 0, requestObserver: seen)) { client in
            let link = try await SandboxLinkTests.link(client, toolkit: "github")
            _ = try await client.get(SandboxLinkTests.path(link), headers: [:])
            _ = try await client.get("/api/v3/connected_accounts/ca_secretish123")
            _ = try await client.get("/api/v3.1/auth_configs", headers: [HTTPField.Name("x-api-key")!: "ak_wrong"])
            _ = try await client.get("/no/such/path/ca_other")
        }
        let answered = seen.all.map { "\($0.method) \($0.route) \($0.status)" }
        // The link's creation reads the auth configs first (one GET) and posts the link.
        #expect(
            answered.suffix(4) == [
                "GET /link/{token} 200", "GET /api/v3/connected_accounts/{id} 404", "GET /api/v3.1/auth_configs 401", "GET NotFound 404",
            ])
        #expect(!answered.joined().contains("ca_secretish123") && !answered.joined().contains("lt_"))
        #expect(AnsweredRequest.method("FOOBAR") == "other" && AnsweredRequest.method("PATCH") == "PATCH")
    }

    @Test("ten failed authentications from one address in a minute: the next request is turned away before its key is checked")
    func failedAuthenticationsAreLimited() async throws {
        try await withSandbox(live: true) { client in
            for _ in 0..<10 {
                #expect(try await client.get("/api/v3.1/auth_configs", headers: [HTTPField.Name("x-api-key")!: "ak_wrong"]).status == .unauthorized)
            }
            let limited = try await client.get("/api/v3.1/auth_configs", headers: [HTTPField.Name("x-api-key")!: "ak_wrong"])
            #expect(limited.status == .tooManyRequests)
            #expect(limited.headers[.retryAfter] != nil)
            #expect(limited.text.contains("Too many failed authentications"))
            // Even the right key waits: the limit comes before authentication.
            #expect(try await client.get("/api/v3.1/auth_configs").status == .tooManyRequests)
        }
        let limiter = AuthFailureLimiter(limit: 2, windowSeconds: 60)
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        limiter.recordFailure("10.0.0.1", now: now)
        #expect(limiter.blocked("10.0.0.1", now: now) == nil)
        limiter.recordFailure("10.0.0.1", now: now)
        #expect(limiter.blocked("10.0.0.1", now: now) != nil)
        #expect(limiter.blocked("10.0.0.2", now: now) == nil, "other addresses are not affected")
        #expect(limiter.blocked("10.0.0.1", now: now.addingTimeInterval(60)) == nil, "a new window starts afresh")
    }

    @Test("the server a link starts serves the link page and none of the API")
    func linkServerServesPagesOnly() async throws {
        let (sandbox, _) = try Sandbox.open(path: nil, initialAPIKey: testKey)
        let quiet = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
        try await sandbox.application(host: "127.0.0.1", port: 0, logger: quiet, linkPagesOnly: true).test(.router) { client in
            let api = try await client.get("/api/v3.1/auth_configs")
            #expect(api.status == .notFound)
            let page = try await client.get("/link/lt_unknown", headers: [:])
            #expect(page.status == .notFound)
            #expect(page.headers[HTTPField.Name("X-Frame-Options")!] == "DENY")
        }
    }

    @Test("the hostile seed adds its configs and accounts, and every stored credential still opens")
    func hostileSeedAndCheck() throws {
        let (sandbox, _) = try Sandbox.open(path: nil, initialAPIKey: testKey)
        let ids = try sandbox.seedHostile()
        #expect(ids.count == 5)
        let check = try sandbox.verifyCredentials()
        #expect(check.unreadable.isEmpty)
        #expect(check.readable == 3)
        #expect(SeedCatalog.toolkit(slug: "hostile") != nil)
        #expect(!SeedCatalog.toolkits.contains { $0.slug == "hostile" }, "listings never show it")
    }
}

/// The 2026 contract: replies as Composio sends them now, OAuth tokens never imported, aliases.
@Suite("Sandbox: the 2026 API")
struct Sandbox2026Tests {
    @Test("state.val carries the scheme's credential keys as REDACTED and connection fields as stored")
    func redactedValues() async throws {
        try await withSandbox { client in
            let fresh = try await client.authConfigId(toolkit: "freshdesk")
            let created = try await client.post(
                "/api/v3.1/connected_accounts",
                #"{"auth_config":{"id":"\#(fresh)"},"connection":{"user_id":"r","state":{"authScheme":"API_KEY","val":{"status":"ACTIVE","subdomain":"acme","generic_api_key":"sk-REAL-SECRET"}}}}"#
            )
            let id = try #require(created.object["id"] as? String)
            let read = try await client.get("/api/v3.1/connected_accounts/\(id)")
            let val = try #require((read.object["state"] as? [String: Any])?["val"] as? [String: Any])
            #expect(val["generic_api_key"] as? String == "REDACTED")
            #expect(val["subdomain"] as? String == "acme")
            #expect(!read.text.contains("sk-REAL-SECRET"))
            let notion = try await client.authConfigId(toolkit: "notion")
            let bearer = try await client.post(
                "/api/v3.1/connected_accounts",
                #"{"auth_config":{"id":"\#(notion)"},"connection":{"user_id":"r","state":{"authScheme":"BEARER_TOKEN","val":{"status":"ACTIVE","token":"ntn_secret"}}}}"#
            )
            let listed = try await client.get("/api/v3.1/connected_accounts?user_ids=r")
            #expect(!listed.text.contains("ntn_secret"))
            #expect(listed.text.contains(#""token":"REDACTED""#), "the key BEARER_TOKEN's schema requires is there")
            #expect(bearer.status == .created)
        }
    }

    @Test("an API_KEY toolkit takes the key as api_key too (the SDK helpers' name); OAuth tokens are refused on every OAuth config")
    func keyNamesAndTokens() async throws {
        try await withSandbox { client in
            let sendgrid = try await client.authConfigId(toolkit: "sendgrid")
            let created = try await client.post(
                "/api/v3.1/connected_accounts",
                #"{"auth_config":{"id":"\#(sendgrid)"},"connection":{"user_id":"k","state":{"authScheme":"API_KEY","val":{"status":"ACTIVE","api_key":"SG.x.y"}}}}"#
            )
            #expect(created.status == .created)
            for toolkit in ["github", "gitlab"] {
                let config = try await client.authConfigId(toolkit: toolkit)
                let refused = try await client.post(
                    "/api/v3.1/connected_accounts",
                    #"{"auth_config":{"id":"\#(config)"},"connection":{"user_id":"k","state":{"authScheme":"OAUTH2","val":{"status":"ACTIVE","access_token":"gho_x"}}}}"#
                )
                #expect(refused.status == .badRequest, "\(toolkit)")
            }
            let gitlab = try await client.authConfigId(toolkit: "gitlab")
            let refusedText = try await client.post(
                "/api/v3.1/connected_accounts",
                #"{"auth_config":{"id":"\#(gitlab)"},"connection":{"user_id":"k","state":{"authScheme":"OAUTH2","val":{"status":"ACTIVE","access_token":"gho_x"}}}}"#
            ).text
            #expect(refusedText.contains("BEARER_TOKEN") && refusedText.contains("connected_accounts/link"))
            let started = try await client.post(
                "/api/v3.1/connected_accounts",
                #"{"auth_config":{"id":"\#(gitlab)"},"connection":{"user_id":"k","state":{"authScheme":"OAUTH2","val":{"status":"INITIALIZING"}}}}"#
            )
            #expect(started.object["status"] as? String == "INITIATED")
            #expect((started.object["redirect_url"] as? String)?.contains("/link/") == true)
        }
    }

    @Test("aliases are unique per user and toolkit: 400 on create and link, 409 on PATCH; another user may reuse one")
    func aliases() async throws {
        try await withSandbox { client in
            let tavily = try await client.authConfigId(toolkit: "tavily")
            func create(_ user: String, _ alias: String) async throws -> TestResponse {
                try await client.post(
                    "/api/v3.1/connected_accounts",
                    #"{"auth_config":{"id":"\#(tavily)"},"connection":{"user_id":"\#(user)","alias":"\#(alias)","state":{"authScheme":"API_KEY","val":{"status":"ACTIVE","generic_api_key":"tvly-abcdefgh"}}}}"#
                )
            }
            let first = try await create("amy", "work")
            #expect(first.status == .created)
            #expect(try await create("amy", "work").status == .badRequest)
            #expect(try await create("ben", "work").status == .created)
            let second = try await create("amy", "home")
            let id = try #require(second.object["id"] as? String)
            #expect(try await client.patch("/api/v3.1/connected_accounts/\(id)", #"{"alias":"work"}"#).status == .conflict)
            #expect(try await client.patch("/api/v3.1/connected_accounts/\(id)", #"{"alias":""}"#).status == .ok)
            #expect(try await client.get("/api/v3.1/connected_accounts/\(id)").object["alias"] == nil, "an empty alias clears it")
        }
    }
}

/// The answers a sandbox told its observer, in order.
final class AnsweredRequests: SandboxRequestObserver {
    private let answers = Mutex<[AnsweredRequest]>([])
    func answered(_ request: AnsweredRequest) { answers.withLock { $0.append(request) } }
    var all: [AnsweredRequest] { answers.withLock { $0 } }
}
