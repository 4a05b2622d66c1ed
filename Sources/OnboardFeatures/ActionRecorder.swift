import ComposioAPI
import OnboardStore

/// A service that also keeps the audit trail, for features that record what is not a service
/// call of its own (an import's start and end). The live layer's auditing decorator is one; a
/// service without a trail is not, and those records are then not made.
package protocol ActionRecorder: ComposioService {
    func record(
        _ kind: AuditEvent.Kind, authConfig: String?, toolkit: String?, userId: String?, accountId: String?, status: String?, errorCode: String?,
        fields: [String]?, counts: [String: Int]?
    ) async throws
}

extension ActionRecorder {
    /// The event with only what an import's start or end carries.
    func record(_ kind: AuditEvent.Kind, authConfig: String, toolkit: String, status: String? = nil, counts: [String: Int]) async throws {
        try await record(
            kind, authConfig: authConfig, toolkit: toolkit, userId: nil, accountId: nil, status: status, errorCode: nil, fields: nil, counts: counts)
    }
}
