import OnboardCore

/// Step 3: every value about to be sent, secrets as a masked tail, and the validation choice.
enum ReviewView {
    /// - Parameter locked: a session for one invite: no other config to point to.
    static func draw(_ review: Wizard.Review, locked: Bool, into canvas: inout Canvas, area: Rect, glyphs: Glyphs) {
        // Keys named in prose come from the page's key map, as the key bar's do.
        let keys = review.keyMap
        let connect = keys.key(.review(.connect), startingSentence: true) ?? ""
        let edit = keys.key(.review(.edit), startingSentence: true) ?? ""
        let form = review.form
        var y = area.y
        canvas.put("Review before connecting", x: area.x, y: y, role: .title)
        y += 2
        var rows: [(String, String)] = [
            ("Auth config", "\(form.config.name) (\(form.config.id))"),
            ("Toolkit", "\(form.config.toolkitSlug) \(glyphs.dot) \(form.config.authScheme?.rawValue ?? "?")"),
            ("User ID", form.userId.text),
        ]
        for entry in form.entries.value ?? [] {
            let value: String
            if entry.value.isEmpty {
                value = "(not set)"
            } else if entry.field.isSecret {
                value = masked(entry.value, field: entry.field, bullet: glyphs.bullet)
            } else {
                value = entry.value.withRevealedValue { $0 }
            }
            rows.append((entry.field.displayName, value))
        }
        let labelWidth = min(24, (rows.map { DisplayWidth.of($0.0) }.max() ?? 0) + 2)
        for (label, value) in rows where y < area.maxY - 4 {
            canvas.put(label, x: area.x, y: y, role: .label, limit: labelWidth)
            canvas.put(value, x: area.x + labelWidth, y: y, role: .text, limit: area.width - labelWidth)
            y += 1
        }
        y += 1
        switch review.existing {
        case .idle:
            break
        case .loading:
            canvas.put("Checking \(form.userId.text)'s existing accounts on this config\(glyphs.ellipsis)", x: area.x, y: y, role: .muted, limit: area.width)
            y += 2
        case .failed(let failure):
            canvas.put("Could not check existing accounts: \(failure.message)", x: area.x, y: y, role: .warning, limit: area.width)
            y += 2
        case .loaded(let accounts) where accounts.isEmpty:
            break
        case .loaded(let accounts):
            let list =
                accounts.prefix(3).map { "\($0.id) (\($0.status.rawValue)\($0.alias.map { ", " + $0 } ?? ""))" }.joined(separator: ", ")
                + (accounts.count > 3 ? ", \(glyphs.ellipsis)" : "")
            canvas.put(
                "\(form.userId.text) already has \(accounts.count) account\(accounts.count == 1 ? "" : "s") here: \(list)", x: area.x, y: y, role: .warning,
                limit: area.width)
            y += 1
            let mark = { (choice: Wizard.ExistingChoice) in review.choice == choice ? "(•)" : "( )" }
            let role: StyleRole = review.choice == nil ? .accent : .text
            // Only the choices this run allows (a gateway session's invite may allow adding only).
            var options: [(Wizard.ExistingChoice, String)] = [(.addAnother, "add another account"), (.replace, "replace, once the new one is ACTIVE")]
            if let account = review.updatableAccount { options.append((.update, "update its credentials (\(account.id) keeps its id)")) }
            for (choice, words) in options {
                guard let key = keys.key(.review(.decide(choice))) else { continue }
                canvas.put("\(mark(choice)) \(key): \(words)", x: area.x, y: y, role: role, limit: area.width)
                y += 1
            }
            y += 1
        }
        if review.isLink {
            WizardView.wrap(
                "\(form.config.authScheme?.rawValue ?? "This scheme") tokens cannot be imported. \(connect) creates a hosted connect link for \(form.userId.text) to open in a browser; onboard waits while they approve.",
                into: &canvas, x: area.x, y: y, width: area.width, maxRows: 3, role: .text
            )
            y += 3
            if let bearer = review.bearerAlternative, !locked {
                WizardView.wrap(
                    "Has \(form.userId.text) an access token already? \(bearer.name) (\(bearer.id)) takes it as a bearer token: \(edit), \(form.keyMap(locked: false).key(.credentials(.back), startingSentence: true) ?? "") and choose it.",
                    into: &canvas, x: area.x, y: y, width: area.width, maxRows: 2, role: .accent)
                y += 2
            }
        }
        if review.offersValidation {
            let box = review.validateCredentials ? "[x]" : "[ ]"
            canvas.put(
                "\(box) Ask the service to check the credentials first (\(keys.key(.review(.toggleValidation)) ?? ""))", x: area.x, y: y,
                role: review.validateCredentials ? .accent : .muted)
            y += 1
        }
        y += 1
        let decisions = [Wizard.ExistingChoice.addAnother, .replace, .update].compactMap { keys.key(.review(.decide($0))) }
        let choices = decisions.count > 1 ? decisions.dropLast().joined(separator: ", ") + " or " + decisions.last! : decisions.joined()
        let prompt =
            review.canConnect
            ? "Nothing has been sent yet. \(connect) \(review.isLink ? "creates the link" : review.choice == .update ? "updates it in place" : "connects"); \(edit) goes back to edit."
            : (review.existing == .loading
                ? "Nothing has been sent yet." : "Choose \(choices) first; \(edit) goes back to edit.")
        canvas.put(prompt, x: area.x, y: y, role: .help, limit: area.width)
    }

    /// Bullets and, for long keys, the last four characters, so a person can tell keys apart
    /// (``CredentialField/masked(_:)`` decides).
    static func masked(_ secret: Secret, field: CredentialField, bullet: Character) -> String {
        String(field.masked(secret).map { $0 == "•" ? bullet : $0 })
    }
}
