import Foundation
import Synchronization
import Testing

@testable import OnboardStore

#if canImport(Glibc)
    import Glibc
#endif

/// Where the store tests run: the same tests against each implementation.
enum StoreKind: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case sqlite, postgres
    var testDescription: String { rawValue }

    /// Two handles on one new store, as two processes (or two gateways) would hold it.
    func open() async throws -> (any InviteStore, any InviteStore) {
        switch self {
        case .sqlite:
            let path = NSTemporaryDirectory() + "onboard-invites-\(UUID().uuidString)/gateway.sqlite"
            return (try SQLiteInviteStore(path: path), try SQLiteInviteStore(path: path))
        case .postgres:
            let settings = try await TestPostgres.database()
            let first = try PostgresStore(settings)
            try await first.migrate()
            let second = try PostgresStore(settings)
            try await second.migrate()
            return (first, second)
        }
    }
}

@Suite("Invites: tokens, claims, expiry and revocation, on SQLite and PostgreSQL", .serialized)
struct InviteStoreTests {
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
        let path = NSTemporaryDirectory() + "onboard-invites-\(UUID().uuidString)/gateway.sqlite"
        let store = try SQLiteInviteStore(path: path)
        try await store.create(invite(), tokenDigest: token.digest)
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        let wal = (try? Data(contentsOf: URL(fileURLWithPath: path + "-wal"))) ?? Data()
        #expect(bytes.range(of: Data(token.text.utf8)) == nil && wal.range(of: Data(token.text.utf8)) == nil)
        let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
        #expect(mode == 0o600)
    }

    @Test("an invite is claimed once; then used, expired, revoked and unknown tokens are refused as such", arguments: StoreKind.allCases)
    func claims(_ kind: StoreKind) async throws {
        let (store, other) = try await kind.open()
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
        // The other handle (another gateway) sees the claim, the expiry and the revocation at once.
        #expect(try await other.claim(tokenDigest: live.digest, from: "10.0.0.2:5000", at: now) == .refused(.used, inviteId: first.id))
        #expect(try await other.claim(tokenDigest: expired.digest, from: "x", at: now) == .refused(.expired, inviteId: old.id))
        #expect(try await other.claim(tokenDigest: revoked.digest, from: "x", at: now) == .refused(.revoked, inviteId: withdrawn.id))
        #expect(try await other.claim(tokenDigest: InviteToken.generate().digest, from: "x", at: now) == .refused(.unknown, inviteId: nil))

        try await other.recordOutcome(id: first.id, accountId: "ca_1", status: "ACTIVE", errorCode: nil)
        try await other.recordEnd(id: first.id, exitStatus: 0, at: now)
        let ended = try #require(try await store.invite(id: first.id))
        #expect(ended.state(at: now) == .connected && ended.accountId == "ca_1" && ended.exitStatus == 0)
        #expect(try await store.invite(id: old.id)?.state(at: now) == .expired)
        #expect(try await store.invite(id: withdrawn.id)?.state(at: now) == .revoked)
        #expect(try await store.all().map(\.id).sorted() == [first.id, old.id, withdrawn.id].sorted())

        try await store.recordGateway(GatewayEndpoint(host: "gw1", port: 2222, startedAt: now.addingTimeInterval(-10)))
        try await other.recordGateway(GatewayEndpoint(host: "gw2", port: 2222, startedAt: now))
        #expect(try await store.latestGateway()?.host == "gw2")
    }

    @Test(
        "a claim is given back only as made (its time), only before an account or an end; the policy on existing accounts is kept",
        arguments: StoreKind.allCases)
    func releaseAClaim(_ kind: StoreKind) async throws {
        let (store, _) = try await kind.open()
        var invite = invite()
        invite.existing = .update
        let token = InviteToken.generate()
        try await store.create(invite, tokenDigest: token.digest)
        #expect(try await store.invite(id: invite.id)?.existing == .update)
        let at = Date()
        guard case .claimed = try await store.claim(tokenDigest: token.digest, from: "127.0.0.1:1", at: at) else {
            Issue.record("expected a claim")
            return
        }
        #expect(try await store.release(id: invite.id, claimedAt: at.addingTimeInterval(1)) == false, "another claim's time")
        #expect(try await store.release(id: invite.id, claimedAt: at))
        #expect(try await store.invite(id: invite.id)?.state(at: Date()) == .pending)
        let again = Date()
        guard case .claimed = try await store.claim(tokenDigest: token.digest, from: "127.0.0.1:2", at: again) else {
            Issue.record("the given-back invite works again")
            return
        }
        try await store.recordOutcome(id: invite.id, accountId: "ca_1", status: "ACTIVE", errorCode: nil)
        #expect(try await store.release(id: invite.id, claimedAt: again) == false, "a session that connected an account keeps its claim")
        #expect(try await store.invite(id: invite.id)?.state(at: Date()) == .connected)
    }

    @Test(
        "a gateway run whose lease runs out: its session without an account gives the invite back (interrupted), one with an account ends; one reconciler wins each",
        arguments: StoreKind.allCases)
    func leases(kind: StoreKind) async throws {
        let (first, second) = try await kind.open()
        let now = Date()
        let dead = SessionHolder(name: "gw-a:2222", lease: "lease_a_\(UUID().uuidString.prefix(6))")
        let alive = SessionHolder(name: "gw-b:2222", lease: "lease_b_\(UUID().uuidString.prefix(6))")
        let (atForm, connected, elsewhere) = (invite(now: now), invite(now: now), invite(now: now))
        let tokens = (InviteToken.generate(), InviteToken.generate(), InviteToken.generate())
        try await first.create(atForm, tokenDigest: tokens.0.digest)
        try await first.create(connected, tokenDigest: tokens.1.digest)
        try await first.create(elsewhere, tokenDigest: tokens.2.digest)
        try await first.renewLease(dead, at: now.addingTimeInterval(-60))
        try await second.renewLease(alive, at: now)
        _ = try await first.claim(tokenDigest: tokens.0.digest, from: "10.0.0.1:1", at: now.addingTimeInterval(-50), holder: dead)
        _ = try await first.claim(tokenDigest: tokens.1.digest, from: "10.0.0.2:1", at: now.addingTimeInterval(-50), holder: dead)
        _ = try await first.recordOutcome(id: connected.id, accountId: "ca_1", status: "ACTIVE", errorCode: nil)
        _ = try await second.claim(tokenDigest: tokens.2.digest, from: "10.0.0.3:1", at: now, holder: alive)
        #expect(try await first.invite(id: atForm.id)?.heldBy == "gw-a:2222")

        // Two gateways reconcile at once: each orphan is changed by one of them.
        async let one = first.reconcile(deadAfter: 30, at: now, mine: alive)
        async let other = second.reconcile(deadAfter: 30, at: now, mine: SessionHolder(name: "gw-c:2222", lease: "lease_c"))
        let changed = try await one + other
        #expect(changed.map(\.id).sorted() == [atForm.id, connected.id].sorted())
        let given = try #require(try await second.invite(id: atForm.id))
        #expect(given.state(at: now) == .interrupted && given.claimedAt == nil && given.interruptedAt != nil)
        #expect(try await second.invite(id: connected.id)?.state(at: now) == .connected)
        #expect(try await second.invite(id: connected.id)?.endedAt != nil)
        #expect(try await second.invite(id: elsewhere.id)?.state(at: now) == .inSession, "a live run's session is left alone")
        #expect(try await first.reconcile(deadAfter: 30, at: now, mine: alive).isEmpty, "nothing twice")
        // The interrupted invite works again, once.
        guard case .claimed = try await second.claim(tokenDigest: tokens.0.digest, from: "10.0.0.1:2", at: now, holder: alive) else {
            Issue.record("the interrupted invite should be claimable again")
            return
        }
        #expect(try await first.claim(tokenDigest: tokens.0.digest, from: "10.0.0.9:2", at: now, holder: alive) == .refused(.used, inviteId: atForm.id))
        #expect(try await first.invite(id: atForm.id)?.state(at: now) == .inSession)
    }

    @Test("16 logins racing for one token through two handles: exactly one claim", arguments: StoreKind.allCases)
    func racingClaims(_ kind: StoreKind) async throws {
        let (store, other) = try await kind.open()
        let token = InviteToken.generate()
        try await store.create(invite(), tokenDigest: token.digest)
        let claimed = await withTaskGroup(of: Bool.self) { group in
            for index in 0..<16 {
                let chosen = index.isMultiple(of: 2) ? store : other
                group.addTask {
                    if case .claimed = try? await chosen.claim(tokenDigest: token.digest, from: "client \(index)", at: Date()) { return true }
                    return false
                }
            }
            return await group.reduce(0) { $0 + ($1 ? 1 : 0) }
        }
        #expect(claimed == 1)
    }
}

