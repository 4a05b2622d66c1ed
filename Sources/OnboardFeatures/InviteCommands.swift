import ComposioAPI
import Foundation
import OnboardCore
import OnboardStore
import OnboardTUI

/// `onboard invite create|list|revoke|watch`: single-use invites to the SSH gateway.
package enum InviteCommands {
    package struct CreateOptions: Sendable {
        package var authConfig: String
        package var userId: String
        package var ttl: TimeInterval
        package var note: String?
        /// `--public-host HOST[:PORT]`: what customers type, when it is not where the gateway listens.
        package var publicHost: String?
        /// `--via link`: a hosted connect link instead of an `ssh` command.
        package var via: Invite.Via
        /// `--callback-url`: where the link's page sends the customer when done.
        package var callbackURL: String?
        /// `--existing add|update|replace`: what the session may do with the user's accounts.
        package var existing: Invite.ExistingAccounts
        /// `--greeting`: who asks and why, shown to the customer (the project's name when absent).
        package var greeting: String?
        package init(
            authConfig: String, userId: String, ttl: TimeInterval, note: String?, publicHost: String?, via: Invite.Via = .ssh,
            callbackURL: String? = nil, existing: Invite.ExistingAccounts = .add, greeting: String? = nil
        ) {
            self.greeting = greeting
            self.existing = existing
            self.via = via
            self.callbackURL = callbackURL
            self.authConfig = authConfig
            self.userId = userId
            self.ttl = ttl
            self.note = note
            self.publicHost = publicHost
        }
    }

    /// A new invite, and what to send the customer.
    package struct Created: Sendable {
        package var invite: Invite
        package var config: AuthConfigSummary
        package var sending: Sending
        /// What the operator should know about where customers connect (said before the result).
        package var notices: [String]

        package enum Sending: Sendable {
            /// The command the customer types, and the host key's fingerprint ssh will show them.
            case ssh(command: String, hostKeyFingerprint: String)
            /// The service's hosted link (returned once, kept nowhere).
            case link(url: String)
        }
    }

    /// Checks the auth config with the service, stores the invite (its token's digest only) and
    /// says what the customer is sent: the one command they type, or the link.
    package static func create(
        _ options: CreateOptions, service: any ComposioService, store: any InviteStore, audit: (any AuditSink)?,
        hostKeyFingerprint: () throws -> String, timekeeper: any Timekeeper = SystemTimekeeper()
    ) async throws -> Created {
        if let problem = Validation.problem(userId: options.userId) { throw UsageError("--user-id: \(problem)") }
        let config = try await service.authConfig(id: options.authConfig)
        guard config.isEnabled else {
            throw CommandFailure("\(config.id) is disabled: enable it (or pick another config) before inviting anyone to it.")
        }
        if options.via == .link {
            return try await createLink(options, config: config, service: service, store: store, audit: audit, timekeeper: timekeeper)
        }
        let fingerprint = try hostKeyFingerprint()
        let (host, port, notices) = try await endpoint(options.publicHost, store: store)
        let token = InviteToken.generate()
        let now = timekeeper.date
        var invite = Invite(
            id: Invite.newId(), authConfig: config.id, userId: options.userId, note: options.note, createdBy: AuditEvent.Actor.currentUser.user,
            createdAt: now, expiresAt: now.addingTimeInterval(options.ttl))
        invite.existing = options.existing
        invite.greeting = try await greeting(options, config: config, service: service)
        try await store.create(invite, tokenDigest: token.digest)
        let actor = AuditEvent.Actor.currentUser(inviteId: invite.id)
        try await audit?.record(
            AuditEvent(
                .inviteCreated, actor: actor, authConfig: config.id, toolkit: config.toolkitSlug, userId: options.userId, version: OnboardVersion.current))
        let command = (port == 22 ? "ssh " : "ssh -p \(port) ") + "\(token.text)@\(host)"
        return Created(invite: invite, config: config, sending: .ssh(command: command, hostKeyFingerprint: fingerprint), notices: notices)
    }

    /// An invite by hosted link: the service makes the link (its page asks for the credentials,
    /// for every scheme), and the invite follows its account. The link is returned once and not
    /// kept: whoever holds it can connect, like an SSH invite's token.
    static func createLink(
        _ options: CreateOptions, config: AuthConfigSummary, service: any ComposioService, store: any InviteStore, audit: (any AuditSink)?,
        timekeeper: any Timekeeper
    ) async throws -> Created {
        let link = try await service.createLink(authConfigId: config.id, userId: options.userId, callbackURL: options.callbackURL)
        let now = timekeeper.date
        var invite = Invite(
            id: Invite.newId(), authConfig: config.id, userId: options.userId, note: options.note, createdBy: AuditEvent.Actor.currentUser.user,
            createdAt: now, expiresAt: min(now.addingTimeInterval(options.ttl), link.expiresAt ?? now.addingTimeInterval(options.ttl)))
        invite.via = .link
        invite.accountId = link.connectedAccountId
        invite.greeting = try await greeting(options, config: config, service: service)
        // The column wants a digest; this one belongs to no token anyone holds.
        try await store.create(invite, tokenDigest: InviteToken.generate().digest)
        let actor = AuditEvent.Actor.currentUser(inviteId: invite.id)
        try await audit?.record(
            AuditEvent(
                .inviteCreated, actor: actor, authConfig: config.id, toolkit: config.toolkitSlug, userId: options.userId,
                accountId: link.connectedAccountId, version: OnboardVersion.current))
        return Created(invite: invite, config: config, sending: .link(url: link.redirectURL), notices: [])
    }

    /// Brings link invites up to date from the service: an account that settled is recorded on
    /// the invite, and (by whichever process saw it first) in the trail.
    static func refreshLinks(_ invites: [Invite], store: any InviteStore, service: any ComposioService, audit: (any AuditSink)?) async -> Bool {
        var changed = false
        for invite in invites where invite.via == .link && invite.accountStatus.map({ ["INITIATED", "INITIALIZING"].contains($0) }) ?? true {
            guard let id = invite.accountId, let account = try? await service.connectedAccount(id: id) else { continue }
            // The person asked for help on the link's page (onboard's sandbox page has the button).
            if let help = account.helpRequestedAt, invite.helpRequestedAt.map({ $0 < help }) ?? true,
                (try? await store.recordAssistance(id: invite.id, helpAt: help, note: nil)) != nil
            {
                changed = true
                try? await audit?.record(
                    AuditEvent(
                        .sessionHelpRequested, actor: .currentUser(inviteId: invite.id), authConfig: invite.authConfig, userId: invite.userId,
                        accountId: id, version: OnboardVersion.current))
            }
            let status = account.status.rawValue
            guard status != invite.accountStatus, account.status != .initiated || invite.accountStatus != nil else { continue }
            guard (try? await store.recordOutcome(id: invite.id, accountId: id, status: status, errorCode: nil)) == true else { continue }
            changed = true
            guard account.status.isSettled else { continue }
            let actor = AuditEvent.Actor.currentUser(inviteId: invite.id)
            try? await audit?.record(
                AuditEvent(
                    account.status == .active ? .connectionCreated : .connectionFailed, actor: actor, authConfig: invite.authConfig,
                    toolkit: account.toolkitSlug, userId: invite.userId, accountId: id, status: status, version: OnboardVersion.current))
        }
        return changed
    }

    /// Where customers connect: `--public-host`, else where the last `gateway serve` listened;
    /// with what the operator should know about that guess.
    static func endpoint(_ publicHost: String?, store: any InviteStore) async throws -> (String, Int, [String]) {
        let latest = try await store.latestGateway()
        if let publicHost {
            let parts = publicHost.split(separator: ":", omittingEmptySubsequences: false)
            if parts.count == 2, let port = Int(parts[1]), (1...65535).contains(port), !parts[0].isEmpty { return (String(parts[0]), port, []) }
            guard !publicHost.isEmpty, !publicHost.contains(where: { $0 == " " || $0 == "@" || $0 == "/" }) else {
                throw UsageError("--public-host takes a host name or address, optionally with :PORT (gateway.example.com:2222).")
            }
            return (publicHost, latest?.port ?? 2222, [])
        }
        guard let latest else {
            return ("127.0.0.1", 2222, ["No gateway has been started here yet: the command assumes port 2222 on this machine (onboard gateway serve)."])
        }
        if ["0.0.0.0", "::", "[::]"].contains(latest.host) {
            return (
                ProcessInfo.processInfo.hostName, latest.port, ["The gateway listens on every address; pass --public-host with the name customers reach it by."]
            )
        }
        return (latest.host, latest.port, [])
    }

    /// The invites to list (those of the last 7 days unless `all`), link invites brought up to
    /// date from the service first.
    package static func list(
        store: any InviteStore, service: (any ComposioService)? = nil, audit: (any AuditSink)? = nil, all: Bool,
        timekeeper: any Timekeeper = SystemTimekeeper()
    ) async throws -> [Invite] {
        let now = timekeeper.date
        var invites = try await store.all()
        if let service, await refreshLinks(invites, store: store, service: service, audit: audit) { invites = try await store.all() }
        return all ? invites : invites.filter { now.timeIntervalSince($0.createdAt) < 7 * 86_400 }
    }

    /// What a revocation did.
    package enum Revoked: Sendable, Equatable {
        /// It was revoked before: nothing changed.
        case already
        /// Revoked; `state` is where it stood (a session under way ends within seconds).
        case revoked(state: Invite.State)
        /// A link invite: revoked here, but the link stays open at the service until it expires.
        case linkStillOpen(accountId: String?)
    }

    package static func revoke(
        id: String, store: any InviteStore, audit: (any AuditSink)?, timekeeper: any Timekeeper = SystemTimekeeper()
    ) async throws -> Revoked {
        guard let invite = try await store.invite(id: id) else { throw CommandFailure("No invite has the id \(id); onboard invite list shows them.") }
        guard invite.revokedAt == nil else { return .already }
        _ = try await store.revoke(id: id, at: timekeeper.date)
        let actor = AuditEvent.Actor.currentUser(inviteId: id)
        try await audit?.record(AuditEvent(.inviteRevoked, actor: actor, authConfig: invite.authConfig, userId: invite.userId, version: OnboardVersion.current))
        if invite.via == .link { return .linkStillOpen(accountId: invite.accountId) }
        return .revoked(state: invite.state(at: timekeeper.date))
    }

    /// What `watch` saw change in one invite at one look: its state (or its account or error), a
    /// help request, an operator's note, or several of them at once.
    package struct Change: Sendable {
        package var invite: Invite
        /// When the look was made.
        package var at: Date
        /// The state reached, when it (or the account or error) changed.
        package var state: Invite.State?
        /// When the customer asked for help, when they did since the last look.
        package var helpAskedAt: Date?
        /// The operator's note, when it is new since the last look.
        package var note: String?

        package init(invite: Invite, at: Date, state: Invite.State? = nil, helpAskedAt: Date? = nil, note: String? = nil) {
            self.invite = invite
            self.at = at
            self.state = state
            self.helpAskedAt = helpAskedAt
            self.note = note
        }
    }

    /// Tells `report` each change of an invite's state (pending, in session, connected, failed,
    /// expired, revoked), and each help request and note after the first look, until cancelled:
    /// one `Change` per invite and look. At the start, only invites that can still change are
    /// told. Never a value: the store holds none.
    package static func watch(
        store: any InviteStore, service: (any ComposioService)? = nil, audit: (any AuditSink)? = nil, interval: Duration = .milliseconds(500),
        timekeeper: any Timekeeper = SystemTimekeeper(), report: (Change) -> Void
    ) async throws {
        var seen: [String: String] = [:]
        var seenAssistance: [String: (Date?, String?)] = [:]
        var first = true
        while true {
            let now = timekeeper.date
            var all = try await store.all()
            if let service, await refreshLinks(all, store: store, service: service, audit: audit) { all = try await store.all() }
            for invite in all.reversed() {
                var change = Change(invite: invite, at: now)
                let state = invite.state(at: now)
                let key = "\(state.rawValue) \(invite.accountId ?? "") \(invite.accountStatus ?? "") \(invite.errorCode ?? "")"
                let before = seenAssistance[invite.id]
                seenAssistance[invite.id] = (invite.helpRequestedAt, invite.operatorNote)
                // A help request or a note since the last look (not at the start).
                if !first, let before {
                    if let help = invite.helpRequestedAt, help != before.0 { change.helpAskedAt = help }
                    if let note = invite.operatorNote, note != before.1 { change.note = note }
                }
                if seen[invite.id] != key {
                    let isNew = seen[invite.id] == nil
                    seen[invite.id] = key
                    let settled = [.expired, .revoked, .ended].contains(state) || (state == .connected && invite.endedAt != nil)
                    if !(first && isNew && settled) { change.state = state }
                }
                if change.state != nil || change.helpAskedAt != nil || change.note != nil { report(change) }
            }
            first = false
            try await timekeeper.sleep(for: interval)
        }
    }

    /// The greeting the customer sees: the operator's words, one clean line, else the project's
    /// name and what is asked.
    static func greeting(_ options: CreateOptions, config: AuthConfigSummary, service: any ComposioService) async throws -> String {
        if let given = options.greeting {
            guard let clean = Wizard.Assistance.oneLine(given, limit: Wizard.Assistance.greetingLimit + 1), clean.count <= Wizard.Assistance.greetingLimit
            else { throw UsageError("--greeting takes one line of at most \(Wizard.Assistance.greetingLimit) printable characters.") }
            return clean
        }
        let project = (try? await service.sessionInfo())?.name
        return "\(project ?? "The project") asks you to connect your \(config.name) account."
    }
}
