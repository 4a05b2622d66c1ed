import Foundation

/// A single-use invitation to connect one user's credentials to one auth config through the
/// SSH gateway. Holds no secret: the token is known only by its digest, and what the customer
/// types never reaches it.
package struct Invite: Codable, Equatable, Sendable {
    package var id: String
    /// How the customer connects: the gateway's `ssh` command, or a hosted link.
    package var via: Via = .ssh
    package var authConfig: String
    package var userId: String
    /// The operator's words for whom it is for; shown to operators only.
    package var note: String?
    /// The OS user who created it.
    package var createdBy: String
    package var createdAt: Date
    package var expiresAt: Date
    package var revokedAt: Date?
    /// Set once, atomically, by the login that used it.
    package var claimedAt: Date?
    /// The client's address, as the gateway saw it.
    package var claimedFrom: String?
    /// The account the session created or updated, and its status.
    package var accountId: String?
    package var accountStatus: String?
    /// Why the session's connection failed: a short code, never the server's words.
    package var errorCode: String?
    package var endedAt: Date?
    package var exitStatus: Int?
    /// What the session may do with accounts the user already has on the config.
    package var existing: ExistingAccounts = .add
    /// Who asks and why, in the operator's words (`--greeting`): shown to the customer above
    /// the form and on the link page.
    package var greeting: String?
    /// The gateway holding the session (`host:port`), for an operator to attach there.
    package var heldBy: String?
    /// The lease of the gateway run holding the session: when it runs out, the session is over.
    package var heldLease: String?
    /// When a session on it was cut off by its gateway's end (a crash): without an account, the
    /// invite works again for the rest of its lifetime.
    package var interruptedAt: Date?
    /// When the customer last asked for help.
    package var helpRequestedAt: Date?
    /// The last note an operator wrote to the customer (the operator's words only).
    package var operatorNote: String?

    /// `invite create --existing`: each level allows the ones before it. `add` (the default)
    /// only connects one more account; `update` may also give the newest its new values in
    /// place; `replace` may also delete the others once the new one is ACTIVE.
    package enum ExistingAccounts: String, Codable, Sendable, CaseIterable {
        case add, update, replace
    }

    package enum Via: String, Codable, Sendable {
        case ssh, link
    }

    /// Where an invite stands, as `invite list` and `invite watch` show it.
    package enum State: String, Codable, Sendable {
        case pending, inSession = "in_session", connected, failed, ended, expired, revoked
        /// Its session was cut off by its gateway's end before an account was made: it works again.
        case interrupted
    }

    package func state(at now: Date) -> State {
        if let status = accountStatus, status == "ACTIVE" { return .connected }
        if via == .link, let status = accountStatus, ["FAILED", "EXPIRED", "REVOKED"].contains(status) {
            return status == "EXPIRED" ? .expired : .failed
        }
        if revokedAt != nil, claimedAt == nil { return .revoked }
        if claimedAt != nil {
            if endedAt == nil { return revokedAt != nil ? .revoked : .inSession }
            return errorCode != nil || accountStatus != nil ? .failed : .ended
        }
        if now >= expiresAt { return .expired }
        return interruptedAt != nil ? .interrupted : .pending
    }

    /// A new invite id: `inv_` and 12 base32 characters (an id, not a secret: it is shown to
    /// operators and written in the trail).
    package static func newId() -> String {
        var generator = SystemRandomNumberGenerator()
        let alphabet = Array("abcdefghijklmnopqrstuvwxyz234567")
        return "inv_" + String((0..<12).map { _ in alphabet[Int(generator.next(upperBound: UInt8(32)))] })
    }

    package init(id: String, authConfig: String, userId: String, note: String?, createdBy: String, createdAt: Date, expiresAt: Date) {
        self.id = id
        self.authConfig = authConfig
        self.userId = userId
        self.note = note
        self.createdBy = createdBy
        self.createdAt = createdAt
        self.expiresAt = expiresAt
    }
}

