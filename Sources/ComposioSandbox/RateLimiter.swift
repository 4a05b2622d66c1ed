import Foundation
import Synchronization

/// Requests per organisation in fixed one-minute windows, as the service counts them.
final class RateLimiter: Sendable {
    /// Requests allowed per window; 0 turns limiting off.
    let limit: Int
    static let windowSeconds = 60
    private let windows = Mutex<[String: (window: Int, count: Int)]>([:])

    init(limit: Int) {
        self.limit = limit
    }

    struct Decision: Equatable {
        var allowed: Bool
        var remaining: Int
        /// Seconds until the window resets.
        var resetIn: Int
    }

    /// Counts one request for `org` at `now` and says whether it may proceed.
    func admit(org: String, now: Date) -> Decision {
        let seconds = Int(now.timeIntervalSince1970)
        let window = seconds / Self.windowSeconds
        let resetIn = Self.windowSeconds - seconds % Self.windowSeconds
        return windows.withLock { state in
            var entry = state[org] ?? (window, 0)
            if entry.window != window { entry = (window, 0) }
            guard entry.count < limit else {
                state[org] = entry
                return Decision(allowed: false, remaining: 0, resetIn: resetIn)
            }
            entry.count += 1
            state[org] = entry
            return Decision(allowed: true, remaining: limit - entry.count, resetIn: resetIn)
        }
    }
}
