import Foundation
import OnboardCore

/// When to try a request again and how long to wait first, as data so it is tested as a pure
/// function. The defaults follow the official SDKs: retry connection errors, 408, 409, 429 and
/// 5xx; honour `retry-after-ms` and `Retry-After` (seconds or HTTP date) up to a minute; obey
/// `x-should-retry`; otherwise back off 0.5 s · 2ⁿ, capped at 8 s, with jitter ×[0.75, 1].
package struct RetryPolicy: Equatable, Sendable {
    /// Retries after the first attempt.
    package var maximumRetries: Int
    package var initialDelay: Duration
    package var maximumDelay: Duration
    /// A server-requested wait longer than this is not honoured (back off instead).
    package var maximumServerDelay: Duration
    /// When set, retries go on (past ``maximumRetries``) for as long as the next attempt would
    /// start within this much time of the first: a command's deadline (`--timeout`), so a
    /// flaky minute does not fail a command that a second try an instant later would pass.
    package var patience: Duration?

    package init(
        maximumRetries: Int = 2, initialDelay: Duration = .milliseconds(500), maximumDelay: Duration = .seconds(8),
        maximumServerDelay: Duration = .seconds(60), patience: Duration? = nil
    ) {
        self.maximumRetries = maximumRetries
        self.initialDelay = initialDelay
        self.maximumDelay = maximumDelay
        self.maximumServerDelay = maximumServerDelay
        self.patience = patience
    }

    /// Retries until `deadline` has passed since the first attempt (backoff and Retry-After
    /// as usual).
    package static func patient(_ deadline: Duration) -> RetryPolicy {
        RetryPolicy(patience: deadline)
    }

    /// The SDKs' default: two retries.
    package static let standard = RetryPolicy()
    /// No retries at all.
    package static let none = RetryPolicy(maximumRetries: 0)

    /// How an attempt ended.
    package enum Outcome: Equatable, Sendable {
        /// A reply arrived (any status), with its headers (lower-cased names).
        case reply(status: Int, headers: [String: String])
        /// No reply: the connection failed or timed out.
        case noReply
    }

    /// What to do next.
    package enum Decision: Equatable, Sendable {
        case retry(after: Duration)
        case stop
    }

    /// Whether `outcome` is worth another try at all (ignoring how many were made).
    package static func isRetryable(_ outcome: Outcome) -> Bool {
        switch outcome {
        case .noReply:
            return true
        case .reply(let status, let headers):
            if let forced = headers["x-should-retry"]?.lowercased() {
                if forced == "true" { return true }
                if forced == "false" { return false }
            }
            return status == 408 || status == 409 || status == 429 || status >= 500
        }
    }

    /// The decision after attempt number `attempt` (0 for the first) ended with `outcome`.
    /// - Parameters:
    ///   - jitter: a draw in 0...1 (0.75...1 of the backoff is used); injected for tests.
    ///   - now: for `Retry-After` given as a date.
    ///   - elapsed: time since the first attempt started, checked against ``patience``.
    package func decide(attempt: Int, outcome: Outcome, jitter: Double, now: Date = SystemTimekeeper().date, elapsed: Duration = .zero) -> Decision {
        guard Self.isRetryable(outcome) else { return .stop }
        if patience == nil, attempt >= maximumRetries { return .stop }
        let delay: Duration
        if case .reply(_, let headers) = outcome, let requested = Self.serverDelay(headers, now: now), requested <= maximumServerDelay {
            delay = requested
        } else {
            let exponent = min(attempt, 30)
            let base = min(initialDelay * (1 << exponent), maximumDelay)
            let factor = 0.75 + 0.25 * min(max(jitter, 0), 1)
            delay = base * factor
        }
        if let patience, elapsed + delay > patience { return .stop }
        return .retry(after: delay)
    }

    /// The wait a reply asks for: `retry-after-ms`, else `Retry-After` in seconds or as a date.
    static func serverDelay(_ headers: [String: String], now: Date) -> Duration? {
        if let milliseconds = headers["retry-after-ms"].flatMap(Double.init), milliseconds >= 0 {
            return .milliseconds(Int64(milliseconds))
        }
        return APIError.retryAfterSeconds(headers["retry-after"], now: now).map { .seconds($0) }
    }
}
