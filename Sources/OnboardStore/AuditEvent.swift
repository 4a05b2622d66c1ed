import Foundation

/// One line of the audit trail: who did what to which account, when, and how it ended. Names
/// and ids only: there is no field a credential, a header or a field's value could go in.
package struct AuditEvent: Codable, Equatable, Sendable {
    /// What happened, e.g. `connection.created`; ``Kind`` lists the ones onboard writes.
    package var event: String
    /// Who did it: the OS user, or (through the gateway) an invite and the client's address.
    package var actor: Actor
    /// `sandbox`, or the service's host.
    package var backend: String?
    package var project: String?
    package var authConfig: String?
    package var toolkit: String?
    package var userId: String?
    package var accountId: String?
    package var status: String?
    /// The service's error slug or HTTP status, when it failed.
    package var errorCode: String?
    /// Field names (a rotation's changed fields), never values.
    package var fields: [String]?
    /// Counts for an import: rows, connected, failed, skipped.
    package var counts: [String: Int]?
    /// The gateway or host that wrote it, when several share one trail.
    package var source: String?
    package var version: String
    /// A checkpoint's ed25519 signature (base64) over its place and the hash before it.
    package var signature: String?
    /// A checkpoint's signer (its public key, base64), in a trail with several writers (the
    /// shared store), where each signs with a key of its own.
    package var signer: String?
    /// An operator's note to a customer, in the operator's words (never the customer's input).
    package var note: String?

    /// The events onboard writes.
    package enum Kind: String, CaseIterable, Sendable {
        case auditStarted = "audit.started"
        /// A torn last line was cut off before an append: `counts.bytes` says how much.
        case auditRepaired = "audit.repaired"
        /// Every 100th line: the hash before it signed with the trail's own key.
        case auditCheckpoint = "audit.checkpoint"
        case connectionCreated = "connection.created"
        case connectionFailed = "connection.failed"
        case connectionUpdated = "connection.updated"
        case connectionDeleted = "connection.deleted"
        case linkCreated = "link.created"
        case authConfigRotated = "auth_config.rotated"
        case importStarted = "import.started"
        case importFinished = "import.finished"
        case inviteCreated = "invite.created"
        case inviteClaimed = "invite.claimed"
        case inviteRevoked = "invite.revoked"
        case inviteExpired = "invite.expired"
        case gatewayStarted = "gateway.started"
        case gatewayStopped = "gateway.stopped"
        case gatewayLoginRefused = "gateway.login_refused"
        /// A limit was hit: `errorCode` says which (rate, sessions, login_grace, idle, session_length,
        /// shutdown: a drain that timed out).
        case gatewayLimitReached = "gateway.limit_reached"
        case gatewaySessionEnded = "gateway.session_ended"
        /// A session's gateway went away (its lease ran out); another gateway recorded the end:
        /// the invite works again when no account was made.
        case gatewaySessionInterrupted = "gateway.session_interrupted"
        /// An operator watched a session: the actor is the operator, `counts.seconds` how long.
        case sessionObserved = "session.observed"
        /// An operator wrote a note to the customer: `note` holds it.
        case sessionNote = "session.note"
        /// The customer asked for help (the key, not any words of theirs).
        case sessionHelpRequested = "session.help_requested"
    }

    /// Who acted.
    package struct Actor: Codable, Equatable, Sendable {
        /// The OS user onboard ran as.
        package var user: String
        package var inviteId: String?
        package var address: String?
        package var keyFingerprint: String?

        package init(user: String, inviteId: String? = nil, address: String? = nil, keyFingerprint: String? = nil) {
            self.user = user
            self.inviteId = inviteId
            self.address = address
            self.keyFingerprint = keyFingerprint
        }

        /// This process's user acting for an invite (an operator's command, or a gateway for a
        /// customer's session from `address`).
        package static func currentUser(inviteId: String?, address: String? = nil) -> Actor {
            var actor = currentUser
            actor.inviteId = inviteId
            actor.address = address
            return actor
        }

        /// The user this process runs as (`getpwuid`), else its uid.
        package static var currentUser: Actor {
            let uid = geteuid()
            if let entry = getpwuid(uid), let name = entry.pointee.pw_name { return Actor(user: String(cString: name)) }
            return Actor(user: "uid \(uid)")
        }
    }

    package init(
        _ kind: Kind, actor: Actor, backend: String? = nil, project: String? = nil, authConfig: String? = nil, toolkit: String? = nil,
        userId: String? = nil, accountId: String? = nil, status: String? = nil, errorCode: String? = nil, fields: [String]? = nil,
        counts: [String: Int]? = nil, source: String? = nil, version: String
    ) {
        self.event = kind.rawValue
        self.actor = actor
        self.backend = backend
        self.project = project
        self.authConfig = authConfig
        self.toolkit = toolkit
        self.userId = userId
        self.accountId = accountId
        self.status = status
        self.errorCode = errorCode
        self.fields = fields
        self.counts = counts
        self.source = source
        self.version = version
    }
}

/// An event as stored: its place in the chain, its time, and the hash of the line before it.
package struct AuditRecord: Codable, Equatable, Sendable {
    package var seq: Int
    /// UTC, ISO 8601 to the millisecond.
    package var time: String
    /// SHA-256 (hex) of the previous line's bytes; 64 zeros for the first line.
    package var prev: String
    package var event: AuditEvent

    enum CodingKeys: String, CodingKey {
        case seq, time, prev
    }

    package init(seq: Int, time: String, prev: String, event: AuditEvent) {
        self.seq = seq
        self.time = time
        self.prev = prev
        self.event = event
    }

    // The record is one flat object: seq, time and prev beside the event's own keys.
    package init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        seq = try container.decode(Int.self, forKey: .seq)
        time = try container.decode(String.self, forKey: .time)
        prev = try container.decode(String.self, forKey: .prev)
        event = try AuditEvent(from: decoder)
    }

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(seq, forKey: .seq)
        try container.encode(time, forKey: .time)
        try container.encode(prev, forKey: .prev)
        try event.encode(to: encoder)
    }
}
