import Foundation
import Logging
import OnboardCore
import OnboardStore

/// How the gateway tells the operator what happened: a log line for each event (never a token,
/// never a byte of a session), and the same as an audit event when a trail is kept.
struct GatewayReporter: Sendable {
    let audit: (any AuditSink)?
    let logger: Logger
    /// Names this gateway in the trail (several may share one).
    let source: String

    func record(
        _ kind: AuditEvent.Kind, address: String?, invite: Invite? = nil, inviteId: String? = nil, status: String? = nil, errorCode: String? = nil,
        counts: [String: Int]? = nil, accountId: String? = nil, message: String
    ) {
        logger.info("\(message)")
        guard let audit else { return }
        var actor = AuditEvent.Actor.currentUser
        actor.inviteId = invite?.id ?? inviteId
        actor.address = address
        let event = AuditEvent(
            kind, actor: actor, authConfig: invite?.authConfig, userId: invite?.userId, accountId: accountId, status: status, errorCode: errorCode,
            counts: counts, source: source, version: OnboardVersion.current)
        do {
            try audit.record(event)
        } catch {
            logger.error("The audit trail could not be written: \(error.description)")
        }
    }
}
