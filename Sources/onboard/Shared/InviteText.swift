import Foundation
import OnboardCore
import OnboardFeatures
import OnboardLive
import OnboardStore
import OnboardTUI

/// How `invite create`, `list`, `revoke` and `watch` say what the features found: the lines
/// people read and the JSON scripts read (no token, nothing typed).
enum InviteText {
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

    /// A new invite: notices on stderr, then the command (or link) to send, or its JSON.
    static func render(_ created: InviteCommands.Created, ttl: TimeInterval, json: Bool, to out: CommandOutput) {
        for notice in created.notices { out.err(notice) }
        let (invite, config) = (created.invite, created.config)
        let expires = UTCTimestamp.iso8601(invite.expiresAt)
        switch created.sending {
        case .ssh(let command, let fingerprint):
            if json {
                return out.json(
                    Created(
                        id: invite.id, sshCommand: command, expiresAt: expires, hostKeyFingerprint: fingerprint, authConfig: config.id,
                        userId: invite.userId, existing: invite.existing.rawValue, greeting: invite.greeting))
            }
            out.out(
                """
                Invite \(invite.id) for user \(invite.userId) on \(config.name) (\(config.id), \(config.toolkitSlug)).
                It works once, until \(clock(invite.expiresAt, date: true)) (\(DurationText.words(ttl))); \(describe(invite.existing)).
                Send the customer this command:

                    \(command)

                On their first connect ssh shows the gateway's host key; it must read
                    \(fingerprint)
                Above the form they will read: \(invite.greeting ?? "")
                Follow it with: onboard invite watch (or watch the session: onboard invite attach \(invite.id))
                """)
        case .link(let url):
            if json {
                return out.json(
                    CreatedLink(
                        id: invite.id, linkUrl: url, connectedAccountId: invite.accountId ?? "", expiresAt: expires, authConfig: config.id,
                        userId: invite.userId, greeting: invite.greeting))
            }
            out.out(
                """
                Invite \(invite.id) for user \(invite.userId) on \(config.name) (\(config.id), \(config.toolkitSlug)), by link.
                It works once, until \(clock(invite.expiresAt, date: true)). Send the customer this link; its page asks for the credentials.
                The page is the service's and cannot show your greeting: send it with the link, so they know who asks.

                    \(invite.greeting ?? "")
                    \(url)

                Follow it with: onboard invite watch
                """)
            if let code = LibQREncode.encode(url) { out.qrCode(code) }
        }
    }

    /// `invite list`: a table, or JSON.
    static func render(_ invites: [Invite], all: Bool, json: Bool, now: Date, to out: CommandOutput) {
        if json { return out.json(invites.map { Listed($0, now: now) }) }
        guard !invites.isEmpty else {
            return out.err("No invites\(all ? "" : " in the last 7 days"). Create one: onboard invite create --auth-config ac_... --user-id ID")
        }
        out.out(
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

    /// `invite revoke`: what happened, on stderr.
    static func render(_ revoked: InviteCommands.Revoked, id: String, to out: CommandOutput) {
        switch revoked {
        case .already: out.err("\(id) was already revoked.")
        case .linkStillOpen(let account):
            out.err(
                "Revoked \(id). Its link stays open at the service until it expires; to close it now: onboard accounts delete \(account ?? "ca_...")")
        case .revoked(let state):
            out.err(
                state == .inSession
                    ? "Revoked \(id); its session under way ends within a few seconds." : "Revoked \(id); its command no longer opens a session.")
        }
    }

    /// One change `invite watch` saw: one line (a value holding a line break, a user id or a
    /// server's status, cannot make a second line that looks like another event), or the
    /// invite's JSON.
    /// One line per thing that changed, or, as JSON, one record of the invite as it now stands.
    static func render(_ change: InviteCommands.Change, json: Bool, to out: CommandOutput) {
        let invite = change.invite
        if json { return out.json(Listed(invite, now: change.at)) }
        let lead = "\(invite.id)  \(invite.userId)  \(invite.authConfig)"
        if let state = change.state { out.out(TerminalText.sanitized("\(clock(change.at))  \(lead)  \(line(invite, state))")) }
        if let help = change.helpAskedAt { out.out(TerminalText.sanitized("\(clock(help))  \(lead)  HELP ASKED by the customer")) }
        if let note = change.note { out.out(TerminalText.sanitized("\(clock(change.at))  \(lead)  operator's note: \(note)")) }
    }

    /// What an invite's session may do with the user's existing accounts, in words.
    static func describe(_ existing: Invite.ExistingAccounts) -> String {
        switch existing {
        case .add: "the customer can add an account, never change or delete one they have"
        case .update: "the customer can add an account or update their newest in place, never delete one"
        case .replace: "the customer can add, update, or replace (delete) their existing accounts"
        }
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
