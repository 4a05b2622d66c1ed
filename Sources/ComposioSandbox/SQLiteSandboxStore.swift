import Foundation
import GRDB
import OnboardCore
import OnboardSQLite

/// The sandbox's store on SQLite through GRDB: WAL mode on disk, migrations, one writer.
final class SQLiteSandboxStore: SandboxStore {
    let database: any DatabaseWriter

    /// Opens (creating if needed) the database at `path`, 0600, in WAL mode.
    init(path: String) throws {
        database = try SQLiteFile.open(path: path, kind: "sandbox database", migrator: Self.migrator)
    }

    /// An in-memory database, for tests.
    init() throws {
        database = try DatabaseQueue()
        try Self.migrator.migrate(database)
    }

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1: projects, keys, auth configs, connected accounts") { db in
            try db.create(table: "project") { table in
                table.primaryKey("id", .text)
                table.column("name", .text).notNull()
                table.column("org_id", .text).notNull()
                table.column("org_name", .text).notNull()
                table.column("created_at", .datetime).notNull()
            }
            try db.create(table: "api_key") { table in
                table.primaryKey("digest", .text)
                table.column("project_id", .text).notNull().references("project", onDelete: .cascade)
                table.column("name", .text).notNull()
                table.column("read_only", .boolean).notNull().defaults(to: false)
                table.column("created_at", .datetime).notNull()
            }
            try db.create(table: "auth_config") { table in
                table.primaryKey("id", .text)
                table.column("uuid", .text).notNull()
                table.column("project_id", .text).notNull().indexed().references("project", onDelete: .cascade)
                table.column("name", .text).notNull()
                table.column("toolkit_slug", .text).notNull()
                table.column("auth_scheme", .text).notNull()
                table.column("type", .text).notNull()
                table.column("is_enabled", .boolean).notNull()
                table.column("shared_credentials", .blob)
                table.column("shared_field_names", .text).notNull().defaults(to: "")
                table.column("created_at", .datetime).notNull()
                table.column("updated_at", .datetime).notNull()
            }
            try db.create(table: "connected_account") { table in
                table.primaryKey("id", .text)
                table.column("uuid", .text).notNull()
                table.column("project_id", .text).notNull().references("project", onDelete: .cascade)
                table.column("auth_config_id", .text).notNull().references("auth_config", onDelete: .cascade)
                table.column("user_id", .text).notNull()
                table.column("toolkit_slug", .text).notNull()
                table.column("auth_scheme", .text).notNull()
                table.column("status", .text).notNull()
                table.column("status_reason", .text)
                table.column("is_disabled", .boolean).notNull().defaults(to: false)
                table.column("alias", .text)
                table.column("credentials", .blob).notNull()
                table.column("created_at", .datetime).notNull()
                table.column("updated_at", .datetime).notNull()
            }
            try db.create(index: "connected_account_by_project_user", on: "connected_account", columns: ["project_id", "user_id", "auth_config_id"])
        }
        migrator.registerMigration("v2: links, soft deletes, custom credentials, org keys") { db in
            try db.alter(table: "auth_config") { table in
                table.add(column: "credentials", .blob)
                table.add(column: "is_deleted", .boolean).notNull().defaults(to: false)
            }
            try db.alter(table: "connected_account") { table in
                table.add(column: "link_token", .text)
                table.add(column: "expires_at", .datetime)
                table.add(column: "callback_url", .text)
                table.add(column: "is_deleted", .boolean).notNull().defaults(to: false)
            }
            try db.create(index: "connected_account_by_link", on: "connected_account", columns: ["link_token"], unique: true)
            try db.create(table: "org_api_key") { table in
                table.primaryKey("digest", .text)
                table.column("org_id", .text).notNull()
                table.column("name", .text).notNull()
                table.column("created_at", .datetime).notNull()
            }
        }
        migrator.registerMigration("v3: auth config settings kept by PATCH") { db in
            try db.alter(table: "auth_config") { table in
                table.add(column: "settings", .text).notNull().defaults(to: "{}")
            }
        }
        migrator.registerMigration("v4: help asked on a link's page") { db in
            try db.execute(sql: "ALTER TABLE connected_account ADD COLUMN help_requested_at DOUBLE")
        }
        return migrator
    }

    /// Whether any project exists yet (a new database is seeded once).
    func isEmpty() throws -> Bool {
        try database.read { db in try ProjectRecord.fetchCount(db) == 0 }
    }

    /// Seeds a new database, in one transaction with the check that it is empty, so two first
    /// runs at once seed it once. Returns false when another process already had.
    func insertIfEmpty(project: ProjectRecord, key: APIKeyRecord, authConfigs: [AuthConfigRecord]) throws -> Bool {
        try database.write { db in
            guard try ProjectRecord.fetchCount(db) == 0 else { return false }
            try project.insert(db)
            try key.insert(db)
            for config in authConfigs { try config.insert(db) }
            return true
        }
    }

    func project(forKeyDigest digest: String) async throws -> (project: ProjectRecord, readOnly: Bool)? {
        try await database.read { db in
            guard let key = try APIKeyRecord.fetchOne(db, key: digest),
                let project = try ProjectRecord.fetchOne(db, key: key.projectId)
            else { return nil }
            return (project, key.readOnly)
        }
    }

    func authConfigs(projectId: String, filter: AuthConfigFilter, offset: Int, limit: Int) async throws -> (items: [AuthConfigRecord], total: Int) {
        try await database.read { db in
            var request = AuthConfigRecord.filter(Column("project_id") == projectId && Column("is_deleted") == false)
            if !filter.showDisabled { request = request.filter(Column("is_enabled") == true) }
            if !filter.toolkitSlugs.isEmpty { request = request.filter(filter.toolkitSlugs.contains(Column("toolkit_slug"))) }
            if let search = filter.search?.lowercased(), !search.isEmpty {
                let pattern = "%\(search)%"
                request = request.filter(Column("name").lowercased.like(pattern) || Column("id").lowercased.like(pattern))
            }
            let total = try request.fetchCount(db)
            let items = try request.order(Column("created_at").desc, Column("id")).limit(limit, offset: offset).fetchAll(db)
            return (items, total)
        }
    }

    func authConfig(projectId: String, id: String) async throws -> AuthConfigRecord? {
        try await database.read { db in
            try AuthConfigRecord.filter(Column("project_id") == projectId && Column("id") == id && Column("is_deleted") == false).fetchOne(db)
        }
    }

    func activeConnectionCounts(authConfigIds: [String]) async throws -> [String: Int] {
        guard !authConfigIds.isEmpty else { return [:] }
        return try await database.read { db in
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT auth_config_id, COUNT(*) AS n FROM connected_account
                    WHERE status = 'ACTIVE' AND is_deleted = 0 AND auth_config_id IN (\(authConfigIds.map { _ in "?" }.joined(separator: ",")))
                    GROUP BY auth_config_id
                    """,
                arguments: StatementArguments(authConfigIds)
            )
            return Dictionary(uniqueKeysWithValues: rows.map { ($0["auth_config_id"] as String, $0["n"] as Int) })
        }
    }

    func insert(_ account: ConnectedAccountRecord) async throws {
        try await database.write { db in try account.insert(db) }
    }

    func connectedAccount(projectId: String, id: String) async throws -> ConnectedAccountRecord? {
        try await database.read { db in
            try ConnectedAccountRecord.filter(Column("project_id") == projectId && Column("id") == id && Column("is_deleted") == false).fetchOne(db)
        }
    }

    func connectedAccount(linkToken: String) async throws -> ConnectedAccountRecord? {
        try await database.read { db in
            try ConnectedAccountRecord.filter(Column("link_token") == linkToken && Column("is_deleted") == false).fetchOne(db)
        }
    }

    func connectedAccounts(projectId: String, filter: ConnectedAccountFilter, offset: Int, limit: Int) async throws -> (
        items: [ConnectedAccountRecord], total: Int
    ) {
        try await database.read { db in
            var request = ConnectedAccountRecord.filter(Column("project_id") == projectId && Column("is_deleted") == false)
            if !filter.userIds.isEmpty { request = request.filter(filter.userIds.contains(Column("user_id"))) }
            if !filter.authConfigIds.isEmpty { request = request.filter(filter.authConfigIds.contains(Column("auth_config_id"))) }
            if !filter.toolkitSlugs.isEmpty { request = request.filter(filter.toolkitSlugs.contains(Column("toolkit_slug"))) }
            if !filter.statuses.isEmpty { request = request.filter(filter.statuses.contains(Column("status"))) }
            if !filter.ids.isEmpty { request = request.filter(filter.ids.contains(Column("id"))) }
            let total = try request.fetchCount(db)
            let column = Column(filter.orderBy == "updated_at" ? "updated_at" : "created_at")
            let ordered = filter.ascending ? request.order(column.asc, Column("id").asc) : request.order(column.desc, Column("id").desc)
            return (try ordered.limit(limit, offset: offset).fetchAll(db), total)
        }
    }

    func save(_ account: ConnectedAccountRecord) async throws {
        try await database.write { db in try account.save(db) }
    }

    func completeLink(_ account: ConnectedAccountRecord) async throws -> Bool {
        try await database.write { db in
            // The status check and the save are one write transaction: SQLite runs one at a time.
            let current = try String.fetchOne(
                db, sql: "SELECT status FROM connected_account WHERE id = ?", arguments: [account.id])
            guard current == ConnectionStatus.initiated.rawValue else { return false }
            try account.save(db)
            return true
        }
    }

    func save(_ config: AuthConfigRecord) async throws {
        try await database.write { db in try config.save(db) }
    }

    func organisation(forOrgKeyDigest digest: String) async throws -> String? {
        try await database.read { db in
            try String.fetchOne(db, sql: "SELECT org_id FROM org_api_key WHERE digest = ?", arguments: [digest])
        }
    }

    func createProject(name: String, orgId: String, withKey: Bool, now: Date) async throws -> (id: String, key: String?) {
        let project = ProjectRecord(id: SandboxIdentifiers.make("pr"), name: name, orgId: orgId, orgName: orgId, createdAt: now)
        let key = withKey ? SandboxIdentifiers.apiKey() : nil
        try await database.write { db in
            try project.insert(db)
            if let key {
                try APIKeyRecord(digest: SandboxIdentifiers.digest(key), projectId: project.id, name: "default", readOnly: false, createdAt: now).insert(db)
            }
        }
        return (project.id, key)
    }

    func projects(orgId: String) async throws -> [ProjectRecord] {
        try await database.read { db in
            try ProjectRecord.filter(Column("org_id") == orgId).order(Column("created_at")).fetchAll(db)
        }
    }
}
