import OnboardCore

/// Step 3: every value about to be sent, secrets as a masked tail, and the validation choice.
enum ReviewView {
    static func draw(_ review: Wizard.Review, into canvas: inout Canvas, area: Rect, glyphs: Glyphs) {
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
                value = masked(entry.value, bullet: glyphs.bullet)
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
        if review.offersValidation {
            let box = review.validateCredentials ? "[x]" : "[ ]"
            canvas.put("\(box) Ask the service to check the credentials first (v)", x: area.x, y: y, role: review.validateCredentials ? .accent : .muted)
            y += 1
        }
        y += 1
        canvas.put("Nothing has been sent yet. Enter connects; Esc goes back to edit.", x: area.x, y: y, role: .help, limit: area.width)
    }

    /// Bullets and, for long values, the last four characters, so a person can tell keys apart.
    static func masked(_ secret: Secret, bullet: Character) -> String {
        String(secret.maskedTail().map { $0 == "•" ? bullet : $0 })
    }
}
