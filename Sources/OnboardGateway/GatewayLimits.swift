import Foundation
import Synchronization

/// What one gateway allows, each with a default and a flag of `onboard gateway serve`.
package struct GatewayLimits: Sendable, Equatable {
    /// From accept to a running session (OpenSSH's LoginGraceTime is 120 s; a token is typed by
    /// no one, so less is plenty).
    package var loginGrace: Duration = .seconds(60)
    /// No byte from the client for this long ends the session.
    package var idleTimeout: Duration = .seconds(15 * 60)
    /// However busy, a session ends after this long.
    package var maximumSessionLength: Duration = .seconds(60 * 60)
    /// Sessions at once; one more is told to try again later.
    package var maximumSessions = 128
    /// New connections a minute from one address, counted at accept, before any SSH.
    package var connectionsPerMinute = 30

    package init() {}
}

/// Connections a minute per address, decided at accept: a client over the limit is closed
/// before key exchange, so guessing tokens costs a connection each and a minute per 30.
package final class ConnectionRateLimiter: Sendable {
    private let perMinute: Int
    private let recent = Mutex<[String: [ContinuousClock.Instant]]>([:])

    package init(perMinute: Int) { self.perMinute = perMinute }

    package enum Verdict: Equatable, Sendable {
        case allowed
        /// Over the limit; `first` is true for the first refusal of this address in the window
        /// (the one the audit trail records, so a flood cannot fill the disk).
        case refused(first: Bool)
    }

    package func admit(_ address: String, now: ContinuousClock.Instant = .now) -> Verdict {
        guard perMinute > 0 else { return .allowed }
        return recent.withLock { table in
            let windowStart = now - .seconds(60)
            var times = (table[address] ?? []).filter { $0 > windowStart }
            if table.count > 10_000 { table = table.filter { $0.value.last.map { $0 > windowStart } ?? false } }
            guard times.count < perMinute else {
                let first = times.count == perMinute
                // One marker beyond the limit records that this window's refusal was reported.
                if first { times.append(now) }
                table[address] = times
                return .refused(first: first)
            }
            times.append(now)
            table[address] = times
            return .allowed
        }
    }
}
