import Foundation
import OnboardCore
import OnboardFeatures
import OnboardFiles
import OnboardStore

/// Where invites and (with them) the audit trail live: the local files by default, or one
/// PostgreSQL database that several gateways and every operator's onboard share (`--store
/// postgres://...` or `ONBOARD_STORE`).
package enum StoreChoice {
    /// The PostgreSQL settings when a store URL is given, else nil (local files).
    package static func postgres(_ flag: String?, environment: [String: String] = ProcessEnvironment.current()) throws -> PostgresSettings? {
        guard let url = flag ?? environment["ONBOARD_STORE"].flatMap({ $0.isEmpty ? nil : $0 }) else { return nil }
        do {
            return try PostgresSettings.parse(url, environment: environment)
        } catch {
            throw UsageError(error.description)
        }
    }

    /// The shared database, its schema brought up to date, with this user's own key to sign
    /// the checkpoints its appends fall on (`store-signing.key` in the state directory, 0600,
    /// made on first use).
    package static func openPostgres(_ settings: PostgresSettings, environment: [String: String] = ProcessEnvironment.current()) async throws
        -> PostgresStore
    {
        let signer: AuditSigner
        do {
            signer = try AuditSigner.loadOrCreate(keyFile: signingKeyPath(environment: environment))
        } catch {
            throw UsageError("\(error)")
        }
        let store = try PostgresStore(settings, signer: signer)
        do {
            try await store.migrate()
        } catch {
            store.close()
            throw CommandFailure("Cannot use the store \(settings.label): \(PostgresStore.describe(error))")
        }
        return store
    }

    /// Where this user's key for the shared trail's checkpoints is kept.
    package static func signingKeyPath(environment: [String: String] = ProcessEnvironment.current()) -> String {
        SecureFile.directory(of: AuditLog.defaultPath(environment: environment)) + "/store-signing.key"
    }

    /// The invite store, and the audit trail that goes with it: the database's own trail, or
    /// the local file (`--audit-log`, `ONBOARD_AUDIT_LOG`); none with `ONBOARD_AUDIT=off`.
    package static func open(store flag: String?, auditLog: String?, environment: [String: String] = ProcessEnvironment.current())
        async throws -> (invites: any InviteStore, audit: (any AuditSink)?, label: String)
    {
        if let settings = try postgres(flag, environment: environment) {
            let store = try await openPostgres(settings, environment: environment)
            return (store, AuditSettings.isOff(environment: environment) ? nil : store, settings.label)
        }
        let path = SQLiteInviteStore.defaultPath(environment: environment)
        let invites: SQLiteInviteStore
        do {
            invites = try SQLiteInviteStore(path: path)
        } catch {
            throw UsageError("Cannot open the invite store \(path): \(error)")
        }
        return (invites, try AuditSettings.open(path: auditLog, environment: environment), path)
    }
}
