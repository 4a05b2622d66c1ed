import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

@testable import ComposioSandbox

@Suite("Sandbox: rate limits and fault injection")
struct SandboxLimitTests {
    @Test("the per-minute budget is reported in X-RateLimit headers, then 429 with Retry-After")
    func rateLimit() async throws {
        try await withSandbox(options: SandboxOptions(rateLimit: 3)) { client in
            for remaining in [2, 1, 0] {
                let response = try await client.get("/api/v3.1/auth_configs?limit=1")
                #expect(response.status == .ok)
                #expect(response.headers[HTTPField.Name("X-RateLimit-Remaining")!] == String(remaining))
                #expect(response.headers[HTTPField.Name("X-RateLimit")!] == "3")
                #expect(response.headers[HTTPField.Name("X-RateLimit-Window-Size")!] == "60s")
            }
            let limited = try await client.get("/api/v3.1/auth_configs?limit=1")
            #expect(limited.status == .tooManyRequests)
            #expect(limited.object["message"] as? String == "Rate limit exceeded. Limit: 3 requests per 1 minutes")
            let wait = Int(limited.headers[.retryAfter] ?? "") ?? -1
            #expect((1...60).contains(wait))
        }
    }

    @Test("windows reset each minute and organisations are counted apart")
    func windows() {
        let limiter = RateLimiter(limit: 1)
        let start = Date(timeIntervalSince1970: 1_800_000_040)
        #expect(limiter.admit(org: "a", now: start).allowed)
        #expect(limiter.admit(org: "a", now: start) == RateLimiter.Decision(allowed: false, remaining: 0, resetIn: 20))
        #expect(limiter.admit(org: "b", now: start).allowed)
        #expect(limiter.admit(org: "a", now: start.addingTimeInterval(20)).allowed)
    }

    @Test("fault specs parse, and bad ones say what is wrong")
    func faultSpecs() throws {
        let plan = try FaultPlan(parsing: "500=0.2,429=0.1,drop=0.05,latency=20ms")
        #expect(plan.serverErrorShare == 0.2)
        #expect(plan.rateLimitShare == 0.1)
        #expect(plan.dropShare == 0.05)
        #expect(plan.latency == .milliseconds(20))
        #expect(plan.fault(for: 0.1) == .serverError)
        #expect(plan.fault(for: 0.25) == .rateLimit)
        #expect(plan.fault(for: 0.32) == .drop)
        #expect(plan.fault(for: 0.36) == .none)
        #expect(throws: FaultPlanError.self) { try FaultPlan(parsing: "503=0.1") }
        #expect(throws: FaultPlanError.self) { try FaultPlan(parsing: "500=2") }
        #expect(throws: FaultPlanError.self) { try FaultPlan(parsing: "500=0.6,429=0.6") }
        #expect(throws: FaultPlanError.self) { try FaultPlan(parsing: "latency=fast") }
    }

    @Test("injected 500s and 429s use the envelope; a 429 carries Retry-After")
    func injectedErrors() async throws {
        var serverErrors = FaultPlan()
        serverErrors.serverErrorShare = 1
        try await withSandbox(options: SandboxOptions(rateLimit: 0, faults: serverErrors)) { client in
            let response = try await client.get("/api/v3.1/auth_configs")
            #expect(response.status == .internalServerError)
            #expect(response.error["status"] as? Int == 500)
        }
        var limits = FaultPlan()
        limits.rateLimitShare = 1
        try await withSandbox(options: SandboxOptions(rateLimit: 0, faults: limits)) { client in
            let response = try await client.get("/api/v3.1/auth_configs")
            #expect(response.status == .tooManyRequests)
            #expect(response.headers[.retryAfter] == "1")
        }
    }

    @Test("a dropped reply still applies the request: the account exists though no answer came")
    func droppedReply() async throws {
        var drops = FaultPlan()
        drops.dropShare = 1
        try await withSandboxObject(options: SandboxOptions(rateLimit: 0, faults: drops), live: true) { client, sandbox in
            let filter = AuthConfigFilter(search: nil, toolkitSlugs: ["tavily"], showDisabled: false)
            let configId = try #require(
                try await sandbox.store.authConfigs(projectId: Sandbox.defaultProjectId, filter: filter, offset: 0, limit: 1).items.first?.id)
            let body =
                #"{"auth_config":{"id":"\#(configId)"},"connection":{"user_id":"dropped-user","state":{"authScheme":"API_KEY","val":{"status":"ACTIVE","generic_api_key":"tvly-abcdefgh12"}}}}"#
            await #expect(throws: (any Error).self) {
                _ = try await client.post("/api/v3.1/connected_accounts", body)
            }
            let stored = try await sandbox.store.connectedAccounts(
                projectId: Sandbox.defaultProjectId, filter: ConnectedAccountFilter(userIds: ["dropped-user"]), offset: 0, limit: 10
            )
            #expect(stored.total == 1)
        }
    }
}
