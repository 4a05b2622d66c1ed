import ComposioAPI
import Foundation
import GRDB
import OnboardCore

/// What `onboard sandbox projects|keys|auth-configs` do: direct changes to the database, for
/// setting up demos and tests from the shell. New keys are returned once and stored as digests.
extension Sandbox {
    /// A project as the administration commands list it.
    package struct ProjectSummary: Sendable, Equatable {
        package var id: String
        package var name: String
        package var authConfigCount: Int
    }

    package func projects() throws -> [ProjectSummary] {
        try store.database.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT p.id, p.name, (SELECT COUNT(*) FROM auth_config a WHERE a.project_id = p.id AND a.is_deleted = 0) AS n
                    FROM project p ORDER BY p.created_at
                    """
            ).map { ProjectSummary(id: $0["id"], name: $0["name"], authConfigCount: $0["n"]) }
        }
    }

    /// Creates a project in the default organisation with a key; returns its id and the key.
    package func createProject(name: String) throws -> (id: String, key: String) {
        let trimmed = name.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else { throw SandboxSetupError("A project needs a name.") }
        let stamp = now()
        let project = ProjectRecord(id: SandboxIdentifiers.make("pr"), name: trimmed, orgId: "org_sandbox", orgName: "Sandbox", createdAt: stamp)
        let key = SandboxIdentifiers.apiKey()
        try store.database.write { db in
            try project.insert(db)
            try APIKeyRecord(digest: SandboxIdentifiers.digest(key), projectId: project.id, name: "default", readOnly: false, createdAt: stamp).insert(db)
        }
        return (project.id, key)
    }

    /// Issues another key for a project; read-only keys may only GET (others get 403).
    package func createKey(projectId: String, readOnly: Bool) throws -> String {
        let key = SandboxIdentifiers.apiKey()
        try store.database.write { db in
            guard try ProjectRecord.fetchOne(db, key: projectId) != nil else {
                throw SandboxSetupError("No project \(projectId); `onboard sandbox projects` lists them.")
            }
            try APIKeyRecord(
                digest: SandboxIdentifiers.digest(key), projectId: projectId, name: readOnly ? "read-only" : "cli",
                readOnly: readOnly, createdAt: now()
            ).insert(db)
        }
        return key
    }

    /// Issues an organisation key (`x-org-api-key`) for the default organisation.
    package func createOrgKey() throws -> String {
        let key = "oak_" + String(SandboxIdentifiers.apiKey().dropFirst(3))
        try store.database.write { db in
            try db.execute(
                sql: "INSERT INTO org_api_key (digest, org_id, name, created_at) VALUES (?, 'org_sandbox', 'cli', ?)",
                arguments: [SandboxIdentifiers.digest(key), UTCTimestamp.storage(now())]
            )
        }
        return key
    }

    /// Creates an auth config on a seeded toolkit; `scheme` defaults to the toolkit's first.
    package func createAuthConfig(projectId: String, toolkit slug: String, scheme: AuthScheme?, name: String?) throws -> String {
        guard let toolkit = SeedCatalog.toolkit(slug: slug) else {
            throw SandboxSetupError("No toolkit \(slug). Known: \(SeedCatalog.toolkits.map(\.slug).joined(separator: ", ")).")
        }
        let mode = scheme ?? toolkit.schemes[0].mode
        guard toolkit.scheme(mode) != nil else {
            throw SandboxSetupError("\(slug) does not support \(mode.rawValue); it supports \(toolkit.schemes.map(\.mode.rawValue).joined(separator: ", ")).")
        }
        let stamp = now()
        let record = AuthConfigRecord(
            id: SandboxIdentifiers.make("ac"), uuid: UUID().uuidString.lowercased(), projectId: projectId,
            name: name ?? "\(toolkit.name) \(mode.displayName)", toolkitSlug: toolkit.slug, authScheme: mode.rawValue,
            type: toolkit.managedSchemes.contains(mode) ? "default" : "custom", isEnabled: true,
            sharedCredentials: nil, sharedFieldNames: "", createdAt: stamp, updatedAt: stamp
        )
        try store.database.write { db in
            guard try ProjectRecord.fetchOne(db, key: projectId) != nil else {
                throw SandboxSetupError("No project \(projectId); `onboard sandbox projects` lists them.")
            }
            try record.insert(db)
        }
        return record.id
    }

    /// Slugs of the seeded toolkits, for help text.
    package static var toolkitSlugs: [String] { SeedCatalog.toolkits.map(\.slug) }
}

extension Sandbox {
    /// What ``verifyCredentials()`` found.
    package struct CredentialCheck: Sendable, Equatable {
        /// Sealed blobs opened with this database's key.
        package var readable: Int
        /// Ids of connected accounts and auth configs whose credentials do not open.
        package var unreadable: [String]
    }

    /// Opens every sealed credential with the key file: a database whose rows no longer open (a
    /// key file replaced, or two first runs that each made a key) is found here, not by the next
    /// link or update that needs them.
    package func verifyCredentials() throws -> CredentialCheck {
        let (accounts, configs) = try store.database.read { db in
            (try ConnectedAccountRecord.fetchAll(db), try AuthConfigRecord.fetchAll(db))
        }
        var check = CredentialCheck(readable: 0, unreadable: [])
        let blobs = accounts.map { ($0.id, $0.credentials as Data?) } + configs.flatMap { [($0.id, $0.sharedCredentials), ($0.id, $0.credentials)] }
        for (id, blob) in blobs {
            guard let blob else { continue }
            if (try? sealer.unseal(blob)) != nil {
                check.readable += 1
            } else if !check.unreadable.contains(id) {
                check.unreadable.append(id)
            }
        }
        return check
    }
}
