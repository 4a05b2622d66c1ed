import Foundation
import OnboardCore

/// Where effect tasks post their result events for the loop to reduce, in arrival order.
final class EventInbox<Event: Sendable>: @unchecked Sendable {
    /// Guards `events`; signalled on each post so a front end with nothing else to wait on
    /// (the plain mode between questions) sleeps until a result comes instead of polling.
    private let condition = NSCondition()
    private var events: [Event] = []

    func post(_ event: Event) {
        condition.lock()
        events.append(event)
        condition.signal()
        condition.unlock()
    }

    /// Everything posted since the last call.
    func drain() -> [Event] {
        condition.lock()
        defer { condition.unlock() }
        let pending = events
        events.removeAll()
        return pending
    }

    /// Blocks until something was posted or `timeout` passed.
    func wait(upTo timeout: Duration) {
        condition.lock()
        if events.isEmpty { _ = condition.wait(until: SystemTimekeeper().date.addingTimeInterval(timeout.inSeconds)) }
        condition.unlock()
    }
}
