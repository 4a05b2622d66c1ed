import Foundation
import GRDB
import OnboardCore
import OnboardSQLite

/// Invites in a SQLite file (`$XDG_STATE_HOME/onboard/gateway.sqlite`), shared by the gateway
/// and the `onboard invite` commands of the same user on the same machine.
package final class SQLiteInviteStore: InviteStore {
    private let database: any DatabaseWriter

    package init(path: String) throws {
        database = try SQLiteFile.open(path: path, kind: "invite store", migrator: Self.migrator)
    }

    /// `$XDG_STATE_HOME/onboard/gateway.sqlite`, else under `~/.local/state`.
    package static func defaultPath(environment: [String: String] = ProcessEnvironment.current()) -> String {
        if let base = environment["XDG_STATE_HOME"], base.hasPrefix("/") { return base + "/onboard/gateway.sqlite" }
        return (environment["HOME"] ?? NSHomeDirectory()) + "/.local/state/onboard/gateway.sqlite"
    }

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1: invites") { db in
            try db.execute(
                sql: """
                    CREATE TABLE invites (
                        id TEXT PRIMARY KEY,
                        token_digest TEXT NOT NULL UNIQUE,
                        auth_config TEXT NOT NULL,
                        user_id TEXT NOT NULL,
                        note TEXT,
                        created_by TEXT NOT NULL,
                        created_at REAL NOT NULL,
                        expires_at REAL NOT NULL,
                        revoked_at REAL,
                        claimed_at REAL,
                        claimed_from TEXT,
                        account_id TEXT,
                        account_status TEXT,
                        error_code TEXT,
                        ended_at REAL,
                        exit_status INTEGER
                    )
                    """)
            try db.execute(sql: "CREATE TABLE gateways (host TEXT NOT NULL, port INTEGER NOT NULL, started_at REAL NOT NULL, PRIMARY KEY (host, port))")
        }
        migrator.registerMigration("v2: invites by hosted link") { db in
            try db.execute(sql: "ALTER TABLE invites ADD COLUMN via TEXT NOT NULL DEFAULT 'ssh'")
        }
        migrator.registerMigration("v3: what a session may do with existing accounts") { db in
            try db.execute(sql: "ALTER TABLE invites ADD COLUMN existing TEXT NOT NULL DEFAULT 'add'")
        }
        migrator.registerMigration("v4: operator-assisted sessions") { db in
            for column in ["greeting TEXT", "held_by TEXT", "help_at REAL", "operator_note TEXT"] {
                try db.execute(sql: "ALTER TABLE invites ADD COLUMN \(column)")
            }
        }
        migrator.registerMigration("v5: gateway leases") { db in
            try db.execute(sql: "ALTER TABLE invites ADD COLUMN held_lease TEXT")
            try db.execute(sql: "ALTER TABLE invites ADD COLUMN interrupted_at REAL")
            try db.execute(sql: "CREATE TABLE leases (id TEXT PRIMARY KEY, name TEXT NOT NULL, heartbeat_at REAL NOT NULL)")
        }
        return migrator
    }

    package func create(_ invite: Invite, tokenDigest: String) async throws {
        try await database.write { db in
            try db.execute(
                sql: """
                    INSERT INTO invites (id, token_digest, auth_config, user_id, note, created_by, created_at, expires_at, via, account_id, existing, greeting)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    invite.id, tokenDigest, invite.authConfig, invite.userId, invite.note, invite.createdBy,
                    invite.createdAt.timeIntervalSince1970, invite.expiresAt.timeIntervalSince1970, invite.via.rawValue, invite.accountId,
                    invite.existing.rawValue, invite.greeting,
                ])
        }
    }

    package func invite(id: String) async throws -> Invite? {
        try await database.read { db in try Row.fetchOne(db, sql: "SELECT * FROM invites WHERE id = ?", arguments: [id]).map(Self.invite) }
    }

    package func all() async throws -> [Invite] {
        try await database.read { db in try Row.fetchAll(db, sql: "SELECT * FROM invites ORDER BY created_at DESC, id").map(Self.invite) }
    }

    package func claim(tokenDigest: String, from address: String, at now: Date, holder: SessionHolder?) async throws -> InviteClaim {
        try await database.write { db in
            // One conditional update: SQLite runs writers one at a time, so of two logins with
            // one token, the second finds claimed_at already set and changes nothing.
            try db.execute(
                sql: """
                    UPDATE invites SET claimed_at = ?, claimed_from = ?, held_by = ?, held_lease = ?
                    WHERE token_digest = ? AND claimed_at IS NULL AND revoked_at IS NULL AND expires_at > ?
                    """,
                arguments: [now.timeIntervalSince1970, address, holder?.name, holder?.lease, tokenDigest, now.timeIntervalSince1970])
            let claimed = db.changesCount == 1
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM invites WHERE token_digest = ?", arguments: [tokenDigest]) else {
                return .refused(.unknown, inviteId: nil)
            }
            let invite = Self.invite(row)
            if claimed { return .claimed(invite) }
            if invite.revokedAt != nil { return .refused(.revoked, inviteId: invite.id) }
            if invite.claimedAt != nil { return .refused(.used, inviteId: invite.id) }
            return .refused(.expired, inviteId: invite.id)
        }
    }

    package func release(id: String, claimedAt: Date) async throws -> Bool {
        try await database.write { db in
            try db.execute(
                sql: """
                    UPDATE invites SET claimed_at = NULL, claimed_from = NULL
                    WHERE id = ? AND claimed_at = ? AND ended_at IS NULL AND account_id IS NULL
                    """,
                arguments: [id, claimedAt.timeIntervalSince1970])
            return db.changesCount == 1
        }
    }

    package func revoke(id: String, at now: Date) async throws -> Bool {
        try await database.write { db in
            try db.execute(sql: "UPDATE invites SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL", arguments: [now.timeIntervalSince1970, id])
            return try Bool.fetchOne(db, sql: "SELECT 1 FROM invites WHERE id = ?", arguments: [id]) ?? false
        }
    }

    @discardableResult
    package func recordOutcome(id: String, accountId: String?, status: String?, errorCode: String?) async throws -> Bool {
        try await database.write { db in
            try db.execute(
                sql: """
                    UPDATE invites SET account_id = COALESCE(?, account_id), account_status = ?, error_code = ?
                    WHERE id = ? AND (account_status IS NOT ? OR error_code IS NOT ?)
                    """,
                arguments: [accountId, status, errorCode, id, status, errorCode])
            return db.changesCount == 1
        }
    }

    package func recordEnd(id: String, exitStatus: Int, at now: Date) async throws {
        try await database.write { db in
            try db.execute(
                sql: "UPDATE invites SET ended_at = ?, exit_status = ? WHERE id = ? AND ended_at IS NULL",
                arguments: [now.timeIntervalSince1970, exitStatus, id])
        }
    }

    package func recordAssistance(id: String, helpAt: Date?, note: String?) async throws {
        try await database.write { db in
            try db.execute(
                sql: """
                    UPDATE invites SET help_at = COALESCE(?, help_at), operator_note = COALESCE(?, operator_note) WHERE id = ?
                    """,
                arguments: [helpAt?.timeIntervalSince1970, note, id])
        }
    }

    package func renewLease(_ lease: SessionHolder, at now: Date) async throws {
        try await database.write { db in
            try db.execute(
                sql: "INSERT OR REPLACE INTO leases (id, name, heartbeat_at) VALUES (?, ?, ?)",
                arguments: [lease.lease, lease.name, now.timeIntervalSince1970])
        }
    }

    package func endLease(_ lease: SessionHolder) async throws {
        try await database.write { db in try db.execute(sql: "DELETE FROM leases WHERE id = ?", arguments: [lease.lease]) }
    }

    package func reconcile(deadAfter: TimeInterval, at now: Date, mine: SessionHolder) async throws -> [Invite] {
        try await database.write { db in
            let orphans = try Row.fetchAll(
                db,
                sql: """
                    SELECT * FROM invites
                    WHERE claimed_at IS NOT NULL AND ended_at IS NULL AND held_lease IS NOT NULL AND held_lease != ?
                      AND held_lease NOT IN (SELECT id FROM leases WHERE heartbeat_at > ?)
                    """,
                arguments: [mine.lease, now.timeIntervalSince1970 - deadAfter]
            ).map(Self.invite)
            var changed: [Invite] = []
            for invite in orphans {
                if invite.accountId == nil {
                    try db.execute(
                        sql: """
                            UPDATE invites SET claimed_at = NULL, claimed_from = NULL, held_by = NULL, held_lease = NULL, interrupted_at = ?
                            WHERE id = ? AND held_lease = ? AND ended_at IS NULL AND account_id IS NULL
                            """,
                        arguments: [now.timeIntervalSince1970, invite.id, invite.heldLease])
                } else {
                    try db.execute(
                        sql: "UPDATE invites SET ended_at = ?, interrupted_at = ? WHERE id = ? AND held_lease = ? AND ended_at IS NULL",
                        arguments: [now.timeIntervalSince1970, now.timeIntervalSince1970, invite.id, invite.heldLease])
                }
                if db.changesCount == 1 { changed.append(invite) }
            }
            try db.execute(sql: "DELETE FROM leases WHERE id != ? AND heartbeat_at <= ?", arguments: [mine.lease, now.timeIntervalSince1970 - deadAfter])
            return changed
        }
    }

    package func recordGateway(_ endpoint: GatewayEndpoint) async throws {
        try await database.write { db in
            try db.execute(
                sql: "INSERT OR REPLACE INTO gateways (host, port, started_at) VALUES (?, ?, ?)",
                arguments: [endpoint.host, endpoint.port, endpoint.startedAt.timeIntervalSince1970])
        }
    }

    package func latestGateway() async throws -> GatewayEndpoint? {
        try await database.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM gateways ORDER BY started_at DESC LIMIT 1").map {
                GatewayEndpoint(host: $0["host"], port: $0["port"], startedAt: Date(timeIntervalSince1970: $0["started_at"]))
            }
        }
    }

    private static func invite(_ row: Row) -> Invite {
        func date(_ column: String) -> Date? { (row[column] as Double?).map { Date(timeIntervalSince1970: $0) } }
        var invite = Invite(
            id: row["id"], authConfig: row["auth_config"], userId: row["user_id"], note: row["note"], createdBy: row["created_by"],
            createdAt: date("created_at") ?? Date(timeIntervalSince1970: 0), expiresAt: date("expires_at") ?? Date(timeIntervalSince1970: 0))
        invite.via = Invite.Via(rawValue: row["via"] ?? "ssh") ?? .ssh
        invite.revokedAt = date("revoked_at")
        invite.claimedAt = date("claimed_at")
        invite.claimedFrom = row["claimed_from"]
        invite.accountId = row["account_id"]
        invite.accountStatus = row["account_status"]
        invite.errorCode = row["error_code"]
        invite.endedAt = date("ended_at")
        invite.exitStatus = row["exit_status"]
        invite.existing = Invite.ExistingAccounts(rawValue: row["existing"] ?? "add") ?? .add
        invite.greeting = row["greeting"]
        invite.heldBy = row["held_by"]
        invite.helpRequestedAt = date("help_at")
        invite.operatorNote = row["operator_note"]
        invite.heldLease = row["held_lease"]
        invite.interruptedAt = date("interrupted_at")
        return invite
    }
}
