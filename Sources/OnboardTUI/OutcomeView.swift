import Foundation
import OnboardCore

/// Step 4: the spinner while connecting, then the account or why it is not connected.
enum OutcomeView {
    static func drawConnecting(
        _ connecting: Wizard.Connecting, spinner: String, now: Date?, into canvas: inout Canvas, area: Rect, qrCode: QRCodeEncoder = .none
    ) {
        let form = connecting.review.form
        canvas.put("Connecting \(form.config.name) for \(form.userId.text)", x: area.x, y: area.y, role: .title, limit: area.width)
        if connecting.review.isLink {
            guard let link = connecting.link else {
                canvas.put("\(spinner) Creating a hosted connect link", x: area.x, y: area.y + 2, role: .spinner)
                return
            }
            var y = area.y + 2
            canvas.put("Open this link in a browser (or send it to \(form.userId.text)):", x: area.x, y: y, role: .text, limit: area.width)
            y += 2
            for line in chunks(link.redirectURL, width: area.width) {
                let width = canvas.put(line, x: area.x, y: y, role: .accent)
                canvas.link(link.redirectURL, x: area.x, y: y, width: width)
                y += 1
            }
            y += 1
            var status = "\(spinner) Waiting for approval"
            if let expiry = link.expiresAt, let now {
                let seconds = max(0, Int(expiry.timeIntervalSince(now)))
                status += " \(String(format: "%d:%02d", seconds / 60, seconds % 60)) left"
            }
            canvas.put(status, x: area.x, y: y, role: .spinner, limit: area.width)
            y += 2
            // The same link for a phone's camera, when it fits whole below; never cut.
            if let code = qrCode.encode(link.redirectURL) {
                let size = code.drawnSize
                if size.width <= area.width, y + size.height <= area.maxY {
                    code.draw(into: &canvas, x: area.x, y: y)
                }
            }
            return
        }
        if let account = connecting.account {
            canvas.put(
                "\(spinner) Created \(account.id); waiting for ACTIVE (now \(account.status.rawValue))", x: area.x, y: area.y + 2, role: .spinner,
                limit: area.width)
        } else {
            canvas.put("\(spinner) Creating the connected account", x: area.x, y: area.y + 2, role: .spinner)
        }
    }

    /// Splits a long URL into whole lines, so it can be selected and copied.
    static func chunks(_ text: String, width: Int) -> [String] {
        guard width > 0 else { return [] }
        var lines: [String] = []
        var rest = Substring(text)
        while !rest.isEmpty {
            lines.append(String(rest.prefix(width)))
            rest = rest.dropFirst(width)
        }
        return lines
    }

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

    static func drawUnsupported(_ page: Wizard.UnsupportedScheme, into canvas: inout Canvas, area: Rect) {
        let scheme = page.config.authScheme?.rawValue ?? "no auth scheme"
        canvas.put("\(page.config.name) uses \(scheme)", x: area.x, y: area.y, role: .title, limit: area.width)
        let text =
            page.config.authScheme == nil
            ? "The service did not say which auth scheme this config uses, so onboard cannot tell which fields to ask for."
            : "Tokens for redirect-based schemes cannot be imported: the user has to approve access in a browser through a hosted connect link. Choose an API key, bearer token or basic auth config here instead."
        WizardView.wrap(text, into: &canvas, x: area.x, y: area.y + 2, width: area.width, maxRows: 6, role: .text)
    }
}
