import Foundation
import Logging
import NIOSSL
import OnboardCore
import PostgresNIO

/// Invites and the audit trail in PostgreSQL, shared by several gateways and every operator's
/// onboard. Claims are one conditional UPDATE (the row lock makes a second claimant wait, then
/// find it taken); audit appends hold a transaction-scoped advisory lock while the last line is
/// read and the next written, so the chain is one across every writer.
package final class PostgresStore: InviteStore, AuditSink {
    package let settings: PostgresSettings
    private let client: PostgresClient
    private let runner: Task<Void, Never>
    private let logger: Logger
    /// This writer's own key, which signs the checkpoints it appends (each names its signer:
    /// several gateways and operators write one trail). Nil: none are written by this one.
    let signer: AuditSigner?

    /// The advisory lock that serialises audit appends (any fixed number; "onboard" in ASCII).
    static let auditLock: Int64 = 0x6f6e_626f_6172_64

    /// The schema this version of onboard creates and expects.
    package static let schemaVersion = 4

    package init(
        _ settings: PostgresSettings, signer: AuditSigner? = nil,
        logger: Logger = Logger(label: "onboard.store", factory: { _ in SwiftLogNoOpLogHandler() })
    ) throws {
        self.settings = settings
        self.signer = signer
        self.logger = logger
        var configuration: PostgresClient.Configuration
        switch settings.endpoint {
        case .tcp(let host, let port):
            configuration = .init(
                host: host, port: port, username: settings.user, password: settings.password, database: settings.database, tls: try Self.tls(settings.tls))
        case .socket(let path):
            configuration = .init(unixSocketPath: path, username: settings.user, password: settings.password, database: settings.database)
        }
        configuration.options.connectTimeout = .seconds(5)
        configuration.options.maximumConnections = 8
        client = PostgresClient(configuration: configuration, backgroundLogger: logger)
        runner = Task { [client] in await client.run() }
    }

    deinit { runner.cancel() }

    static func tls(_ mode: PostgresSettings.TLSMode) throws -> PostgresClient.Configuration.TLS {
        guard let configuration = clientTLS(mode) else { return .disable }
        return mode == .prefer ? .prefer(configuration) : .require(configuration)
    }

    /// The TLS a connection makes for `mode` (nil: none): the server's certificate verified only
    /// with verify-full. The pool and `diagnosis` both take theirs from here.
    static func clientTLS(_ mode: PostgresSettings.TLSMode) -> TLSConfiguration? {
        guard mode != .disable else { return nil }
        var configuration = TLSConfiguration.makeClientConfiguration()
        if mode != .verifyFull { configuration.certificateVerification = .none }
        return configuration
    }

    /// Stops the connection pool (a command's last step).
    package func close() { runner.cancel() }

    /// How long one operation may take before the store counts as unreachable (the pool keeps
    /// trying to connect; a caller should hear about it rather than wait forever).
    static let deadline: Duration = .seconds(8)

    @discardableResult
    private func within<Value: Sendable>(_ body: @escaping @Sendable () async throws -> Value) async throws -> Value {
        let label = settings.label
        do {
            return try await Deadline.run(Self.deadline, timeout: { Unanswered() }, body)
        } catch is Unanswered {
            // The pool retries a connection that fails for good as patiently as one that is
            // slow, so the wait alone cannot say which; one connection of its own can.
            let why = await diagnosis()
            throw StoreError(
                why ?? "The store \(label) did not answer within \(Self.deadline.components.seconds) seconds; is PostgreSQL running?")
        }
    }

    /// The deadline passed; `within` finds out why.
    private struct Unanswered: Error {}

    /// Why no connection to the store can be made, found by making one (at most 3 seconds): TLS
    /// the server does not offer, a certificate not verified, a refused login, nothing listening.
    /// Nil when that connection works (the store is slow, not away) or says nothing definite.
    func diagnosis() async -> String? {
        let label = settings.label
        var configuration: PostgresConnection.Configuration
        switch settings.endpoint {
        case .tcp(let host, let port):
            // The same TLS as the pool's, as a connection of its own takes it.
            var tls = PostgresConnection.Configuration.TLS.disable
            if let context = Self.clientTLS(settings.tls) {
                guard let ssl = try? NIOSSLContext(configuration: context) else { return nil }
                tls = settings.tls == .prefer ? .prefer(ssl) : .require(ssl)
            }
            configuration = .init(
                host: host, port: port, username: settings.user, password: settings.password, database: settings.database, tls: tls)
        case .socket(let path):
            configuration = .init(unixSocketPath: path, username: settings.user, password: settings.password, database: settings.database)
        }
        configuration.options.connectTimeout = .seconds(3)
        let (probe, logger) = (configuration, self.logger)
        do {
            let connection = try await Deadline.run(.seconds(3), timeout: { Unanswered() }) {
                try await PostgresConnection.connect(configuration: probe, id: 1, logger: logger)
            }
            try? await connection.close()
            return nil
        } catch let error as PSQLError {
            switch error.code {
            case .sslUnsupported:
                let mode = settings.tls.rawValue
                return
                    "The server at \(label) offers no TLS, and sslmode=\(mode) needs it (verify-full is the default for a host that is not this machine): nothing was sent, no password. Turn TLS on in PostgreSQL (ssl = on, with a certificate this machine trusts)."
            case .failedToAddSSLHandler:
                return "TLS to \(label) could not be set up; nothing was sent."
            case .server:
                return "The store \(label) refused the connection: \(Self.describe(error))"
            default:
                if error.underlying is NIOSSLError || error.underlying is BoringSSLError {
                    let what = error.underlying.map { "\($0)" } ?? "TLS"
                    return
                        "TLS to \(label) failed (\(what)); with sslmode=verify-full the server's certificate must name the host and chain to a CA this machine trusts. Nothing else was sent."
                }
                if error.code == .connectionError { return "Nothing answers at \(label): is PostgreSQL running, and listening there?" }
                return nil
            }
        } catch {
            return nil
        }
    }

    /// Runs one statement of the caller's (tests create databases with it).
    package func execute(_ sql: String) async throws {
        try await within { try await self.client.query(PostgresQuery(unsafeSQL: sql), logger: self.logger) }
    }

    // MARK: schema

    /// Creates or brings the schema up to date; safe to run from several processes at once.
    package func migrate() async throws { try await within { try await self.migrateNow() } }

    private func migrateNow() async throws {
        try await client.withTransaction(logger: logger) { connection in
            try await connection.query("SELECT pg_advisory_xact_lock(\(Self.auditLock + 1))", logger: logger)
            try await connection.query("CREATE TABLE IF NOT EXISTS onboard_schema (version integer NOT NULL)", logger: logger)
            var version = 0
            for try await value in try await connection.query("SELECT coalesce(max(version), 0) FROM onboard_schema", logger: logger).decode(Int.self) {
                version = value
            }
            for (number, statements) in [
                (1, Self.version1), (2, Self.version2), (3, Self.version3), (4, Self.version4), (5, Self.version5), (6, Self.version6),
            ]
            where version < number {
                for statement in statements { try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger) }
                try await connection.query("INSERT INTO onboard_schema (version) VALUES (\(number))", logger: logger)
            }
        }
    }

    static let version1 = [
        """
        CREATE TABLE onboard_invites (
            id text PRIMARY KEY, token_digest text NOT NULL UNIQUE, auth_config text NOT NULL, user_id text NOT NULL, note text,
            created_by text NOT NULL, created_at double precision NOT NULL, expires_at double precision NOT NULL,
            revoked_at double precision, claimed_at double precision, claimed_from text, account_id text, account_status text,
            error_code text, ended_at double precision, exit_status integer)
        """,
        "CREATE TABLE onboard_gateways (host text NOT NULL, port integer NOT NULL, started_at double precision NOT NULL, PRIMARY KEY (host, port))",
        "CREATE TABLE onboard_audit (seq bigint PRIMARY KEY, line text NOT NULL)",
    ]

    static let version2 = ["ALTER TABLE onboard_invites ADD COLUMN via text NOT NULL DEFAULT 'ssh'"]

    static let version3 = ["ALTER TABLE onboard_invites ADD COLUMN existing text NOT NULL DEFAULT 'add'"]

    /// The trail's table takes inserts only: an update, a delete or a truncate by any role that
    /// has not first dropped the trigger (which only the table's owner can) is refused. Gateways
    /// that log in as another role than the one that ran `store migrate` cannot rewrite history.
    static let version4 = [
        """
        CREATE FUNCTION onboard_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            RAISE EXCEPTION 'onboard_audit is append-only: % refused', TG_OP;
        END
        $$
        """,
        "CREATE TRIGGER onboard_audit_no_update BEFORE UPDATE OR DELETE ON onboard_audit FOR EACH ROW EXECUTE FUNCTION onboard_audit_append_only()",
        "CREATE TRIGGER onboard_audit_no_truncate BEFORE TRUNCATE ON onboard_audit FOR EACH STATEMENT EXECUTE FUNCTION onboard_audit_append_only()",
    ]

    static let version5 = ["greeting text", "held_by text", "help_at double precision", "operator_note text"].map {
        "ALTER TABLE onboard_invites ADD COLUMN \($0)"
    }

    static let version6 = [
        "ALTER TABLE onboard_invites ADD COLUMN held_lease text", "ALTER TABLE onboard_invites ADD COLUMN interrupted_at double precision",
        "CREATE TABLE onboard_leases (id text PRIMARY KEY, name text NOT NULL, heartbeat_at double precision NOT NULL)",
    ]

    // MARK: invites

    package func create(_ invite: Invite, tokenDigest: String) async throws {
        try await within {
            try await self.client.query(
                """
                INSERT INTO onboard_invites (id, token_digest, auth_config, user_id, note, created_by, created_at, expires_at, via, account_id, existing, greeting)
                VALUES (\(invite.id), \(tokenDigest), \(invite.authConfig), \(invite.userId), \(invite.note), \(invite.createdBy),
                        \(invite.createdAt.timeIntervalSince1970), \(invite.expiresAt.timeIntervalSince1970), \(invite.via.rawValue),
                        \(invite.accountId), \(invite.existing.rawValue), \(invite.greeting))
                """, logger: self.logger)
        }
    }

    package func invite(id: String) async throws -> Invite? {
        try await within { try await self.invites(try await self.client.query("SELECT * FROM onboard_invites WHERE id = \(id)", logger: self.logger)).first }
    }

    package func all() async throws -> [Invite] {
        try await within {
            try await self.invites(try await self.client.query("SELECT * FROM onboard_invites ORDER BY created_at DESC, id", logger: self.logger))
        }
    }

    package func claim(tokenDigest: String, from address: String, at now: Date, holder: SessionHolder?) async throws -> InviteClaim {
        try await within { try await self.claimNow(tokenDigest: tokenDigest, from: address, at: now, holder: holder) }
    }

    private func claimNow(tokenDigest: String, from address: String, at now: Date, holder: SessionHolder?) async throws -> InviteClaim {
        let time = now.timeIntervalSince1970
        let claimed = try await invites(
            try await client.query(
                """
                UPDATE onboard_invites SET claimed_at = \(time), claimed_from = \(address), held_by = \(holder?.name), held_lease = \(holder?.lease)
                WHERE token_digest = \(tokenDigest) AND claimed_at IS NULL AND revoked_at IS NULL AND expires_at > \(time)
                RETURNING *
                """, logger: logger))
        if let invite = claimed.first { return .claimed(invite) }
        guard let invite = try await invites(try await client.query("SELECT * FROM onboard_invites WHERE token_digest = \(tokenDigest)", logger: logger)).first
        else { return .refused(.unknown, inviteId: nil) }
        if invite.revokedAt != nil { return .refused(.revoked, inviteId: invite.id) }
        if invite.claimedAt != nil { return .refused(.used, inviteId: invite.id) }
        return .refused(.expired, inviteId: invite.id)
    }

    package func release(id: String, claimedAt: Date) async throws -> Bool {
        try await within {
            var released = false
            for try await _ in try await self.client.query(
                """
                UPDATE onboard_invites SET claimed_at = NULL, claimed_from = NULL
                WHERE id = \(id) AND claimed_at = \(claimedAt.timeIntervalSince1970) AND ended_at IS NULL AND account_id IS NULL
                RETURNING id
                """, logger: self.logger)
            {
                released = true
            }
            return released
        }
    }

    package func revoke(id: String, at now: Date) async throws -> Bool {
        try await within {
            try await self.client.query(
                "UPDATE onboard_invites SET revoked_at = \(now.timeIntervalSince1970) WHERE id = \(id) AND revoked_at IS NULL", logger: self.logger)
        }
        return try await invite(id: id) != nil
    }

    @discardableResult
    package func recordOutcome(id: String, accountId: String?, status: String?, errorCode: String?) async throws -> Bool {
        try await within {
            var changed = false
            for try await _ in try await self.client.query(
                """
                UPDATE onboard_invites SET account_id = coalesce(\(accountId), account_id), account_status = \(status), error_code = \(errorCode)
                WHERE id = \(id) AND (account_status IS DISTINCT FROM \(status) OR error_code IS DISTINCT FROM \(errorCode))
                RETURNING id
                """, logger: self.logger)
            {
                changed = true
            }
            return changed
        }
    }

    package func recordEnd(id: String, exitStatus: Int, at now: Date) async throws {
        try await within {
            try await self.client.query(
                "UPDATE onboard_invites SET ended_at = \(now.timeIntervalSince1970), exit_status = \(exitStatus) WHERE id = \(id) AND ended_at IS NULL",
                logger: self.logger)
        }
    }

    package func recordAssistance(id: String, helpAt: Date?, note: String?) async throws {
        try await within {
            try await self.client.query(
                """
                UPDATE onboard_invites SET help_at = coalesce(\(helpAt?.timeIntervalSince1970), help_at), operator_note = coalesce(\(note), operator_note)
                WHERE id = \(id)
                """, logger: self.logger)
        }
    }

    package func renewLease(_ lease: SessionHolder, at now: Date) async throws {
        try await within {
            try await self.client.query(
                """
                INSERT INTO onboard_leases (id, name, heartbeat_at) VALUES (\(lease.lease), \(lease.name), \(now.timeIntervalSince1970))
                ON CONFLICT (id) DO UPDATE SET heartbeat_at = excluded.heartbeat_at
                """, logger: self.logger)
        }
    }

    package func endLease(_ lease: SessionHolder) async throws {
        try await within { try await self.client.query("DELETE FROM onboard_leases WHERE id = \(lease.lease)", logger: self.logger) }
    }

    package func reconcile(deadAfter: TimeInterval, at now: Date, mine: SessionHolder) async throws -> [Invite] {
        try await within { try await self.reconcileNow(deadAfter: deadAfter, at: now, mine: mine) }
    }

    /// Each orphan is changed by one conditional update: of several gateways reconciling at
    /// once, one wins it (and writes the trail).
    private func reconcileNow(deadAfter: TimeInterval, at now: Date, mine: SessionHolder) async throws -> [Invite] {
        let time = now.timeIntervalSince1970
        let cutoff = time - deadAfter
        let orphans = try await invites(
            try await client.query(
                """
                SELECT * FROM onboard_invites
                WHERE claimed_at IS NOT NULL AND ended_at IS NULL AND held_lease IS NOT NULL AND held_lease <> \(mine.lease)
                  AND held_lease NOT IN (SELECT id FROM onboard_leases WHERE heartbeat_at > \(cutoff))
                """, logger: logger))
        var changed: [Invite] = []
        for invite in orphans {
            let rows: PostgresRowSequence
            if invite.accountId == nil {
                rows = try await client.query(
                    """
                    UPDATE onboard_invites SET claimed_at = NULL, claimed_from = NULL, held_by = NULL, held_lease = NULL, interrupted_at = \(time)
                    WHERE id = \(invite.id) AND held_lease = \(invite.heldLease) AND ended_at IS NULL AND account_id IS NULL
                    RETURNING id
                    """, logger: logger)
            } else {
                rows = try await client.query(
                    """
                    UPDATE onboard_invites SET ended_at = \(time), interrupted_at = \(time)
                    WHERE id = \(invite.id) AND held_lease = \(invite.heldLease) AND ended_at IS NULL
                    RETURNING id
                    """, logger: logger)
            }
            for try await _ in rows { changed.append(invite) }
        }
        try await client.query(
            "DELETE FROM onboard_leases WHERE id <> \(mine.lease) AND heartbeat_at <= \(cutoff)", logger: logger)
        return changed
    }

    package func recordGateway(_ endpoint: GatewayEndpoint) async throws {
        try await within {
            try await self.client.query(
                """
                INSERT INTO onboard_gateways (host, port, started_at) VALUES (\(endpoint.host), \(endpoint.port), \(endpoint.startedAt.timeIntervalSince1970))
                ON CONFLICT (host, port) DO UPDATE SET started_at = excluded.started_at
                """, logger: self.logger)
        }
    }

    package func latestGateway() async throws -> GatewayEndpoint? {
        try await within { try await self.latestGatewayNow() }
    }

    private func latestGatewayNow() async throws -> GatewayEndpoint? {
        for try await (host, port, started) in try await client.query(
            "SELECT host, port, started_at FROM onboard_gateways ORDER BY started_at DESC LIMIT 1", logger: logger
        ).decode((String, Int, Double).self) {
            return GatewayEndpoint(host: host, port: port, startedAt: Date(timeIntervalSince1970: started))
        }
        return nil
    }

    private func invites(_ rows: PostgresRowSequence) async throws -> [Invite] {
        var found: [Invite] = []
        for try await row in rows {
            let cells = row.makeRandomAccess()
            func date(_ name: String) throws -> Date? { try cells[name].decode(Double?.self).map { Date(timeIntervalSince1970: $0) } }
            var invite = Invite(
                id: try cells["id"].decode(String.self), authConfig: try cells["auth_config"].decode(String.self),
                userId: try cells["user_id"].decode(String.self), note: try cells["note"].decode(String?.self),
                createdBy: try cells["created_by"].decode(String.self), createdAt: try date("created_at") ?? Date(timeIntervalSince1970: 0),
                expiresAt: try date("expires_at") ?? Date(timeIntervalSince1970: 0))
            invite.via = Invite.Via(rawValue: try cells["via"].decode(String.self)) ?? .ssh
            invite.revokedAt = try date("revoked_at")
            invite.claimedAt = try date("claimed_at")
            invite.claimedFrom = try cells["claimed_from"].decode(String?.self)
            invite.accountId = try cells["account_id"].decode(String?.self)
            invite.accountStatus = try cells["account_status"].decode(String?.self)
            invite.errorCode = try cells["error_code"].decode(String?.self)
            invite.endedAt = try date("ended_at")
            invite.exitStatus = try cells["exit_status"].decode(Int?.self)
            invite.existing = Invite.ExistingAccounts(rawValue: try cells["existing"].decode(String.self)) ?? .add
            invite.greeting = try cells["greeting"].decode(String?.self)
            invite.heldBy = try cells["held_by"].decode(String?.self)
            invite.helpRequestedAt = try date("help_at")
            invite.operatorNote = try cells["operator_note"].decode(String?.self)
            invite.heldLease = try cells["held_lease"].decode(String?.self)
            invite.interruptedAt = try date("interrupted_at")
            found.append(invite)
        }
        return found
    }

    // MARK: the audit trail

    package func record(_ event: AuditEvent) async throws(AuditError) {
        do {
            try await within { try await self.append(event) }
        } catch let error as AuditError {
            throw error
        } catch {
            throw AuditError("Cannot write the audit trail in \(settings.label): \(Self.describe(error))")
        }
    }

    private func append(_ event: AuditEvent) async throws {
        let logger = self.logger
        let label = settings.label
        try await client.withTransaction(logger: logger) { connection in
            try await connection.query("SELECT pg_advisory_xact_lock(\(Self.auditLock))", logger: logger)
            var last: Data?
            for try await line in try await connection.query("SELECT line FROM onboard_audit ORDER BY seq DESC LIMIT 1", logger: logger).decode(
                String.self)
            {
                last = Data(line.utf8)
            }
            let links = try AuditLog.links([event], after: last, signer: signer, naming: true, now: SystemTimekeeper().date, trail: label)
            for link in links {
                try await connection.query(
                    "INSERT INTO onboard_audit (seq, line) VALUES (\(link.record.seq), \(String(decoding: link.line, as: UTF8.self)))", logger: logger)
            }
        }
    }

    /// The whole trail as the file would hold it: one line per record, in order.
    package func auditText() async throws -> Data {
        try await within { try await self.auditTextNow() }
    }

    private func auditTextNow() async throws -> Data {
        var text = Data()
        for try await line in try await client.query("SELECT line FROM onboard_audit ORDER BY seq", logger: logger).decode(String.self) {
            text.append(Data(line.utf8))
            text.append(0x0A)
        }
        return text
    }

    /// A database error in a sentence (postgres-nio's own description hides the server's
    /// message to keep queries out of logs; the message is what an operator needs).
    package static func describe(_ error: any Error) -> String {
        if let error = error as? PSQLError {
            if let message = error.serverInfo?[.message] { return message }
            return "\(error.code)"
        }
        return "\(error)"
    }
}
