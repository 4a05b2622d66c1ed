import Foundation
import Logging
import OnboardCore
import OnboardFiles
import OnboardStore
import Synchronization

/// A write the gateway owes its stores, as data rather than a closure, so that one the store
/// will not take can be kept on disk and made later.
package enum StoreWrite: Codable, Sendable, Equatable {
    /// An event for the audit trail.
    case audit(AuditEvent)
    /// A session's account and status, for `invite watch`.
    case outcome(invite: String, accountId: String?, status: String?, errorCode: String?)
    /// A session's end.
    case end(invite: String, exitStatus: Int, at: Date)
    /// A claim given back (the session never reached the customer).
    case release(invite: String, claimedAt: Date)
    /// The customer asked for help, for `invite watch`.
    case helpRequested(invite: String, at: Date)
    /// An operator's note to the customer, for `invite watch`.
    case operatorNote(invite: String, text: String)

    /// Words for the log.
    var what: String {
        switch self {
        case .audit(let event): "the audit event \(event.event)"
        case .outcome(let invite, _, _, _): "the outcome of \(invite)"
        case .end(let invite, _, _): "the end of \(invite)"
        case .release(let invite, _): "the release of \(invite)"
        case .helpRequested(let invite, _): "the help request of \(invite)"
        case .operatorNote(let invite, _): "a note on \(invite)"
        }
    }

    /// The trail and the invites wait on separate queues: a trail that cannot be written does
    /// not hold back `invite watch`, nor the other way round.
    var isAudit: Bool {
        if case .audit = self { return true }
        return false
    }

    /// Makes the write; true when it changed something (a release that found its claim).
    func apply(invites: any InviteStore, audit: (any AuditSink)?) async throws -> Bool {
        switch self {
        case .audit(let event):
            try await audit?.record(event)
            return true
        case .outcome(let invite, let accountId, let status, let errorCode):
            return try await invites.recordOutcome(id: invite, accountId: accountId, status: status, errorCode: errorCode)
        case .end(let invite, let exitStatus, let at):
            try await invites.recordEnd(id: invite, exitStatus: exitStatus, at: at)
            return true
        case .release(let invite, let claimedAt):
            return try await invites.release(id: invite, claimedAt: claimedAt)
        case .helpRequested(let invite, let at):
            try await invites.recordAssistance(id: invite, helpAt: at, note: nil)
            return true
        case .operatorNote(let invite, let text):
            try await invites.recordAssistance(id: invite, helpAt: nil, note: text)
            return true
        }
    }
}

/// The gateway's writes to its trail and its invite store, each on its own queue, in order,
/// retried with backoff: a database restart delays them and loses none. A write still refused
/// after `attempts` tries (a few minutes) goes to the dead-letter file (0600) instead of holding
/// every later write behind it; the file is replayed when the gateway next starts. A session's
/// event is answered (and the session says "connected") only once it is written or kept there.
final class StoreWriter: Sendable {
    struct Queued: Sendable {
        /// nil marks a point in the queue (for `drain`): nothing is written.
        let write: StoreWrite?
        let done: (@Sendable (Bool) -> Void)?
    }

    private let trail: AsyncStream<Queued>.Continuation
    private let invites: AsyncStream<Queued>.Continuation
    private let workers: [Task<Void, Never>]
    let deadLetter: DeadLetterFile?
    /// What backoffs and the drain's limit wait on.
    private let clock: any Timekeeper
    /// Told of each failed try and the queues' depth.
    private let metrics: GatewayMetrics?
    /// Writes queued and not yet made (or kept), on both queues.
    private let depth: QueueDepth

    /// - Parameters:
    ///   - attempts: tries before a write is dead-lettered (with no file: retried for ever).
    ///   - firstDelay: the first backoff; each next one doubles, up to 10 seconds.
    init(
        invites store: any InviteStore, audit: (any AuditSink)?, logger: Logger, deadLetter: DeadLetterFile? = nil, attempts: Int = 30,
        firstDelay: Duration = .milliseconds(250), clock: any Timekeeper = SystemTimekeeper(), metrics: GatewayMetrics? = nil
    ) {
        self.deadLetter = deadLetter
        self.clock = clock
        self.metrics = metrics
        let depth = QueueDepth()
        self.depth = depth
        var workers: [Task<Void, Never>] = []
        var continuations: [AsyncStream<Queued>.Continuation] = []
        for lane in ["trail", "invites"] {
            let (stream, continuation) = AsyncStream<Queued>.makeStream()
            continuations.append(continuation)
            workers.append(
                Task {
                    var failing = false
                    for await queued in stream {
                        guard let write = queued.write else {
                            queued.done?(true)
                            continue
                        }
                        var delay = firstDelay
                        var attempt = 0
                        while true {
                            attempt += 1
                            do {
                                let changed = try await write.apply(invites: store, audit: audit)
                                metrics?.storeWrite(failed: false)
                                metrics?.storeQueue(depth.add(-1))
                                if failing {
                                    logger.notice("The \(lane) store is reachable again; writes go on.")
                                    failing = false
                                }
                                queued.done?(changed)
                                break
                            } catch {
                                metrics?.storeWrite(failed: true)
                                if !failing {
                                    logger.error("Cannot write \(write.what) (\(error)); retrying with backoff, later \(lane) writes waiting behind it.")
                                    failing = true
                                }
                                if let deadLetter, attempt >= attempts {
                                    deadLetter.keep(write, logger: logger)
                                    metrics?.storeQueue(depth.add(-1))
                                    queued.done?(false)
                                    break
                                }
                                try? await clock.sleep(for: delay)
                                delay = min(delay * 2, .seconds(10))
                            }
                        }
                    }
                })
        }
        trail = continuations[0]
        invites = continuations[1]
        self.workers = workers
    }

