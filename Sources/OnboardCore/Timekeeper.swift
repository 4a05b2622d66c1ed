import Foundation

/// The time the program reads and waits on: monotonic time for intervals and deadlines, the
/// wall clock for what is shown, and sleeping. Passed to every rule that waits (the runtime
/// loop, polls, the import's pacer) so their tests run on virtual time instead of real seconds.
package protocol Timekeeper: Sendable {
    /// Monotonic time: never jumps when the wall clock is set.
    var now: ContinuousClock.Instant { get }
    /// The wall clock, for countdowns and timestamps shown to a person.
    var date: Date { get }
    /// Returns at `deadline` (at once if it passed); throws when the task is cancelled.
    func sleep(until deadline: ContinuousClock.Instant) async throws
}

extension Timekeeper {
    package func sleep(for duration: Duration) async throws {
        try await sleep(until: now + duration)
    }
}

/// A point on the monotonic clock (the type every deadline and interval is measured on).
package typealias MonotonicInstant = ContinuousClock.Instant

/// The machine's clocks.
package struct SystemTimekeeper: Timekeeper {
    package init() {}
    package var now: ContinuousClock.Instant { .now }
    package var date: Date { Date() }
    package func sleep(until deadline: ContinuousClock.Instant) async throws {
        try await ContinuousClock().sleep(until: deadline)
    }
}

extension Duration {
    /// The length in seconds, with the fraction (for `Date` arithmetic and rates).
    package var inSeconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
