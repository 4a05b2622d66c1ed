import Foundation
import Synchronization

/// What one gateway allows, each with a default and a flag of `onboard gateway serve`.
public struct GatewayLimits: Sendable, Equatable {
    /// From accept to a running session (OpenSSH's LoginGraceTime is 120 s; a token is typed by
    /// no one, so less is plenty).
    public var loginGrace: Duration = .seconds(60)
    /// No byte from the client for this long ends the session.
    public var idleTimeout: Duration = .seconds(15 * 60)
    /// However busy, a session ends after this long.
    public var maximumSessionLength: Duration = .seconds(60 * 60)
    /// Sessions at once; one more is told to try again later.
    public var maximumSessions = 128
    /// New connections a minute from one address, counted at accept, before any SSH.
    public var connectionsPerMinute = 30

    public init() {}
}

/// Connections a minute per address, decided at accept: a client over the limit is closed
/// before key exchange, so guessing tokens costs a connection each and a minute per 30.
public final class ConnectionRateLimiter: Sendable {
    private let perMinute: Int
    private let recent = Mutex<[String: [ContinuousClock.Instant]]>([:])

    public init(perMinute: Int) { self.perMinute = perMinute }

    public enum Verdict: Equatable, Sendable {
        case allowed
        /// Over the limit; `first` is true for the first refusal of this address in the window
        /// (the one the audit trail records, so a flood cannot fill the disk).
        case refused(first: Bool)
    }

    public func admit(_ address: String, now: ContinuousClock.Instant = .now) -> Verdict {
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
