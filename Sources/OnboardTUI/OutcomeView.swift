import Foundation
import OnboardCore

/// Step 4, once settled: the account, or why it is not connected and what to do.
enum OutcomeView {
    /// - Parameter locked: a session for one invite, whose page has fewer keys (no other config).
    static func draw(_ outcome: Wizard.Outcome, locked: Bool, into canvas: inout Canvas, area: Rect, glyphs: Glyphs) {
        // Keys named in prose come from the page's key map (as the state has it), as the key bar's do.
        let keys = outcome.keyMap(locked: locked)
        let form = outcome.review.form
        var y = area.y
        switch outcome.result {
        case .settled(let account), .timedOut(let account):
            let title: String
            let role: StyleRole
            if account.status == .active {
                title = outcome.review.choice == .update ? "\(glyphs.check) Connected, credentials updated in place" : "\(glyphs.check) Connected"
                role = .success
            } else if case .timedOut = outcome.result {
                title = "Still \(account.status.rawValue) after waiting"
                role = .warning
            } else {
                title = "\(glyphs.cross) Not connected: \(account.status.rawValue)"
                role = .error
            }
            canvas.put(title, x: area.x, y: y, role: role)
            y += 2
            let rows = [
                ("Account", account.id),
                ("Status", account.status.rawValue),
                ("Toolkit", form.config.toolkitSlug),
                ("Auth config", "\(form.config.name) (\(form.config.id))"),
                ("User ID", account.userId ?? form.userId.text),
            ]
            for (label, value) in rows {
                canvas.put(label, x: area.x, y: y, role: .label)
                canvas.put(value, x: area.x + 14, y: y, role: label == "Status" ? role : .text, limit: area.width - 14)
                y += 1
            }
            if let reason = account.statusReason, !reason.isEmpty {
                y += 1
                y += WizardView.wrap("Reason: \(reason)", into: &canvas, x: area.x, y: y, width: area.width, maxRows: 3, role: .text)
            }
            switch outcome.replacement {
            case .idle: break
            case .loading:
                canvas.put("Deleting the account\(glyphs.ellipsis) it replaces", x: area.x, y: y, role: .muted)
                y += 1
            case .loaded(let ids):
                canvas.put("Replaced: \(ids.joined(separator: ", ")) deleted", x: area.x, y: y, role: .text, limit: area.width)
                y += 1
            case .failed(let failure):
                canvas.put("The old account was not deleted: \(failure.message)", x: area.x, y: y, role: .warning, limit: area.width)
                y += 1
            }
            y += 1
            let advice: String
            switch account.status {
            case .active: advice = "The account is ready to use with user id \(form.userId.text)."
            case .failed: advice = "Check the values (\(keys.key(.outcome(.edit), startingSentence: true) ?? "") goes back with them kept) and try again."
            case .expired:
                advice =
                    outcome.review.isLink
                    ? "The link expired before it was used; \(keys.key(.outcome(.retry)) ?? "") makes a new one."
                    : "The connection expired before it completed; try again."
            case .revoked: advice = "The account was revoked; connect again with fresh credentials."
            case .inactive: advice = "The account is disabled; enable it in the dashboard, or connect again."
            default: advice = keys.key(.outcome(.keepWaiting)).map { "The service has not finished; \($0) keeps waiting." } ?? "The service has not finished."
            }
            WizardView.wrap(advice, into: &canvas, x: area.x, y: y, width: area.width, maxRows: 2, role: .help)
        case .failed(let failure):
            FailureView.draw(failure, title: "Not connected", into: &canvas, x: area.x, y: y, width: area.width, glyphs: glyphs)
        }
    }
}
