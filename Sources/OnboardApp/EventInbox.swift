import OnboardCore
import Synchronization

/// Where effect tasks post their result events for the loop to reduce, in arrival order.
final class EventInbox<Event: Sendable>: Sendable {
    private let events = Mutex<[Event]>([])

    func post(_ event: Event) {
        events.withLock { $0.append(event) }
    }

    /// Everything posted since the last call.
    func drain() -> [Event] {
        events.withLock { pending in
            defer { pending.removeAll() }
            return pending
        }
    }
}
