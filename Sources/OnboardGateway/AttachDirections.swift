import Foundation
import OnboardStore

/// Where to attach to a session that is not on the gateway asked, in words for the operator:
/// the gateway holding it (from the invite store) and the two ways to reach it.
package enum AttachDirections {
    /// - Parameters:
    ///   - invite: the invite as the store has it (nil: no such invite, or the store was not read).
    ///   - here: the gateway asked (`host:port`), or nil when no gateway runs on this host.
    package static func words(inviteId: String, invite: Invite?, here: String?, now: Date) -> String {
        guard let invite else { return "No invite \(inviteId) was found in the invite store (onboard invite list shows them)." }
        let state = invite.state(at: now)
        guard state == .inSession else {
            return "\(inviteId) is not in session (it is \(state.rawValue)): there is nothing to watch."
        }
        if let holder = invite.heldBy, holder != here {
            let parts = holder.split(separator: ":")
            let port = parts.last.map(String.init) ?? "2222"
            let host = parts.dropLast().joined(separator: ":")
            let elsewhere = here.map { ", not this one (\($0))" } ?? ""
            return
                "\(inviteId) is in session on the gateway at \(holder)\(elsewhere). Attach there: onboard invite attach \(inviteId) on that host, or ssh -t -p \(port) operator@\(host) attach \(inviteId) if it takes operator keys."
        }
        return "\(inviteId) is in session but not on \(here ?? "a gateway of this host"); it may be ending. Try again, or run onboard invite list."
    }
}
