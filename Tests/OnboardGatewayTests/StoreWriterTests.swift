import Foundation
import Logging
import OnboardStore
import Synchronization
import Testing

@testable import OnboardGateway

/// A store that refuses every write while `failing`, and remembers the ends it recorded.
final class FlakyStore: InviteStore {
    let failing = Mutex(true)
    let ends = Mutex<[String]>([])
    struct Down: Error {}

    func recordEnd(id: String, exitStatus: Int, at now: Date) async throws {
        if failing.withLock({ $0 }) { throw Down() }
        ends.withLock { $0.append(id) }
    }
    func recordAssistance(id: String, helpAt: Date?, note: String?) async throws {
        if failing.withLock({ $0 }) { throw Down() }
    }
    func recordOutcome(id: String, accountId: String?, status: String?, errorCode: String?) async throws -> Bool {
        if failing.withLock({ $0 }) { throw Down() }
        return true
    }
    func claim(tokenDigest: String, from address: String, at now: Date, holder: SessionHolder?) async throws -> InviteClaim {
        .refused(.unknown, inviteId: nil)
    }
    func renewLease(_ lease: SessionHolder, at now: Date) async throws {}
    func endLease(_ lease: SessionHolder) async throws {}
    func reconcile(deadAfter: TimeInterval, at now: Date, mine: SessionHolder) async throws -> [Invite] { [] }
    func release(id: String, claimedAt: Date) async throws -> Bool { false }
    func create(_ invite: Invite, tokenDigest: String) async throws {}
    func invite(id: String) async throws -> Invite? { nil }
    func all() async throws -> [Invite] { [] }
    func revoke(id: String, at now: Date) async throws -> Bool { false }
    func recordGateway(_ endpoint: GatewayEndpoint) async throws {}
    func latestGateway() async throws -> GatewayEndpoint? { nil }
}

@Suite("The gateway's store writes")
struct StoreWriterTests {
    let logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })

    @Test("a write the store keeps refusing goes to the dead-letter file (0600) after its tries, and is made at the next start")
    func deadLetter() async throws {
        let path = NSTemporaryDirectory() + "onboard-dead-\(UUID().uuidString)/gateway-dead-letter.jsonl"
        let store = FlakyStore()
        let writer = StoreWriter(
            invites: store, audit: nil, logger: logger, deadLetter: DeadLetterFile(path: path), attempts: 3, firstDelay: .milliseconds(5))
        let answered = Mutex<Bool?>(nil)
        writer.enqueue(.end(invite: "inv_lost", exitStatus: 0, at: Date())) { changed in answered.withLock { $0 = changed } }
        for _ in 0..<100 where answered.withLock({ $0 }) == nil { try await Task.sleep(for: .milliseconds(20)) }
        #expect(answered.withLock { $0 } == false, "answered, as kept rather than made")
        let kept = try String(contentsOfFile: path, encoding: .utf8)
        #expect(kept.split(separator: "\n").count == 1 && kept.contains("inv_lost"))
        let mode = try #require(try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int)
        #expect(mode == 0o600)
        // A later write is not held behind it.
        #expect(store.ends.withLock { $0 }.isEmpty)

        // The store is back; the next start replays the file and empties it.
        store.failing.withLock { $0 = false }
        let next = StoreWriter(invites: store, audit: nil, logger: logger, deadLetter: DeadLetterFile(path: path), attempts: 3, firstDelay: .milliseconds(5))
        next.replayDeadLetters(logger: logger)
        await next.drain()
        #expect(store.ends.withLock { $0 } == ["inv_lost"])
        #expect(try String(contentsOfFile: path, encoding: .utf8).isEmpty)
    }

    @Test("without a dead-letter file a write is retried until the store takes it")
    func retriedUntilTaken() async throws {
        let store = FlakyStore()
        let writer = StoreWriter(invites: store, audit: nil, logger: logger, attempts: 2, firstDelay: .milliseconds(5))
        writer.enqueue(.end(invite: "inv_kept", exitStatus: 0, at: Date()))
        try await Task.sleep(for: .milliseconds(100))
        #expect(store.ends.withLock { $0 }.isEmpty)
        store.failing.withLock { $0 = false }
        await writer.drain()
        #expect(store.ends.withLock { $0 } == ["inv_kept"])
    }
}
