import ComposioAPI
import Foundation
import OnboardCore
import OnboardTestSupport
import Synchronization
import Testing

/// Records the waits a client asked for instead of waiting.
final class SleepLog: Sendable {
    private let waits = Mutex<[Duration]>([])
    func record(_ duration: Duration) { waits.withLock { $0.append(duration) } }
    var all: [Duration] { waits.withLock { $0 } }
}

@Suite("RetryPolicy")
struct RetryPolicyTests {
    let policy = RetryPolicy.standard

    @Test("connection errors, 408, 409, 429 and 5xx are retried; other statuses are not")
    func retryableStatuses() {
        for status in [408, 409, 429, 500, 502, 503] {
            #expect(RetryPolicy.isRetryable(.reply(status: status, headers: [:])), "\(status)")
        }
        for status in [400, 401, 403, 404, 422] {
            #expect(!RetryPolicy.isRetryable(.reply(status: status, headers: [:])), "\(status)")
        }
        #expect(RetryPolicy.isRetryable(.noReply))
    }

    @Test("x-should-retry overrides the status either way")
    func serverForcesOrForbids() {
        #expect(RetryPolicy.isRetryable(.reply(status: 400, headers: ["x-should-retry": "true"])))
        #expect(!RetryPolicy.isRetryable(.reply(status: 503, headers: ["x-should-retry": "false"])))
    }

    @Test("backoff doubles from 0.5 s, is capped at 8 s, and jitter scales it by 0.75...1")
    func backoff() {
        let long = RetryPolicy(maximumRetries: 10)
        let delays = (0..<6).map { long.decide(attempt: $0, outcome: .noReply, jitter: 1) }
        #expect(
            delays == [
                .retry(after: .milliseconds(500)), .retry(after: .seconds(1)), .retry(after: .seconds(2)), .retry(after: .seconds(4)),
                .retry(after: .seconds(8)), .retry(after: .seconds(8)),
            ])
        #expect(long.decide(attempt: 1, outcome: .noReply, jitter: 0) == .retry(after: .milliseconds(750)))
    }

    @Test("Retry-After in seconds, as a date, and retry-after-ms are honoured up to a minute")
    func serverDelays() {
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        #expect(policy.decide(attempt: 0, outcome: .reply(status: 429, headers: ["retry-after": "7"]), jitter: 1, now: now) == .retry(after: .seconds(7)))
        #expect(
            policy.decide(attempt: 0, outcome: .reply(status: 429, headers: ["retry-after-ms": "250", "retry-after": "7"]), jitter: 1, now: now)
                == .retry(after: .milliseconds(250)))
        let date = "Fri, 15 Jan 2027 08:00:30 GMT"
        let before = Date(timeIntervalSince1970: 1_800_000_030 - 12)
        #expect(policy.decide(attempt: 0, outcome: .reply(status: 503, headers: ["retry-after": date]), jitter: 1, now: before) == .retry(after: .seconds(12)))
        // Longer than a minute: back off instead of hanging.
        #expect(
            policy.decide(attempt: 0, outcome: .reply(status: 429, headers: ["retry-after": "3600"]), jitter: 1, now: now) == .retry(after: .milliseconds(500)))
    }

    @Test("stops after the last retry and on what is not retryable")
    func stops() {
        #expect(policy.decide(attempt: 2, outcome: .noReply, jitter: 1) == .stop)
        #expect(policy.decide(attempt: 0, outcome: .reply(status: 401, headers: [:]), jitter: 1) == .stop)
        #expect(RetryPolicy.none.decide(attempt: 0, outcome: .noReply, jitter: 1) == .stop)
    }
}

@Suite("ComposioClient: retries and creates without duplicates")
struct ClientRetryTests {
    static let request = ConnectionRequest(authConfigId: "ac_1", userId: "u1", authScheme: .apiKey, values: ["generic_api_key": Secret("sk-1")])

    @Test("a read that meets a 503 and a dropped connection is retried until it succeeds")
    func readRetries() async throws {
        let sleeps = SleepLog()
        let stub = StubTransport([.reply(HTTPResponse(status: 503)), .fail(.connectionFailed("reset")), StubTransport.json(200, Fixtures.account("ca_1"))])
        let account = try await ComposioClientTests.client(stub, retry: .standard, sleeps: sleeps).connectedAccount(id: "ca_1")
        #expect(account.id == "ca_1")
        #expect(stub.requests.count == 3)
        #expect(sleeps.all == [.milliseconds(500), .seconds(1)])
    }