    /// Queues a write; `done` runs once it succeeded (with whether it changed anything) or was
    /// kept in the dead-letter file (with false).
    func enqueue(_ write: StoreWrite, done: (@Sendable (Bool) -> Void)? = nil) {
        metrics?.storeQueue(depth.add(1))
        (write.isAudit ? trail : invites).yield(Queued(write: write, done: done))
    }

    /// Makes again the writes a previous run could not, and keeps those that still fail.
    func replayDeadLetters(logger: Logger) {
        guard let deadLetter else { return }
        let writes = deadLetter.takeAll(logger: logger)
        guard !writes.isEmpty else { return }
        logger.notice("Replaying \(writes.count) write\(writes.count == 1 ? "" : "s") a previous run could not make.")
        for write in writes { enqueue(write) }
    }

    /// Waits for everything queued so far on both queues (at shutdown), for at most `limit`.
    func drain(limit: Duration = .seconds(10)) async {
        let drained = AsyncStream<Void>.makeStream()
        let remaining = Countdown(2) { drained.continuation.finish() }
        for lane in [trail, invites] {
            lane.yield(Queued(write: nil, done: { _ in remaining.tick() }))
        }
        let waiting = Task { for await _ in drained.stream {} }
        let timeout = Task {
            try? await clock.sleep(for: limit)
            drained.continuation.finish()
        }
        await waiting.value
        timeout.cancel()
    }
}

/// Calls `body` once `tick` was called `count` times.
private final class Countdown: Sendable {
    private let left: Mutex<Int>
    private let body: @Sendable () -> Void
    init(_ count: Int, _ body: @escaping @Sendable () -> Void) {
        left = Mutex(count)
        self.body = body
    }
    func tick() {
        if left.withLock({ count in
            count -= 1
            return count == 0
        }) {
            body()
        }
    }
}

/// Writes the stores would not take, one JSON line each, 0600, synced: kept across a restart
/// and replayed at the next start. Holds names, ids and statuses, never a value (a store write
/// carries none).
package final class DeadLetterFile: Sendable {
    package let path: String
    private let lock = Mutex(())

    package init(path: String) {
        self.path = path
    }

    /// Appends `write` (best effort: a failure is logged, and the write is lost only then).
    func keep(_ write: StoreWrite, logger: Logger) {
        lock.withLock { _ in
            do {
                try SecureFile.makeDirectory(for: path, kind: "dead-letter file")
                let descriptor = try SecureFile.openForAppend(path, kind: "dead-letter file")
                defer { close(descriptor) }
                var line = try JSONEncoder().encode(write)
                line.append(0x0A)
                guard DescriptorWriter.write(line, to: descriptor), fsync(descriptor) == 0 else {
                    throw SecureFileError("Cannot write the dead-letter file \(path): \(String(cString: strerror(errno))).")
                }
                logger.error("Kept \(write.what) in \(path); it is made again when the gateway next starts.")
            } catch {
                logger.critical("Lost \(write.what): the store refused it and the dead-letter file could not keep it (\(error)).")
            }
        }
    }

    /// Every write in the file, which is emptied (the caller queues them again; one that fails
    /// again is kept again).
    func takeAll(logger: Logger) -> [StoreWrite] {
        lock.withLock { _ in
            guard let data = try? SecureFile.readOwn(path, kind: "dead-letter file", maximumBytes: 64 << 20) else { return [] }
            let writes = data.split(separator: 0x0A).compactMap { try? JSONDecoder().decode(StoreWrite.self, from: Data($0)) }
            do {
                try SecureFile.replace(path, contents: Data(), kind: "dead-letter file")
            } catch {
                logger.error("Cannot empty the dead-letter file \(path) (\(error)); its writes are made again now and may be again next time.")
            }
            return writes
        }
    }
}

/// How many writes wait, for the metrics.
final class QueueDepth: Sendable {
    private let value = Mutex(0)
    /// Adds `change`; the new depth.
    func add(_ change: Int) -> Int {
        value.withLock {
            $0 += change; return $0
        }
    }
}
