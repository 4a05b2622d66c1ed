import Foundation
import OnboardCore
import OnboardFeatures
import OnboardStore

/// Where the audit trail is kept, or that it is not: `--audit-log PATH`, else
/// `ONBOARD_AUDIT_LOG`, else `$XDG_STATE_HOME/onboard/audit.jsonl`; `ONBOARD_AUDIT=off` turns it
/// off for people who do not want one.
package enum AuditSettings {
    /// Whether `ONBOARD_AUDIT` turns the trail off.
    package static func isOff(environment: [String: String] = ProcessEnvironment.current()) -> Bool {
        ["off", "0", "false", "no"].contains(environment["ONBOARD_AUDIT"]?.lowercased() ?? "")
    }

    /// The trail's path, whether or not it is on.
    package static func path(_ override: String?, environment: [String: String] = ProcessEnvironment.current()) -> String {
        override ?? environment["ONBOARD_AUDIT_LOG"].flatMap { $0.isEmpty ? nil : $0 } ?? AuditLog.defaultPath(environment: environment)
    }

    /// Where every command's events go: a file named by `--audit-log` or `ONBOARD_AUDIT_LOG`;
    /// else the shared store's trail when `ONBOARD_STORE` names one (so an operator's own
    /// commands join the gateways' chain); else the default file. Nil when the trail is off.
    package static func sink(path override: String?, environment: [String: String] = ProcessEnvironment.current()) async throws
        -> (any AuditSink)?
    {
        guard !isOff(environment: environment) else { return nil }
        if override == nil, environment["ONBOARD_AUDIT_LOG"].map(\.isEmpty) ?? true, let settings = try StoreChoice.postgres(nil, environment: environment) {
            return try await StoreChoice.openPostgres(settings, environment: environment)
        }
        return try open(path: override, environment: environment)
    }

    /// Opens the trail (nil when it is off); a trail that cannot be used is a usage error, said
    /// before anything is done.
    package static func open(path override: String?, environment: [String: String] = ProcessEnvironment.current()) throws -> AuditLog? {
        guard !isOff(environment: environment) else { return nil }
        do {
            return try AuditLog(path: path(override, environment: environment))
        } catch {
            throw UsageError(error.description)
        }
    }
}
