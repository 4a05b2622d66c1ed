import OnboardCore
import Synchronization

/// Runs an operation, but answers by `limit` whatever it does: the caller gets `timeout()` then,
/// and the operation is cancelled and left to finish on its own. (A task group would wait for
/// it: a PostgreSQL lease that does not heed cancellation kept a stopping gateway alive.)
package enum Deadline {
    /// - Parameter late: given the value of an operation that succeeded after the caller was
    ///   told it timed out (a claim that committed anyway, to be undone).
    package static func run<Value: Sendable>(
        _ limit: Duration, timeout: @escaping @Sendable () -> any Error, late: (@Sendable (Value) -> Void)? = nil,
        clock: any Timekeeper = SystemTimekeeper(), _ body: @escaping @Sendable () async throws -> Value
    ) async throws -> Value {
        let answer = Answer<Value>()
        return try await withCheckedThrowingContinuation { continuation in
            answer.set(continuation)
            let work = Task {
                do {
                    let value = try await body()
                    if !answer.give(.success(value)) { late?(value) }
                } catch {
                    answer.give(.failure(error))
                }
            }
            Task {
                try? await clock.sleep(for: limit)
                // The deadline's answer first: cancelled, the operation may fail at once with an
                // error of its own (a pool's "request cancelled"), which must not be the answer.
                answer.give(.failure(timeout()))
                work.cancel()
            }
        }
    }

    /// Resumes its continuation once: the first result wins.
    private final class Answer<Value: Sendable>: Sendable {
        private let continuation = Mutex<CheckedContinuation<Value, any Error>?>(nil)
        func set(_ waiting: CheckedContinuation<Value, any Error>) { continuation.withLock { $0 = waiting } }
        /// True when this result was the answer (false: another came first).
        @discardableResult
        func give(_ result: Result<Value, any Error>) -> Bool {
            guard let waiting = continuation.withLock({ $0.take() }) else { return false }
            waiting.resume(with: result)
            return true
        }
    }
}
