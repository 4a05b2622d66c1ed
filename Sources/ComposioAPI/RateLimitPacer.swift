import Foundation
import OnboardCore

/// Keeps many concurrent requests just under an organisation's rate limit.
///
/// The service counts requests per organisation in fixed windows and says how many are left
/// (`X-RateLimit-Remaining`) but not when the window resets. So the pacer spends the budget the
/// headers report, holds back a small reserve, and once it is spent lets a single request
/// through to learn whether a new window began; a 429 pauses everyone for its `Retry-After`.
/// Without rate-limit headers only the caller's concurrency bounds the pace.
package actor RateLimitPacer {
    /// Requests sent and answered 429, for a run's summary.
    package struct Counts: Equatable, Sendable {
        package var requests = 0
        package var rateLimited = 0

        package init(requests: Int = 0, rateLimited: Int = 0) {
            self.requests = requests
            self.rateLimited = rateLimited
        }
    }

    private var remaining: Int?
    private var limit: Int?
    private var inFlight = 0
    private var pausedUntil: MonotonicInstant?
    private var counts = Counts()
    private let clock: any Timekeeper
    /// How long to pause after a 429 without `Retry-After`.
    private let fallbackPause: Duration

    package init(fallbackPause: Duration = .seconds(1), timekeeper: any Timekeeper = SystemTimekeeper()) {
        self.fallbackPause = fallbackPause
        self.clock = timekeeper
    }

    package var totals: Counts { counts }

    /// How long requests are held after a 429, if they are (for a visible countdown).
    package var pauseRemaining: Duration? {
        guard let until = pausedUntil else { return nil }
        let left = until - clock.now
        return left > .zero ? left : nil
    }

    /// Requests kept in hand so other clients of the organisation are not starved to a 429.
    private var reserve: Int { max(1, (limit ?? 0) / 100) }

    /// Waits until a request may go, then counts it as in flight.
    package func admit() async throws {
        while true {
            if let until = pausedUntil, until > clock.now {
                try await clock.sleep(until: until)
                continue
            }
            // With the budget spent, one request at a time finds out whether a window began.
            let budgetSpent = remaining.map { $0 - inFlight <= reserve } ?? false
            if budgetSpent && inFlight > 0 {
                try await clock.sleep(for: .milliseconds(20))
                continue
            }
            inFlight += 1
            counts.requests += 1
            return
        }
    }

    /// Records a reply's rate-limit headers (names lower-cased) and status.
    package func finished(status: Int?, headers: [String: String]) {
        inFlight -= 1
        if let value = headers["x-ratelimit"].flatMap({ Int($0.trimmingCharacters(in: .whitespaces)) }) { limit = value }
        if let value = headers["x-ratelimit-remaining"].flatMap({ Int($0.trimmingCharacters(in: .whitespaces)) }) {
            remaining = value
        }
        guard status == 429 else { return }
        counts.rateLimited += 1
        remaining = 0
        let wait = APIError.retryAfterSeconds(headers["retry-after"], now: clock.date).map { Duration.seconds($0) } ?? fallbackPause
        let until = clock.now.advanced(by: wait)
        if pausedUntil.map({ $0 < until }) ?? true { pausedUntil = until }
    }
}

/// A transport that asks a ``RateLimitPacer`` before each request and tells it each reply.
package struct PacedTransport: HTTPTransport {
    let base: any HTTPTransport
    package let pacer: RateLimitPacer

    package init(_ base: any HTTPTransport, pacer: RateLimitPacer) {
        self.base = base
        self.pacer = pacer
    }

    package func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        try await pacer.admit()
        do {
            let response = try await base.send(request)
            await pacer.finished(status: response.status, headers: response.headers)
            return response
        } catch {
            await pacer.finished(status: nil, headers: [:])
            throw error
        }
    }
}
