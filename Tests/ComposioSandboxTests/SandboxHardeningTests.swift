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
