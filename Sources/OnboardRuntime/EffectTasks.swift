import Synchronization

/// The effects a front end has in flight. Each leaves the set when it ends (a ten-minute link
/// wait starts some 660 polls, which used to stay), and whatever is left is cancelled when the
/// front end stops. Shared by the full-screen and the plain runtime.
final class EffectTasks: Sendable {
    private let running = Mutex<[Int: Task<Void, Never>]>([:])
    private let counter = Mutex(0)

    /// Keeps `task` until it ends.
    func add(_ task: Task<Void, Never>?) {
        guard let task else { return }
        let key = counter.withLock {
            $0 += 1
            return $0
        }
        running.withLock { $0[key] = task }
        Task { [self] in
            await task.value
            _ = running.withLock { $0.removeValue(forKey: key) }
        }
    }

    /// How many are still running.
    var count: Int { running.withLock { $0.count } }

    func cancelAll() {
        for task in running.withLock({ Array($0.values) }) { task.cancel() }
    }
}
