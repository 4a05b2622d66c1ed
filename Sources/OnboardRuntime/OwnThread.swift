import Foundation

/// The loop blocks on terminal input, so it gets a thread of its own instead of one of the few
/// the concurrency pool has.
package enum OwnThread {
    /// Runs `body` on a new thread (8 MiB of stack) and returns its result.
    package static func run<Result: Sendable>(_ body: @escaping @Sendable () -> Result) async -> Result {
        await withCheckedContinuation { continuation in
            let thread = Thread { continuation.resume(returning: body()) }
            thread.stackSize = 8 << 20
            thread.start()
        }
    }
}
