import Foundation
import Logging

/// The gateway's writes to its trail and its invite store, one at a time and in order, each
/// retried with backoff until it is done: a database restart delays them and loses none. A
/// session's event is answered (and the session says "connected") only after it is written.
final class StoreWriter: Sendable {
    struct Write: Sendable {
        let what: String
        let operation: @Sendable () async throws -> Void
        let done: (@Sendable () -> Void)?
    }

    private let continuation: AsyncStream<Write>.Continuation
    private let worker: Task<Void, Never>

    init(logger: Logger) {
        let (stream, continuation) = AsyncStream<Write>.makeStream()
        self.continuation = continuation
        worker = Task {
            var failing = false
            for await write in stream {
                var delay: Duration = .milliseconds(250)
                while true {
                    do {
                        try await write.operation()
                        if failing {
                            logger.notice("The store is reachable again; writes go on.")
                            failing = false
                        }
                        break
                    } catch {
                        if !failing {
                            logger.error("Cannot write \(write.what) (\(error)); retrying with backoff, later writes waiting behind it.")
                            failing = true
                        }
                        try? await Task.sleep(for: delay)
                        delay = min(delay * 2, .seconds(10))
                    }
                }
                write.done?()
            }
        }
    }

    /// Queues a write; `done` runs once it succeeded.
    func enqueue(_ what: String, done: (@Sendable () -> Void)? = nil, _ operation: @escaping @Sendable () async throws -> Void) {
        continuation.yield(Write(what: what, operation: operation, done: done))
    }

    /// Waits for everything queued so far (at shutdown), for at most `limit`.
    func drain(limit: Duration = .seconds(10)) async {
        let drained = AsyncStream<Void>.makeStream()
        enqueue("the queue's end", done: { drained.continuation.finish() }) {}
        let waiting = Task { for await _ in drained.stream {} }
        let timeout = Task {
            try? await Task.sleep(for: limit)
            drained.continuation.finish()
        }
        await waiting.value
        timeout.cancel()
    }
}
