import Foundation
import Logging
import OnboardCore
import OnboardStore

/// How the gateway tells the operator what happened: a log line for each event (never a token,
/// never a byte of a session), and the same as an audit event when a trail is kept, written in
/// order through the ``StoreWriter``.
struct GatewayReporter: Sendable {
    let audit: (any AuditSink)?
    let logger: Logger
    /// Names this gateway in the trail (several may share one).
    let source: String
    let writer: StoreWriter

    func record(
        _ kind: AuditEvent.Kind, address: String?, invite: Invite? = nil, inviteId: String? = nil, status: String? = nil, errorCode: String? = nil,
        counts: [String: Int]? = nil, accountId: String? = nil, message: String
    ) {
        logger.info("\(message)")
        let event = AuditEvent(
            kind, actor: .currentUser(inviteId: invite?.id ?? inviteId, address: address), authConfig: invite?.authConfig, userId: invite?.userId,
            accountId: accountId, status: status, errorCode: errorCode, counts: counts, source: source, version: OnboardVersion.current)
        write(event)
    }

    /// Writes `event` to the trail (in order, retried until done), then calls `done`.
    func write(_ event: AuditEvent, done: (@Sendable () -> Void)? = nil) {
        guard let audit else {
            done?()
            return
        }
        writer.enqueue("the audit event \(event.event)", done: done) { try await audit.record(event) }
    }

    /// The kinds a session may report: what its wizard did to accounts.
    static let sessionKinds: Set<String> = [
        AuditEvent.Kind.connectionCreated, .connectionFailed, .connectionUpdated, .connectionDeleted, .linkCreated,
    ].reduce(into: []) { $0.insert($1.rawValue) }

    /// A session's event as the gateway writes it: the actor and source are the gateway's
    /// knowledge, not the session's word.
    func sessionEvent(_ event: AuditEvent, invite: Invite, address: String) -> AuditEvent? {
        guard Self.sessionKinds.contains(event.event) else { return nil }
        var event = event
        event.actor = .currentUser(inviteId: invite.id, address: address)
        event.source = source
        return event
    }
}
