import Foundation
import OnboardCore
import Synchronization

/// Counts failed authentications per client address and turns an address away, before its key
/// is even looked up, once it has failed too often in a minute: guessing keys gets slow, and a
/// flood of bad keys costs no digest or database lookup.
final class AuthFailureLimiter: Sendable {
    /// Failures allowed per address per window; the next request waits for the window to end.
    let limit: Int
    let windowSeconds: Int
    private let windows = Mutex<[String: (window: Int, failures: Int)]>([:])
    /// The clock the windows are counted on.
    let clock: any Timekeeper

    init(limit: Int = 10, windowSeconds: Int = 60, clock: any Timekeeper = SystemTimekeeper()) {
        self.limit = limit
        self.windowSeconds = windowSeconds
        self.clock = clock
    }

    /// Seconds `address` must wait, or nil when it may try.
    func blocked(_ address: String, now: Date) -> Int? {
        let seconds = Int(now.timeIntervalSince1970)
        return windows.withLock { state in
            guard let entry = state[address], entry.window == seconds / windowSeconds, entry.failures >= limit else { return nil }
            return windowSeconds - seconds % windowSeconds
        }
    }

    /// Records one failed authentication from `address`.
    func recordFailure(_ address: String, now: Date) {
        let window = Int(now.timeIntervalSince1970) / windowSeconds
        windows.withLock { state in
            var entry = state[address] ?? (window, 0)
            if entry.window != window { entry = (window, 0) }
            entry.failures += 1
            state[address] = entry
            // Old windows go, so a scan of many addresses cannot grow the table without end.
            if state.count > 10_000 { state = state.filter { $0.value.window == window } }
        }
    }
}
