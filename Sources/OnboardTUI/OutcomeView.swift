import OnboardCore

/// Step 4: the spinner while connecting, then the account or why it is not connected.
enum OutcomeView {
    static func drawConnecting(_ connecting: Wizard.Connecting, spinner: String, into canvas: inout Canvas, area: Rect) {
        let form = connecting.review.form
        canvas.put("Connecting \(form.config.name) for \(form.userId.text)", x: area.x, y: area.y, role: .title, limit: area.width)
        if let account = connecting.account {
            canvas.put("\(spinner) Created \(account.id); waiting for ACTIVE (now \(account.status.rawValue))", x: area.x, y: area.y + 2, role: .spinner, limit: area.width)
        } else {
            canvas.put("\(spinner) Creating the connected account", x: area.x, y: area.y + 2, role: .spinner)
        }
    }

    static func draw(_ outcome: Wizard.Outcome, into canvas: inout Canvas, area: Rect, glyphs: Glyphs) {
        let form = outcome.review.form
        var y = area.y
        switch outcome.result {
        case .settled(let account), .timedOut(let account):
            let title: String
            let role: StyleRole
            if account.status == .active {
                title = "\(glyphs.check) Connected"
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
            y += 1
            let advice: String
            switch account.status {
            case .active: advice = "The account is ready to use with user id \(form.userId.text)."
            case .failed: advice = "Check the values (Enter goes back with them kept) and try again."
            case .expired: advice = "The connection expired before it completed; try again."
            case .revoked: advice = "The account was revoked; connect again with fresh credentials."
            case .inactive: advice = "The account is disabled; enable it in the dashboard, or connect again."
            default: advice = "The service has not finished; w keeps waiting."
            }
            WizardView.wrap(advice, into: &canvas, x: area.x, y: y, width: area.width, maxRows: 2, role: .help)
        case .failed(let failure):
            FailureView.draw(failure, title: "Not connected", into: &canvas, x: area.x, y: y, width: area.width, glyphs: glyphs)
        }
    }

    static func drawUnsupported(_ page: Wizard.UnsupportedScheme, into canvas: inout Canvas, area: Rect) {
        let scheme = page.config.authScheme?.rawValue ?? "no auth scheme"
        canvas.put("\(page.config.name) uses \(scheme)", x: area.x, y: area.y, role: .title, limit: area.width)
        let text = page.config.authScheme == nil
            ? "The service did not say which auth scheme this config uses, so onboard cannot tell which fields to ask for."
            : "Tokens for redirect-based schemes cannot be imported: the user has to approve access in a browser through a hosted connect link. Choose an API key, bearer token or basic auth config here instead."
        WizardView.wrap(text, into: &canvas, x: area.x, y: area.y + 2, width: area.width, maxRows: 6, role: .text)
    }
}