@Suite("The audit trail in PostgreSQL", .serialized)
struct PostgresAuditTests {
    func event(_ index: Int, writer: Int) -> AuditEvent {
        AuditEvent(
            .connectionCreated, actor: .init(user: "op"), userId: "user-\(index)", accountId: "ca_\(writer)_\(index)", source: "gw\(writer)", version: "t")
    }

    @Test("four writers on two connections append 100 events: one chain, every event once, and it verifies")
    func oneChain() async throws {
        let settings = try await TestPostgres.database()
        let stores = try (0..<2).map { _ in try PostgresStore(settings) }
        try await stores[0].migrate()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for writer in 0..<4 {
                let store = stores[writer % 2]
                group.addTask {
                    for index in 0..<25 { try await store.record(event(index, writer: writer)) }
                }
            }
            try await group.waitForAll()
        }
        let text = try await stores[1].auditText()
        let report = AuditVerification.verify(text)
        #expect(report.problem == nil && report.lines == 101)
        let accounts = AuditVerification.records(in: text).compactMap(\.event.accountId)
        #expect(Set(accounts).count == 100 && accounts.count == 100)
    }

    @Test(
        "two writers with keys of their own: every 100th line is a checkpoint signed by the writer that made it and naming it; a rewrite before one, or a signer not given, fails"
    )
    func signedCheckpoints() async throws {
        let settings = try await TestPostgres.database()
        let keys = NSTemporaryDirectory() + "onboard-signers-\(UUID().uuidString.prefix(6))"
        let signers = [try AuditSigner.loadOrCreate(keyFile: keys + "/a.key"), try AuditSigner.loadOrCreate(keyFile: keys + "/b.key")]
        let stores = try signers.map { try PostgresStore(settings, signer: $0) }
        defer { for store in stores { store.close() } }
        try await stores[0].migrate()
        // Turn about: line 100 falls to the first writer's append, line 200 to the second's.
        for index in 0..<240 { try await stores[index % 2].record(event(index, writer: index % 2)) }
        let text = try await stores[0].auditText()
        let (first, second) = (signers[0].publicKey, signers[1].publicKey)
        let report = AuditVerification.verify(text, signers: [])
        #expect(report.problem == nil && report.lines == 243, "240 events, the start line and two checkpoints")
        #expect(report.signers == [first: 1, second: 1])
        #expect(AuditVerification.verify(text, signers: [first, second]).problem == nil)
        let stranger = AuditVerification.verify(text, signers: [first])
        #expect(stranger.problem?.line == 200 && stranger.problem?.message.contains("not one of the keys given") == true)

        // The table's owner rewrites line 50 and rebuilds the chain after it: the chain is whole,
        // the checkpoint at line 100 is not.
        var records = AuditVerification.records(in: text)
        records[49].event.userId = "someone-else"
        var rebuilt = Data()
        var previous = AuditLog.genesis
        for var record in records {
            record.prev = previous
            let line = AuditLog.encode(record)
            previous = AuditLog.hash(line)
            rebuilt.append(line)
            rebuilt.append(0x0A)
        }
        #expect(AuditVerification.verify(rebuilt).problem == nil, "the chain alone is whole again")
        let caught = AuditVerification.verify(rebuilt, signers: [])
        #expect(caught.problem?.line == 100 && caught.problem?.message.contains("not signed by the key it names") == true)
        // Re-signed with a key of the forger's own, it names that key, which was not given.
        let forger = try AuditSigner.loadOrCreate(keyFile: keys + "/forger.key")
        var resigned = Data()
        previous = AuditLog.genesis
        for var record in records {
            record.prev = previous
            if record.event.event == AuditEvent.Kind.auditCheckpoint.rawValue {
                record.event = forger.checkpoint(seq: record.seq, prev: previous, like: record.event, naming: true)
            }
            let line = AuditLog.encode(record)
            previous = AuditLog.hash(line)
            resigned.append(line)
            resigned.append(0x0A)
        }
        #expect(AuditVerification.verify(resigned, signers: []).problem == nil, "any valid signature passes when no key is given")
        #expect(AuditVerification.verify(resigned, signers: [first, second]).problem?.line == 100)
    }

    @Test("the trail's table refuses updates, deletes and truncation; an edit made by turning that off breaks verification at that line")
    func tamperingShows() async throws {
        let settings = try await TestPostgres.database()
        let store = try PostgresStore(settings)
        try await store.migrate()
        for index in 0..<5 { try await store.record(event(index, writer: 0)) }
        // The table refuses edits; the table's owner can still turn that off, and verify catches it.
        await #expect(throws: (any Error).self) {
            try await store.execute("UPDATE onboard_audit SET line = replace(line, 'user-2', 'user-9') WHERE seq = 4")
        }
        await #expect(throws: (any Error).self) { try await store.execute("DELETE FROM onboard_audit WHERE seq = 5") }
        await #expect(throws: (any Error).self) { try await store.execute("TRUNCATE onboard_audit") }
        #expect(AuditVerification.verify(try await store.auditText()).lines == 6, "nothing was changed")
        try await store.execute("ALTER TABLE onboard_audit DISABLE TRIGGER onboard_audit_no_update")
        try await store.execute("UPDATE onboard_audit SET line = replace(line, 'user-2', 'user-9') WHERE seq = 4")
        let report = AuditVerification.verify(try await store.auditText())
        #expect(report.problem?.line == 4 && report.problem?.message.contains("line 4 was changed") == true)
    }

    @Test("a URL with a password is refused; the password comes from a 0600 file, PGPASSWORD or .pgpass")
    func passwords() throws {
        #expect(throws: StoreError.self) { try PostgresSettings.parse("postgres://u:secret@db/x", environment: [:]) }
        let directory = NSTemporaryDirectory() + "onboard-pgpass-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let pgpass = directory + "/.pgpass"
        try "# comment\ndb.example:5432:onboard:svc:from\\:pgpass\n*:*:*:*:fallback\n".write(toFile: pgpass, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: pgpass)
        let url = "postgres://svc@db.example:5432/onboard?sslmode=verify-full"
        #expect(try PostgresSettings.parse(url, environment: ["HOME": directory]).password == "from:pgpass")
        #expect(try PostgresSettings.parse(url, environment: ["HOME": directory, "PGPASSWORD": "env"]).password == "env")
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: pgpass)
        #expect(try PostgresSettings.parse(url, environment: ["HOME": directory]).password == nil, "a .pgpass others can read is ignored")
        let file = directory + "/password"
        try "from-file\n".write(toFile: file, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: file)
        let settings = try PostgresSettings.parse(url, environment: ["ONBOARD_STORE_PASSWORD_FILE": file, "PGPASSWORD": "env"])
        #expect(settings.password == "from-file" && settings.tls == .verifyFull && settings.label == "postgres://svc@db.example:5432/onboard")
        #expect(!settings.label.contains("from-file"))
    }

    @Test("sslmode unset: verify-full for another machine, prefer for a socket or loopback; a password never goes to another machine unverified")
    func tlsByDefault() throws {
        #expect(try PostgresSettings.parse("postgres://svc@db.example/onboard", environment: [:]).tls == .verifyFull)
        #expect(try PostgresSettings.parse("postgres://svc@10.1.2.3:5433/onboard", environment: [:]).tls == .verifyFull)
        #expect(try PostgresSettings.parse("postgres://svc@127.0.0.1/onboard", environment: [:]).tls == .prefer)
        #expect(try PostgresSettings.parse("postgres://svc@localhost/onboard", environment: [:]).tls == .prefer)
        #expect(try PostgresSettings.parse("postgres://svc@/onboard?host=/var/run/postgresql", environment: [:]).tls == .prefer)
        for mode in ["disable", "prefer", "require"] {
            #expect(throws: StoreError.self, "sslmode=\(mode) with a password to another machine") {
                try PostgresSettings.parse("postgres://svc@db.example/onboard?sslmode=\(mode)", environment: ["PGPASSWORD": "pw"])
            }
            #expect(try PostgresSettings.parse("postgres://svc@db.example/onboard?sslmode=\(mode)", environment: ["HOME": "/nonexistent"]).password == nil)
        }
        #expect(try PostgresSettings.parse("postgres://svc@127.0.0.1/onboard?sslmode=disable", environment: ["PGPASSWORD": "pw"]).password == "pw")
    }

    @Test(
        "against a server that offers no TLS, verify-full (or sslmode unset, for a host not known as this machine) sends no password; with sslmode=disable the same fake server receives one"
    )
    func noPasswordWithoutTLS() async throws {
        // `127.1` reaches loopback but is not recognised as this machine, so with sslmode unset it
        // gets another machine's default, verify-full: the case of a real remote store.
        for (host, mode, expectPassword) in [("127.0.0.1", "?sslmode=verify-full", false), ("127.1", "", false), ("127.0.0.1", "?sslmode=disable", true)] {
            let server = try FakePostgres()
            let settings = try PostgresSettings.parse(
                "postgres://svc@\(host):\(server.port)/onboard\(mode)", environment: ["PGPASSWORD": "pw-canary"])
            let store = try PostgresStore(settings)
            var refusal = ""
            do { try await store.migrate() } catch { refusal = "\(error)" }
            store.close()
            #expect(!refusal.isEmpty, "\(host)\(mode): the fake server was taken for a store")
            if !expectPassword {
                // Said as it is, not as a store that did not answer.
                #expect(refusal.contains("offers no TLS") && refusal.contains("no password"), "\(refusal)")
            }
            let seen = server.finish()
            #expect(seen.reached, "the fake server was reached (\(host)\(mode))")
            #expect(seen.password == expectPassword, "\(host)\(mode): password sent \(seen.password)")
        }
    }
}

