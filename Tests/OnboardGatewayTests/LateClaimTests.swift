import Foundation
import Logging
import NIOPosix
import OnboardStore
import Synchronization
import Testing

@testable import OnboardGateway

/// A store whose claims answer after `delay`, and which remembers what was given back.
final class SlowStore: InviteStore {
    let delay: Duration
    let invite: Invite
    let released = Mutex<[Date]>([])

    init(delay: Duration, invite: Invite) {
        self.delay = delay
        self.invite = invite
    }

    func renewLease(_ lease: SessionHolder, at now: Date) async throws {}
    func endLease(_ lease: SessionHolder) async throws {}
    func reconcile(deadAfter: TimeInterval, at now: Date, mine: SessionHolder) async throws -> [Invite] { [] }
    func claim(tokenDigest: String, from address: String, at now: Date, holder: SessionHolder?) async throws -> InviteClaim {
        // Like a database that does not heed cancellation: the claim commits after `delay` anyway.
        let (seconds, attoseconds) = delay.components
        let nanoseconds = Int(seconds) * 1_000_000_000 + Int(attoseconds / 1_000_000_000)
        await withCheckedContinuation { continuation in
            DispatchQueue.global().asyncAfter(deadline: .now() + .nanoseconds(nanoseconds)) { continuation.resume() }
        }
        return .claimed(invite)
    }
    func release(id: String, claimedAt: Date) async throws -> Bool {
        released.withLock { $0.append(claimedAt) }
        return true
    }
    func create(_ invite: Invite, tokenDigest: String) async throws {}
    func invite(id: String) async throws -> Invite? { invite }
    func all() async throws -> [Invite] { [invite] }
    func revoke(id: String, at now: Date) async throws -> Bool { false }
    func recordOutcome(id: String, accountId: String?, status: String?, errorCode: String?) async throws -> Bool { false }
    func recordEnd(id: String, exitStatus: Int, at now: Date) async throws {}
    func recordAssistance(id: String, helpAt: Date?, note: String?) async throws {}
    func recordGateway(_ endpoint: GatewayEndpoint) async throws {}
    func latestGateway() async throws -> GatewayEndpoint? { nil }
}

struct NoLauncher: SessionLauncher {
    func start(_ request: SessionRequest) throws -> StartedSession { throw CancellationError() }
}

@Suite("Claims against a slow store")
struct LateClaimTests {
    func context(_ store: SlowStore) -> SessionContext {
        let logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
        return SessionContext(
            store: store,
            reporter: GatewayReporter(audit: nil, logger: logger, source: "test", writer: StoreWriter(invites: store, audit: nil, logger: logger)),
            limits: GatewayLimits(), launcher: NoLauncher(), sessions: SessionRegistry(maximum: 1), connection: ConnectionState(address: "127.0.0.1:1"),
            watches: WatchRegistry(), holder: { SessionHolder(name: "test:2222", lease: "lease_test") }, hostKeyFingerprint: "SHA256:test")
    }

    static let invite = Invite(
        id: "inv_late", authConfig: "ac_1", userId: "alice", note: nil, createdBy: "op", createdAt: Date(), expiresAt: Date().addingTimeInterval(60))

    @Test("a claim that commits after the gateway stopped waiting is given back, with the time it was made")
    func lateClaimGivenBack() async throws {
        // Long enough that a loaded machine still checks "not yet" before the claim commits.
        let store = SlowStore(delay: .seconds(2), invite: Self.invite)
        let group = MultiThreadedEventLoopGroup.singleton
        let at = Date()
        let answer = context(store).claim(on: group.next(), userName: InviteToken.generate().text, address: "127.0.0.1:1", at: at, timeout: .milliseconds(50))
        await #expect(throws: StoreTimeout.self) { try await answer.get() }
        #expect(store.released.withLock { $0 }.isEmpty, "not yet: the claim is still under way")
        for _ in 0..<100 where store.released.withLock({ $0.isEmpty }) { try await Task.sleep(for: .milliseconds(50)) }
        #expect(store.released.withLock { $0 } == [at])
    }

    @Test("a claim that answers in time is the session's, and nothing is given back")
    func timelyClaimKept() async throws {
        let store = SlowStore(delay: .milliseconds(10), invite: Self.invite)
        let group = MultiThreadedEventLoopGroup.singleton
        let answer = context(store).claim(on: group.next(), userName: InviteToken.generate().text, address: "127.0.0.1:1", at: Date(), timeout: .seconds(5))
        #expect(try await answer.get() == .claimed(Self.invite))
        try await Task.sleep(for: .milliseconds(200))
        #expect(store.released.withLock { $0 }.isEmpty)
    }
}
