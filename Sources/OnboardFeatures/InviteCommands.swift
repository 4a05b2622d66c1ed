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
        package var json: Bool
        /// `--via link`: a hosted connect link instead of an `ssh` command.
        package var via: Invite.Via
        /// `--callback-url`: where the link's page sends the customer when done.
        package var callbackURL: String?
        /// `--existing add|update|replace`: what the session may do with the user's accounts.
        package var existing: Invite.ExistingAccounts
        /// `--greeting`: who asks and why, shown to the customer (the project's name when absent).
        package var greeting: String?
        package init(
            authConfig: String, userId: String, ttl: TimeInterval, note: String?, publicHost: String?, json: Bool, via: Invite.Via = .ssh,
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
            self.json = json
        }
    }

    /// What `invite create --json` prints.
    struct Created: Encodable {
        var id: String
        var sshCommand: String
        var expiresAt: String
        var hostKeyFingerprint: String
        var authConfig: String
        var userId: String
        var existing: String
        var greeting: String?
    }

    /// Checks the auth config with the service, stores the invite (its token's digest only) and
    /// prints the one command the customer types.
    package static func create(
        _ options: CreateOptions, service: any ComposioService, store: any InviteStore, audit: (any AuditSink)?, output: CommandOutput,
        hostKeyFingerprint: () throws -> String, timekeeper: any Timekeeper = SystemTimekeeper()
    ) async throws {
        if let problem = Validation.problem(userId: options.userId) { throw UsageError("--user-id: \(problem)") }
        let config = try await service.authConfig(id: options.authConfig)
        guard config.isEnabled else {
            throw CommandFailure("\(config.id) is disabled: enable it (or pick another config) before inviting anyone to it.")
        }
        if options.via == .link {
            return try await createLink(options, config: config, service: service, store: store, audit: audit, output: output, timekeeper: timekeeper)
        }
        let fingerprint = try hostKeyFingerprint()
        let (host, port) = try await endpoint(options.publicHost, store: store, output: output)
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
        let expires = UTCTimestamp.iso8601(invite.expiresAt)
        if options.json {
            return output.json(
                Created(
                    id: invite.id, sshCommand: command, expiresAt: expires, hostKeyFingerprint: fingerprint, authConfig: config.id,
                    userId: options.userId, existing: invite.existing.rawValue, greeting: invite.greeting))
        }
        output.out(
            """
            Invite \(invite.id) for user \(options.userId) on \(config.name) (\(config.id), \(config.toolkitSlug)).
            It works once, until \(clock(invite.expiresAt, date: true)) (\(DurationText.words(options.ttl))); \(describe(invite.existing)).
            Send the customer this command:

                \(command)

            On their first connect ssh shows the gateway's host key; it must read
                \(fingerprint)
            Above the form they will read: \(invite.greeting ?? "")
            Follow it with: onboard invite watch (or watch the session: onboard invite attach \(invite.id))
            """)
    }

    /// What `invite create --via link --json` prints.
    struct CreatedLink: Encodable {
        var id: String
        var via = "link"
        var linkUrl: String
        var connectedAccountId: String
        var expiresAt: String
        var authConfig: String
        var userId: String
        var greeting: String?
    }

    /// An invite by hosted link: the service makes the link (its page asks for the credentials,
    /// for every scheme), and the invite follows its account. The link is printed once and not
    /// kept: whoever holds it can connect, like an SSH invite's token.
    static func createLink(
        _ options: CreateOptions, config: AuthConfigSummary, service: any ComposioService, store: any InviteStore, audit: (any AuditSink)?,
        output: CommandOutput, timekeeper: any Timekeeper
    ) async throws {
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
        let expires = UTCTimestamp.iso8601(invite.expiresAt)
        if options.json {
            return output.json(
                CreatedLink(
                    id: invite.id, linkUrl: link.redirectURL, connectedAccountId: link.connectedAccountId, expiresAt: expires, authConfig: config.id,
                    userId: options.userId, greeting: invite.greeting))
        }
        output.out(
            """
            Invite \(invite.id) for user \(options.userId) on \(config.name) (\(config.id), \(config.toolkitSlug)), by link.
            It works once, until \(clock(invite.expiresAt, date: true)). Send the customer this link; its page asks for the credentials.
            The page is the service's and cannot show your greeting: send it with the link, so they know who asks.

                \(invite.greeting ?? "")
                \(link.redirectURL)

            Follow it with: onboard invite watch
            """)
        if let code = LibQREncode.encode(link.redirectURL) { output.qrCode(code) }
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

    /// Where customers connect: `--public-host`, else where the last `gateway serve` listened.
    static func endpoint(_ publicHost: String?, store: any InviteStore, output: CommandOutput) async throws -> (String, Int) {
        let latest = try await store.latestGateway()
        if let publicHost {
            let parts = publicHost.split(separator: ":", omittingEmptySubsequences: false)
            if parts.count == 2, let port = Int(parts[1]), (1...65535).contains(port), !parts[0].isEmpty { return (String(parts[0]), port) }
            guard !publicHost.isEmpty, !publicHost.contains(where: { $0 == " " || $0 == "@" || $0 == "/" }) else {
                throw UsageError("--public-host takes a host name or address, optionally with :PORT (gateway.example.com:2222).")
            }
            return (publicHost, latest?.port ?? 2222)
        }
        guard let latest else {
            output.err("No gateway has been started here yet: the command assumes port 2222 on this machine (onboard gateway serve).")
            return ("127.0.0.1", 2222)
        }
        if ["0.0.0.0", "::", "[::]"].contains(latest.host) {
            output.err("The gateway listens on every address; pass --public-host with the name customers reach it by.")
            return (ProcessInfo.processInfo.hostName, latest.port)
        }
        return (latest.host, latest.port)
    }

    /// A row of `invite list --json` and of `invite watch --json`: no token, nothing typed.
    struct Listed: Encodable {
        var id: String
        var state: String
        var authConfig: String
        var userId: String
        var note: String?
        var createdBy: String
        var createdAt: String
        var expiresAt: String
        var claimedAt: String?
        var claimedFrom: String?
        var accountId: String?
        var accountStatus: String?
        var errorCode: String?
        var endedAt: String?
        var exitStatus: Int?
        var existing: String
        var greeting: String?
        /// The gateway holding (or that held) the session: `host:port`.
        var gateway: String?
        var helpRequestedAt: String?
        var operatorNote: String?

        init(_ invite: Invite, now: Date) {
            existing = invite.existing.rawValue
            greeting = invite.greeting
            gateway = invite.heldBy
            helpRequestedAt = invite.helpRequestedAt.map(UTCTimestamp.iso8601)
            operatorNote = invite.operatorNote
            id = invite.id
            state = invite.state(at: now).rawValue
            authConfig = invite.authConfig
            userId = invite.userId
            note = invite.note
            createdBy = invite.createdBy
            createdAt = UTCTimestamp.iso8601(invite.createdAt)
            expiresAt = UTCTimestamp.iso8601(invite.expiresAt)
            claimedAt = invite.claimedAt.map(UTCTimestamp.iso8601)
            claimedFrom = invite.claimedFrom
            accountId = invite.accountId
            accountStatus = invite.accountStatus
            errorCode = invite.errorCode
            endedAt = invite.endedAt.map(UTCTimestamp.iso8601)
            exitStatus = invite.exitStatus
        }
    }

    package static func list(
        store: any InviteStore, service: (any ComposioService)? = nil, audit: (any AuditSink)? = nil, json: Bool, all: Bool, output: CommandOutput,
        timekeeper: any Timekeeper = SystemTimekeeper()
    ) async throws {
        let now = timekeeper.date
        var invites = try await store.all()
        if let service, await refreshLinks(invites, store: store, service: service, audit: audit) { invites = try await store.all() }
        if !all { invites = invites.filter { now.timeIntervalSince($0.createdAt) < 7 * 86_400 } }
        if json { return output.json(invites.map { Listed($0, now: now) }) }
        guard !invites.isEmpty else {
            return output.err("No invites\(all ? "" : " in the last 7 days"). Create one: onboard invite create --auth-config ac_... --user-id ID")
        }
        output.out(
            PlainTable.render(
                ["ID", "USER", "AUTH CONFIG", "STATE", "EXISTING", "EXPIRES", "FROM", "GATEWAY", "ACCOUNT", "NOTE"],
                invites.map { invite in
                    let account = invite.accountId.map { id in id + (invite.accountStatus.map { " (\($0))" } ?? "") }
                    return [
                        invite.id, invite.userId, invite.authConfig, describe(invite.state(at: now)), invite.existing.rawValue,
                        UTCTimestamp.iso8601(invite.expiresAt),
                        invite.claimedFrom ?? "", invite.heldBy ?? "", account ?? "", invite.note ?? "",
                    ]
                }))
    }

    /// What an invite's session may do with the user's existing accounts, in words.
    static func describe(_ existing: Invite.ExistingAccounts) -> String {
        switch existing {
        case .add: "the customer can add an account, never change or delete one they have"
        case .update: "the customer can add an account or update their newest in place, never delete one"
        case .replace: "the customer can add, update, or replace (delete) their existing accounts"
        }
    }

    package static func revoke(
        id: String, store: any InviteStore, audit: (any AuditSink)?, output: CommandOutput, timekeeper: any Timekeeper = SystemTimekeeper()
    ) async throws {
        guard let invite = try await store.invite(id: id) else { throw CommandFailure("No invite has the id \(id); onboard invite list shows them.") }
        guard invite.revokedAt == nil else { return output.err("\(id) was already revoked.") }
        _ = try await store.revoke(id: id, at: timekeeper.date)
        let actor = AuditEvent.Actor.currentUser(inviteId: id)
        try await audit?.record(AuditEvent(.inviteRevoked, actor: actor, authConfig: invite.authConfig, userId: invite.userId, version: OnboardVersion.current))
        let state = invite.state(at: timekeeper.date)
        if invite.via == .link {
            return output.err(
                "Revoked \(id). Its link stays open at the service until it expires; to close it now: onboard accounts delete \(invite.accountId ?? "ca_...")"
            )
        }
        output.err(
            state == .inSession
                ? "Revoked \(id); its session under way ends within a few seconds." : "Revoked \(id); its command no longer opens a session.")
    }

    /// Prints each invite's state as it changes (pending, in session, connected, failed,
    /// expired, revoked), until Ctrl-C. Never a value: the store holds none.
    package static func watch(
        store: any InviteStore, service: (any ComposioService)? = nil, audit: (any AuditSink)? = nil, json: Bool, output: CommandOutput,
        interval: Duration = .milliseconds(500), timekeeper: any Timekeeper = SystemTimekeeper()
    ) async throws {
        var seen: [String: String] = [:]
        var seenAssistance: [String: (Date?, String?)] = [:]
        var first = true
        if !json { output.err("Watching invites; Ctrl-C to stop.") }
        while true {
            let now = timekeeper.date
            var all = try await store.all()
            if let service, await refreshLinks(all, store: store, service: service, audit: audit) { all = try await store.all() }
            let invites = all.reversed()
            for invite in invites {
                let state = invite.state(at: now)
                let key = "\(state.rawValue) \(invite.accountId ?? "") \(invite.accountStatus ?? "") \(invite.errorCode ?? "")"
                let assisted = (invite.helpRequestedAt, invite.operatorNote)
                let before = seenAssistance[invite.id]
                seenAssistance[invite.id] = assisted
                // A help request or a note since the last look: one line each (not at the start).
                if !first, let before, !json {
                    if let help = invite.helpRequestedAt, help != before.0 {
                        output.out(TerminalText.sanitized("\(clock(help))  \(invite.id)  \(invite.userId)  \(invite.authConfig)  HELP ASKED by the customer"))
                    }
                    if let note = invite.operatorNote, note != before.1 {
                        output.out(TerminalText.sanitized("\(clock(now))  \(invite.id)  \(invite.userId)  \(invite.authConfig)  operator's note: \(note)"))
                    }
                }
                if json, !first, let before, invite.helpRequestedAt != before.0 || invite.operatorNote != before.1, seen[invite.id] == key {
                    output.json(Listed(invite, now: now))
                }
                guard seen[invite.id] != key else { continue }
                let isNew = seen[invite.id] == nil
                seen[invite.id] = key
                // At the start, only invites that can still change are shown.
                if first, isNew, [.expired, .revoked, .ended].contains(state) || (state == .connected && invite.endedAt != nil) { continue }
                if json {
                    output.json(Listed(invite, now: now))
                } else {
                    // One event, one line: a value holding a line break (a user id, a server's
                    // status) cannot make a second line that looks like another event.
                    output.out(TerminalText.sanitized("\(clock(now))  \(invite.id)  \(invite.userId)  \(invite.authConfig)  \(line(invite, state))"))
                }
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

    static func line(_ invite: Invite, _ state: Invite.State) -> String {
        switch state {
        case .pending: return "pending\(invite.via == .link ? " (link)" : ""), until \(clock(invite.expiresAt))"
        case .interrupted: return "interrupted (its gateway went away), can reconnect until \(clock(invite.expiresAt))"
        case .inSession:
            let outcome = invite.accountStatus.map { ", account \(invite.accountId ?? "?") \($0)" } ?? ""
            let gateway = invite.heldBy.map { " on \($0)" } ?? ""
            let help = invite.helpRequestedAt != nil ? " (asked for help)" : ""
            return "in session from \(invite.claimedFrom ?? "?")\(gateway)\(outcome)\(help)"
        case .connected: return "connected: \(invite.accountId ?? "?") ACTIVE" + (invite.endedAt != nil ? " (session ended)" : "")
        case .failed: return "failed: \(invite.errorCode ?? invite.accountStatus ?? "no account")"
        case .ended: return "session ended without connecting (status \(invite.exitStatus ?? 0))"
        case .expired: return "expired, unused"
        case .revoked: return "revoked"
        }
    }

    /// `06:24:56 UTC`, or `2026-11-30 06:24 UTC` with the date: short enough for a live line.
    static func clock(_ date: Date, date withDate: Bool = false) -> String {
        let stamp = UTCTimestamp.iso8601(date)
        let day = stamp.prefix(10)
        let time = stamp.dropFirst(11).prefix(withDate ? 5 : 8)
        return (withDate ? "\(day) " : "") + "\(time) UTC"
    }

    static func describe(_ state: Invite.State) -> String {
        switch state {
        case .inSession: "in session"
        case .interrupted: "interrupted, can reconnect"
        default: state.rawValue
        }
    }
}
