import Foundation
import Logging
import OnboardCore
import OnboardStore
import Synchronization

/// How the gateway tells the operator what happened: a log line for each event (never a token,
/// never a byte of a session), and the same as an audit event when a trail is kept, written in
/// order through the ``StoreWriter``.
struct GatewayReporter: Sendable {
    let audit: (any AuditSink)?
    let logger: Logger
    /// Names this gateway in the trail (several may share one).
    let source: String
    let writer: StoreWriter
    /// The clock cap reports are counted on.
    var clock: any Timekeeper = SystemTimekeeper()
    /// Counts every cap hit (the trail records them once a minute).
    var metrics = GatewayMetrics()
    /// Which caps each address hit lately, so a flood is on record once a minute, not per hit.
    let caps = CapReports()

    /// Records a cap hit by `address` (host and port), at most once a minute per host and cap.
    func recordCap(_ cap: String, address: String, message: String) {
        metrics.refusedConnection(cap)
        guard caps.shouldReport(cap, host: ConnectionAddress.host(of: address), now: clock.now) else { return }
        record(.gatewayLimitReached, address: address, errorCode: cap, message: message + " (further hits from it this minute are not recorded)")
    }

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
        guard audit != nil else {
            done?()
            return
        }
        writer.enqueue(.audit(event)) { _ in done?() }
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

/// Cap hits reported in the last minute, by host and cap.
final class CapReports: Sendable {
    private let reported = Mutex<[String: MonotonicInstant]>([:])

    func shouldReport(_ cap: String, host: String, now: MonotonicInstant) -> Bool {
        reported.withLock { table in
            if table.count > 10_000 { table = table.filter { now - $0.value < .seconds(60) } }
            let key = cap + " " + host
            if let last = table[key], now - last < .seconds(60) { return false }
            table[key] = now
            return true
        }
    }
}

/// Addresses as the gateway writes them: `1.2.3.4:port` or `[::1]:port`.
enum ConnectionAddress {
    /// The host part, without the port.
    static func host(of address: String) -> String {
        if address.hasPrefix("["), let end = address.firstIndex(of: "]") { return String(address[address.index(after: address.startIndex)..<end]) }
        return String(address.split(separator: ":").first ?? Substring(address))
    }
}