    @Test("a 400 is not retried")
    func noRetryOnRefusal() async {
        let stub = StubTransport([StubTransport.json(400, #"{"error":{"message":"bad","code":600,"status":400}}"#)])
        await #expect(throws: APIError.self) { _ = try await ComposioClientTests.client(stub, retry: .standard).connectedAccount(id: "x") }
        #expect(stub.requests.count == 1)
    }

    @Test("a create whose reply was lost adopts the account it made instead of posting again")
    func adoptsAfterLostReply() async throws {
        let stub = StubTransport([
            StubTransport.json(200, Fixtures.emptyAccountPage),  // baseline: none yet
            .fail(.connectionFailed("reply lost")),  // POST: applied, no reply
            StubTransport.json(200, Fixtures.accountPage("ca_new")),  // list again: one new account
            StubTransport.json(200, Fixtures.account("ca_new")),  // read it
        ])
        let account = try await ComposioClientTests.client(stub, retry: .standard, sleeps: SleepLog()).createConnectedAccount(Self.request)
        #expect(account.id == "ca_new")
        #expect(stub.requests.filter { $0.method == "POST" }.count == 1)
    }

    @Test("a create that failed before being applied is posted again once nothing new is found")
    func retriesWhenNothingWasMade() async throws {
        let stub = StubTransport([
            StubTransport.json(200, Fixtures.accountPage("ca_old")),  // baseline: an older account
            .reply(HTTPResponse(status: 502)),  // POST failed
            StubTransport.json(200, Fixtures.accountPage("ca_old")),  // nothing new
            StubTransport.json(201, Fixtures.createReply),  // POST again
        ])
        let account = try await ComposioClientTests.client(stub, retry: .standard, sleeps: SleepLog()).createConnectedAccount(Self.request)
        #expect(account.id == "ca_new")
        #expect(stub.requests.filter { $0.method == "POST" }.count == 2)
    }

    @Test("a 429 on create waits as told and posts again without listing")
    func createRateLimited() async throws {
        let sleeps = SleepLog()
        let stub = StubTransport([
            StubTransport.json(200, Fixtures.emptyAccountPage),
            StubTransport.json(429, #"{"message":"Rate limit exceeded"}"#, headers: ["Retry-After": "3"]),
            StubTransport.json(201, Fixtures.createReply),
        ])
        _ = try await ComposioClientTests.client(stub, retry: .standard, sleeps: sleeps).createConnectedAccount(Self.request)
        #expect(sleeps.all == [.seconds(3)])
        #expect(stub.requests.map(\.method) == ["GET", "POST", "POST"])
    }

    @Test("a refused create is not retried and says why")
    func createRefused() async throws {
        let stub = StubTransport([
            StubTransport.json(200, Fixtures.emptyAccountPage),
            StubTransport.json(400, #"{"error":{"message":"Missing required fields: subdomain","code":600,"status":400}}"#),
        ])
        do {
            _ = try await ComposioClientTests.client(stub, retry: .standard).createConnectedAccount(Self.request)
            Issue.record("expected a failure")
        } catch let error as APIError {
            #expect(error.failure.message == "Missing required fields: subdomain")
            #expect(stub.requests.count == 2)
        }
    }

    @Test("with patience, retries go on past the attempt count until the next one would start after the deadline")
    func patience() {
        let policy = RetryPolicy.patient(.seconds(60))
        #expect(policy.decide(attempt: 10, outcome: .noReply, jitter: 1, elapsed: .seconds(30)) == .retry(after: .seconds(8)))
        #expect(policy.decide(attempt: 10, outcome: .noReply, jitter: 1, elapsed: .seconds(53)) == .stop)
        #expect(
            policy.decide(attempt: 3, outcome: .reply(status: 429, headers: ["retry-after": "5"]), jitter: 1, elapsed: .seconds(50))
                == .retry(after: .seconds(5)))
        #expect(policy.decide(attempt: 0, outcome: .reply(status: 401, headers: [:]), jitter: 1) == .stop, "a refusal is never retried")
        #expect(RetryPolicy.standard.decide(attempt: 2, outcome: .noReply, jitter: 1) == .stop, "without patience, two retries as before")
    }
}
