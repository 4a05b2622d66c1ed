import Foundation
import Testing

@testable import OnboardStore

@Suite("Invites: tokens, claims, expiry and revocation")
struct InviteStoreTests {
    func store() throws -> (SQLiteInviteStore, String) {
        let directory = NSTemporaryDirectory() + "onboard-invites-\(UUID().uuidString)"
        let path = directory + "/gateway.sqlite"
        return (try SQLiteInviteStore(path: path), path)
    }

    func invite(expiresIn seconds: TimeInterval = 1800, now: Date = Date()) -> Invite {
        Invite(
            id: Invite.newId(), authConfig: "ac_1", userId: "alice", note: "Alice at Acme", createdBy: "op", createdAt: now,
            expiresAt: now.addingTimeInterval(seconds))
    }

    @Test("a token has 130 bits in 26 lowercase base32 characters; only its digest is stored")
    func tokens() async throws {
        let token = InviteToken.generate()
        #expect(token.text.count == 26 && token.text.allSatisfy { "abcdefghijklmnopqrstuvwxyz234567".contains($0) })
        #expect(token.digest.count == 64 && token.digest != token.text)
        #expect(InviteToken.generate() != token)
        #expect(InviteToken(candidate: token.text) == token)
        #expect(InviteToken(candidate: "root") == nil)
        #expect(InviteToken(candidate: token.text.uppercased()) == nil)
        let (store, path) = try store()
        try await store.create(invite(), tokenDigest: token.digest)
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        let wal = (try? Data(contentsOf: URL(fileURLWithPath: path + "-wal"))) ?? Data()
        #expect(bytes.range(of: Data(token.text.utf8)) == nil && wal.range(of: Data(token.text.utf8)) == nil)
    }

    @Test("an invite is claimed once; then used, expired, revoked and unknown tokens are refused as such")
    func claims() async throws {
        let (store, _) = try store()
        let now = Date()
        let (live, expired, revoked) = (InviteToken.generate(), InviteToken.generate(), InviteToken.generate())
        let first = invite(now: now)
        try await store.create(first, tokenDigest: live.digest)
        let old = invite(expiresIn: 60, now: now.addingTimeInterval(-120))
        try await store.create(old, tokenDigest: expired.digest)
        let withdrawn = invite(now: now)
        try await store.create(withdrawn, tokenDigest: revoked.digest)
        #expect(try await store.revoke(id: withdrawn.id, at: now))
        #expect(try await store.revoke(id: "inv_nothing", at: now) == false)

        guard case .claimed(let claimed) = try await store.claim(tokenDigest: live.digest, from: "10.0.0.1:5000", at: now) else {
            Issue.record("the first claim failed")
            return
        }
        #expect(claimed.claimedFrom == "10.0.0.1:5000" && claimed.state(at: now) == .inSession)
        #expect(try await store.claim(tokenDigest: live.digest, from: "10.0.0.2:5000", at: now) == .refused(.used, inviteId: first.id))
        #expect(try await store.claim(tokenDigest: expired.digest, from: "x", at: now) == .refused(.expired, inviteId: old.id))
        #expect(try await store.claim(tokenDigest: revoked.digest, from: "x", at: now) == .refused(.revoked, inviteId: withdrawn.id))
        #expect(try await store.claim(tokenDigest: InviteToken.generate().digest, from: "x", at: now) == .refused(.unknown, inviteId: nil))

        try await store.recordOutcome(id: first.id, accountId: "ca_1", status: "ACTIVE", errorCode: nil)
        try await store.recordEnd(id: first.id, exitStatus: 0, at: now)
        let ended = try #require(try await store.invite(id: first.id))
        #expect(ended.state(at: now) == .connected && ended.accountId == "ca_1" && ended.exitStatus == 0)
        #expect(try await store.invite(id: old.id)?.state(at: now) == .expired)
        #expect(try await store.invite(id: withdrawn.id)?.state(at: now) == .revoked)
        #expect(try await store.all().count == 3)
    }

    @Test("two stores on one file (as two processes), 16 logins racing for one token: exactly one claim")
    func racingClaims() async throws {
        let (store, path) = try store()
        let token = InviteToken.generate()
        try await store.create(invite(), tokenDigest: token.digest)
        let other = try SQLiteInviteStore(path: path)
        let claimed = await withTaskGroup(of: Bool.self) { group in
            for index in 0..<16 {
                let chosen: SQLiteInviteStore = index.isMultiple(of: 2) ? store : other
                group.addTask {
                    if case .claimed = try? await chosen.claim(tokenDigest: token.digest, from: "client \(index)", at: Date()) { return true }
                    return false
                }
            }
            return await group.reduce(0) { $0 + ($1 ? 1 : 0) }
        }
        #expect(claimed == 1)
    }

    @Test("the store file is created 0600")
    func fileMode() throws {
        let (_, path) = try store()
        let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
        #expect(mode == 0o600)
    }
}
