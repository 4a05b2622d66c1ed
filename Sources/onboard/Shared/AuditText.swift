import Foundation
import OnboardFeatures
import OnboardLive
import OnboardStore
import OnboardTUI

/// How `audit` and `audit verify` say what they found: fixed-width rows (so rows printed while
/// following line up with those before), one JSON object a line while following, a JSON array
/// otherwise.
enum AuditText {
    /// Prints batches of records as `AuditCommands.list` hands them over.
    final class Listing {
        let json: Bool
        let follow: Bool
        let out: CommandOutput
        private var started = false

        init(json: Bool, follow: Bool, out: CommandOutput) {
            self.json = json
            self.follow = follow
            self.out = out
        }

        func show(_ batch: [AuditRecord]) {
            defer { started = true }
            if json && !follow { return out.json(batch) }
            if !json && !started { out.out(AuditText.header) }
            for record in batch { json ? out.jsonLine(record) : out.out(AuditText.row(record)) }
        }
    }

    /// Column widths.
    static let widths = [5, 24, 21, 16, 16, 16, 16]

    static func columns(_ cells: [String]) -> String {
        var line = ""
        for (index, cell) in cells.enumerated() {
            let clean = TerminalText.sanitized(cell)
            guard index < widths.count else {
                line += clean
                continue
            }
            let cut = DisplayWidth.truncate(clean, to: widths[index], ellipsis: "…")
            line += cut + String(repeating: " ", count: max(0, widths[index] - DisplayWidth.of(cut))) + "  "
        }
        return line.trimmingTrailingSpaces()
    }

    static let header = columns(["SEQ", "TIME", "EVENT", "USER", "AUTH CONFIG", "ACCOUNT", "STATUS", "BY"])

    static func row(_ record: AuditRecord) -> String {
        let event = record.event
        var actor = event.actor.user
        if let invite = event.actor.inviteId { actor += " via \(invite)" }
        if let address = event.actor.address { actor += " from \(address)" }
        let status = event.status ?? event.errorCode ?? event.fields.map { $0.joined(separator: ",") } ?? ""
        return columns([String(record.seq), record.time, event.event, event.userId ?? "", event.authConfig ?? "", event.accountId ?? "", status, actor])
    }

    /// What `audit verify` says of a trail that verifies (or, with `--head`, only its head).
    static func render(_ verified: AuditCommands.Verified, headOnly: Bool, shared: Bool, signers: Set<String>, to out: CommandOutput) {
        let report = verified.report
        if headOnly { return out.out(report.head) }
        let place = shared ? "in \(verified.trail)" : verified.trail
        var text = "The audit trail \(place) verifies: \(report.lines) events, each chained to the one before. Head: \(report.head)"
        if let key = verified.publicKey {
            text +=
                "\n\(report.checkpoints) checkpoint\(report.checkpoints == 1 ? "" : "s") signed by \(key) (keep this key elsewhere and pass it as --signing-key)"
        }
        let signedBy = report.signers.sorted { $0.key < $1.key }.map { "\($0.key) (\($0.value))" }
        if !signedBy.isEmpty {
            text +=
                "\n\(report.signers.values.reduce(0, +)) checkpoints, signed by \(signedBy.joined(separator: ", "))"
                + (signers.isEmpty ? " (keep the keys of the writers you trust elsewhere and pass them as --signing-key KEY,KEY)" : ", each a key given")
        }
        if !report.repairs.isEmpty { text += "\n" + report.repairSummary }
        out.out(text)
    }
}
