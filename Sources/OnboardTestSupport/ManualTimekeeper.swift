import Foundation
import OnboardCore
import Synchronization

/// Virtual time for tests: it stands still until the test advances it, and whatever sleeps
/// wakes exactly when its deadline is passed, so a one-minute wait takes no real time and a
/// test says to the millisecond what happens when.
package final class ManualTimekeeper: Timekeeper {
    private struct Sleeper {
        let id: Int
        let deadline: ContinuousClock.Instant
        let wake: CheckedContinuation<Void, any Error>
    }

    private struct Time {
        var elapsed: Duration = .zero
        var sleepers: [Sleeper] = []
        var nextId = 0
    }

    private let origin = ContinuousClock.now
    private let originDate: Date
    private let time = Mutex(Time())

    /// - Parameter date: the wall clock at the start.
    package init(date: Date = Date(timeIntervalSince1970: 1_800_000_000)) {
        self.originDate = date
    }

    package var now: ContinuousClock.Instant { origin + time.withLock { $0.elapsed } }

    package var date: Date {
        let elapsed = time.withLock { $0.elapsed }
        return originDate.addingTimeInterval(elapsed.inSeconds)
    }

    /// How many are asleep now.
    package var sleeping: Int { time.withLock { $0.sleepers.count } }

    package func sleep(until deadline: ContinuousClock.Instant) async throws {
        let id = time.withLock {
            $0.nextId += 1
            return $0.nextId
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (wake: CheckedContinuation<Void, any Error>) in
                let due = time.withLock { state -> Bool in
                    if origin + state.elapsed >= deadline || Task.isCancelled { return true }
                    state.sleepers.append(Sleeper(id: id, deadline: deadline, wake: wake))
                    return false
                }
                if due { Task.isCancelled ? wake.resume(throwing: CancellationError()) : wake.resume() }
            }
        } onCancel: {
            let sleeper = time.withLock { state -> Sleeper? in
                guard let index = state.sleepers.firstIndex(where: { $0.id == id }) else { return nil }
                return state.sleepers.remove(at: index)
            }
            sleeper?.wake.resume(throwing: CancellationError())
        }
    }

    /// Moves time on by `duration` and wakes every sleeper whose deadline it passed.
    package func advance(by duration: Duration) {
        let woken = time.withLock { state -> [Sleeper] in
            state.elapsed += duration
            let now = origin + state.elapsed
            let due = state.sleepers.filter { $0.deadline <= now }
            state.sleepers.removeAll { $0.deadline <= now }
            return due
        }
        for sleeper in woken { sleeper.wake.resume() }
    }

    /// Waits until at least `count` tasks sleep on this clock, so a test advances time only
    /// once the code under test waits on it. Polls for the condition (up to about 5 s of real
    /// time, for a machine under load); false if it never comes.
    package func untilSleeping(_ count: Int = 1) async -> Bool {
        for _ in 0..<5000 {
            if sleeping >= count { return true }
            try? await Task.sleep(for: .milliseconds(1))
        }
        return false
    }
}