/// A PostgreSQL server in name only, on loopback: answers TLS requests with "N" (no TLS), asks
/// for a cleartext password, and records whether one came. One connection.
final class FakePostgres: @unchecked Sendable {
    let port: Int
    private let listener: Int32
    final class Seen: Sendable {
        let state = Mutex<(reached: Bool, password: Bool)>((false, false))
    }
    private let seen = Seen()
    private let thread: Thread
    private let done = DispatchSemaphore(value: 0)

    init() throws {
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        self.listener = listener
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, length) } }
        listen(listener, 4)
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(listener, $0, &length) } }
        port = Int(UInt16(bigEndian: address.sin_port))
        let seen = self.seen
        let done = self.done
        thread = Thread {
            defer { done.signal() }
            var timeout = timeval(tv_sec: 5, tv_usec: 0)
            setsockopt(listener, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
            // Every connection until `finish` (the pool retries, and the store tries one of its
            // own to say why it cannot connect).
            while true {
                let client = accept(listener, nil, nil)
                guard client >= 0 else { return }
                Self.serve(client, seen: seen)
                close(client)
            }
        }
        thread.start()
    }

    /// One connection: TLS refused, a cleartext password asked for, whether one came recorded.
    private static func serve(_ client: Int32, seen: Seen) {
        var timeout = timeval(tv_sec: 5, tv_usec: 0)
        seen.state.withLock { $0.reached = true }
        setsockopt(client, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        func read(_ count: Int) -> [UInt8]? {
            var bytes = [UInt8](repeating: 0, count: count)
            var got = 0
            while got < count {
                let n = recv(client, &bytes[got], count - got, 0)
                if n <= 0 { return nil }
                got += n
            }
            return bytes
        }
        // The startup: an SSLRequest (8 bytes) answered "N", or the startup message itself.
        guard var header = read(8) else { return }
        if header[4...7] == [0x04, 0xD2, 0x16, 0x2F] {
            _ = send(client, "N", 1, 0)
            guard let next = read(8) else { return }
            header = next
        }
        let length = Int(header[0]) << 24 | Int(header[1]) << 16 | Int(header[2]) << 8 | Int(header[3])
        guard length >= 8, read(length - 8) != nil else { return }
        // AuthenticationCleartextPassword: 'R', length 8, code 3.
        let ask: [UInt8] = [0x52, 0, 0, 0, 8, 0, 0, 0, 3]
        _ = ask.withUnsafeBytes { send(client, $0.baseAddress, $0.count, 0) }
        if let kind = read(1), kind[0] == UInt8(ascii: "p") { seen.state.withLock { $0.password = true } }
    }

    /// Stops serving and says what the server saw.
    func finish() -> (reached: Bool, password: Bool) {
        shutdown(listener, Int32(SHUT_RDWR))
        _ = done.wait(timeout: .now() + 10)
        close(listener)
        return seen.state.withLock { $0 }
    }
}

@Suite("Deadlines on store calls")
struct DeadlineTests {
    struct TooSlow: Error {}

    @Test("an operation that ignores cancellation still answers by its deadline")
    func answersInTime() async throws {
        let finished = Mutex(false)
        await #expect(throws: TooSlow.self) {
            try await Deadline.run(.milliseconds(200), timeout: { TooSlow() }) {
                // Not cancellable, like a connection lease that does not look at cancellation.
                await withCheckedContinuation { continuation in
                    DispatchQueue.global().asyncAfter(deadline: .now() + 5) { continuation.resume() }
                }
                finished.withLock { $0 = true }
                return 1
            }
        }
        // The answer came while the operation was still waiting, not when it ended.
        #expect(finished.withLock { $0 } == false)
        #expect(try await Deadline.run(.seconds(5), timeout: { TooSlow() }) { 42 } == 42)
    }
}