/// Why a login with a token got no session; the banner says the same words whatever the token.
package enum InviteRefusal: String, Sendable, Equatable {
    /// No invite has this token (or it is not a token's shape at all).
    case unknown
    case expired
    /// Already claimed by an earlier login.
    case used
    case revoked

    /// One line for the client: what happened and what to do, the same for every token with
    /// that outcome.
    package var banner: String {
        switch self {
        case .unknown: "This invite is not valid. Check the command you were sent, or ask for a new invite."
        case .expired: "This invite has expired. Ask the person who sent it for a new one."
        case .used: "This invite has already been used; each invite works once. Ask for a new one."
        case .revoked: "This invite was withdrawn. Ask the person who sent it for a new one."
        }
    }
}

/// How a login's claim on an invite came out.
package enum InviteClaim: Sendable, Equatable {
    case claimed(Invite)
    /// The id is there when the token matched an invite (for the operator's log, never the client).
    case refused(InviteRefusal, inviteId: String?)
}

/// Where invites live; the gateway and every `onboard invite` command share one.
package protocol InviteStore: Sendable {
    func create(_ invite: Invite, tokenDigest: String) async throws
    func invite(id: String) async throws -> Invite?
    /// Every invite, newest first.
    func all() async throws -> [Invite]
    /// Claims the invite with this token digest for one login, atomically: of two logins racing
    /// with one token, exactly one gets the invite.
    /// `holder` names the gateway run that holds the session (recorded with the claim, so a
    /// gateway that dies leaves sessions another can reconcile).
    func claim(tokenDigest: String, from address: String, at now: Date, holder: SessionHolder?) async throws -> InviteClaim
    /// Gives back a claim whose session never reached the customer (the program could not
    /// start, or the claim answered after the gateway stopped waiting): only the claim made at
    /// `claimedAt`, and only while it has no account and no end. True when it was given back.
    func release(id: String, claimedAt: Date) async throws -> Bool
    /// Withdraws an invite not yet claimed (a session under way is ended by the gateway).
    /// False when there is no such invite.
    func revoke(id: String, at now: Date) async throws -> Bool
    /// Records the session's account, as the session reports it; true when the status changed
    /// (so of several watchers, one writes the trail).
    @discardableResult
    func recordOutcome(id: String, accountId: String?, status: String?, errorCode: String?) async throws -> Bool
    func recordEnd(id: String, exitStatus: Int, at now: Date) async throws
    /// What happened around a session, each when given: a help request, an operator's note.
    func recordAssistance(id: String, helpAt: Date?, note: String?) async throws
    /// Keeps `lease` alive until `now` plus the lease time (a gateway's heartbeat).
    func renewLease(_ lease: SessionHolder, at now: Date) async throws
    /// A gateway stopped cleanly: its lease goes (its sessions were ended on record).
    func endLease(_ lease: SessionHolder) async throws
    /// Ends, on record, the sessions of gateway runs that are gone (their lease was not renewed
    /// for `deadAfter`; a restarted gateway is a new run). A session with no account gives its
    /// invite back (interrupted, usable again); one with an account ends. Returns the invites
    /// this call changed (each is changed by one caller only).
    func reconcile(deadAfter: TimeInterval, at now: Date, mine: SessionHolder) async throws -> [Invite]
    /// Where a gateway listens, so `invite create` can print the command without being told.
    func recordGateway(_ endpoint: GatewayEndpoint) async throws
    /// The endpoint of the gateway started most recently.
    func latestGateway() async throws -> GatewayEndpoint?
}

/// A gateway run holding sessions: its name (`host:port`) and this run's lease id.
package struct SessionHolder: Sendable, Equatable {
    package var name: String
    package var lease: String
    package init(name: String, lease: String) {
        self.name = name
        self.lease = lease
    }
}

extension InviteStore {
    /// A claim outside any gateway run (tests, tools).
    package func claim(tokenDigest: String, from address: String, at now: Date) async throws -> InviteClaim {
        try await claim(tokenDigest: tokenDigest, from: address, at: now, holder: nil)
    }
}

/// Where customers reach a gateway: the host and port of the `ssh` command.
package struct GatewayEndpoint: Sendable, Equatable {
    package var host: String
    package var port: Int
    package var startedAt: Date
    package init(host: String, port: Int, startedAt: Date) {
        self.host = host
        self.port = port
        self.startedAt = startedAt
    }
}
