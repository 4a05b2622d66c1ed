import Foundation
import OnboardCore
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
    /// Connections without a running session yet, in all (OpenSSH's MaxStartups is 10:30:100;
    /// an invite needs one connection, so a few per address is plenty).
    package var maximumWaitingConnections = 256
    /// Of those, from one address (one IPv6 /64).
    package var maximumWaitingPerAddress = 10

    package init() {}
}

/// Connections a minute per address, decided at accept: a client over the limit is closed
/// before key exchange, so guessing tokens costs a connection each and a minute per 30.
package final class ConnectionRateLimiter: Sendable {
    private let limit: Mutex<Int>
    private let recent = Mutex<[String: [MonotonicInstant]]>([:])

    package init(perMinute: Int) { limit = Mutex(perMinute) }

    /// Connections a minute per address (0: no limit); a reload changes it for the next accept.
    package var perMinute: Int {
        get { limit.withLock { $0 } }
        set { limit.withLock { $0 = newValue } }
    }

    package enum Verdict: Equatable, Sendable {
        case allowed
        /// Over the limit; `first` is true for the first refusal of this address in the window
        /// (the one the audit trail records, so a flood cannot fill the disk).
        case refused(first: Bool)
    }

    package func admit(_ address: String, now: MonotonicInstant) -> Verdict {
        let perMinute = self.perMinute
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

/// Connections that have no running session yet, in all and per address group.
package final class WaitingConnections: Sendable {
    private let total: Int
    private let perAddress: Int
    private let counts = Mutex<(total: Int, groups: [String: Int], reported: Set<String>)>((0, [:], []))

    package init(total: Int, perAddress: Int) {
        self.total = total
        self.perAddress = perAddress
    }

    package enum Verdict: Equatable, Sendable {
        case admitted
        /// `first` is true for the first refusal since this group last had room (the one
        /// recorded, so a flood cannot fill the trail).
        case refused(String, first: Bool)
    }

    /// What an address counts under: itself for IPv4, its /64 for IPv6 (a client has 2^64 of
    /// those to rotate through).
    package static func group(_ address: String) -> String {
        guard address.contains(":") else { return address }
        var groups = address.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        if let gap = groups.firstIndex(of: "") {
            // Expand "::" to the zero groups it stands for.
            let present = groups.filter { !$0.isEmpty }.count
            groups.removeAll { $0.isEmpty }
            groups.insert(contentsOf: Array(repeating: "0", count: max(0, 8 - present)), at: min(gap, groups.count))
        }
        let prefix = groups.prefix(4).map { String(Int($0, radix: 16) ?? 0, radix: 16) }
        return prefix.joined(separator: ":") + "::/64"
    }

    package func admit(_ group: String) -> Verdict {
        counts.withLock { state in
            let inGroup = state.groups[group, default: 0]
            let why: String? =
                state.total >= total
                ? "\(total) connections are waiting for a session, the maximum"
                : inGroup >= perAddress ? "\(perAddress) of its connections are waiting for a session, the maximum" : nil
            if let why { return .refused(why, first: state.reported.insert(group).inserted) }
            state.total += 1
            state.groups[group] = inGroup + 1
            return .admitted
        }
    }

    package func release(_ group: String) {
        counts.withLock { state in
            state.total = max(0, state.total - 1)
            let left = state.groups[group, default: 1] - 1
            state.groups[group] = left > 0 ? left : nil
            state.reported.remove(group)
        }
    }

    /// Connections waiting now, in all.
    package var count: Int { counts.withLock { $0.total } }
}
