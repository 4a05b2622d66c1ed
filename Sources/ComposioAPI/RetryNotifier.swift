import Foundation
import Synchronization

/// Tells a front end that the client is about to wait before retrying, so a person sees
/// "rate limited, retrying in 12 s" instead of a spinner that seems stuck.
package final class RetryNotifier: Sendable {
    /// One wait before a retry.
    package struct Notice: Equatable, Sendable {
        /// What was being done, e.g. "list auth configs".
        package var operation: String
        package var delay: Duration
        /// The service asked to slow down (429), rather than failed or went silent.
        package var rateLimited: Bool
        /// What is being waited for, in words, when it is not a retry of the service's (the
        /// gateway slow to record an account).
        package var reason: String? = nil
    }

    private let handler = Mutex<(@Sendable (Notice) -> Void)?>(nil)

    package init() {}

    /// Where notices go from now on.
    package func observe(_ handler: @escaping @Sendable (Notice) -> Void) {
        self.handler.withLock { $0 = handler }
    }

    /// Tells the front end that something other than a retry keeps the person waiting, for up
    /// to `delay`.
    package func notifyWaiting(_ reason: String, for delay: Duration) {
        notify(Notice(operation: reason, delay: delay, rateLimited: false, reason: reason))
    }

    func notify(_ notice: Notice) {
        let current = handler.withLock { $0 }
        current?(notice)
    }
}
