import OnboardCore

/// Step 2: the user id and one input per field, each with its label, help and problem.
enum CredentialsView {
    /// Rows one input takes: label, value, help or problem, gap.
    static let rowsPerInput = 4

    /// - Parameter userIdFixed: the invite set the user id (a gateway session): said so, not explained.
    static func draw(
        _ form: Wizard.Credentials, spinner: String, into canvas: inout Canvas, area: Rect, glyphs: Glyphs, userIdFixed: Bool = false
    ) {
        var y = area.y
        let scheme = form.config.authScheme?.rawValue ?? "?"
        canvas.put("Connect \(form.config.name)", x: area.x, y: y, role: .title, limit: area.width)
        y += 1
        canvas.put("\(form.config.toolkitSlug) \(glyphs.dot) \(scheme) \(glyphs.dot) \(form.config.id)", x: area.x, y: y, role: .muted, limit: area.width)
        y += 2
        guard
            let entries = LoadableView.value(
                form.entries, loading: "Loading the fields \(form.config.toolkitSlug) needs", failed: "Could not load the fields",
                spinner: spinner, into: &canvas, x: area.x, y: y, width: area.width, glyphs: glyphs
            )
        else { return }
        // Locked to an invite (userIdFixed), files cannot be read: the hint offers pasting only.
        let inputs = [InputRow.userId(form, fixed: userIdFixed)] + entries.map { InputRow.entry($0, filesReadable: !userIdFixed) }
        let fitting = max(1, (area.maxY - y) / rowsPerInput)
        let first = max(0, min(form.focus - fitting + 1, inputs.count - fitting))
        if first > 0 { canvas.put("\(first) more above", x: area.x + area.width - 16, y: y - 1, role: .muted) }
        for (offset, input) in inputs.dropFirst(first).prefix(fitting).enumerated() {
            let index = first + offset
            draw(input, focused: index == form.focus, into: &canvas, x: area.x, y: y, width: area.width, glyphs: glyphs)
            y += rowsPerInput
        }
        let below = inputs.count - first - fitting
        if below > 0 { canvas.put("\(below) more below", x: area.x + area.width - 16, y: area.maxY - 1, role: .muted) }
    }

    /// What one input shows, independent of its kind.
    struct InputRow {
        var label: String
        var required: Bool
        var display: String
        var cursorColumn: Int
        var help: String
        var problem: String?
        var note: String?

        static func userId(_ form: Wizard.Credentials, fixed: Bool) -> InputRow {
            let before = String(form.userId.text.prefix(form.userId.cursor))
            return InputRow(
                label: "User ID", required: true, display: form.userId.text, cursorColumn: DisplayWidth.of(before),
                help: fixed
                    ? "Set by your invite; it cannot be changed here."
                    : "Who this account belongs to in your system; the same id your app passes to Composio.",
                problem: form.userIdProblem, note: nil
            )
        }

        static func entry(_ entry: Wizard.FieldEntry, filesReadable: Bool) -> InputRow {
            let display: String
            let cursor: Int
            var note: String?
            switch entry.input {
            case .text(let input):
                display = input.text
                cursor = DisplayWidth.of(String(input.text.prefix(input.cursor)))
            case .secret(let input):
                if input.isRevealed {
                    display = input.value.withRevealedValue { $0.replacingOccurrences(of: "\n", with: " ⏎ ") }
                    note = "shown"
                } else {
                    display = String(repeating: "•", count: min(input.count, 512))
                    if input.shownCount > 0 {
                        let lines = input.lineCount
                        note = lines > 1 ? "\(input.shownCount) chars, \(lines) lines" : "\(input.shownCount) characters"
                    }
                }
                cursor = DisplayWidth.of(display)
            }
            let paste = filesReadable ? "Paste it whole, or type @ and the file's path. " : "Paste it whole. "
            let help = entry.field.isMultiline ? paste + entry.field.description : entry.field.description
            return InputRow(
                label: entry.field.displayName, required: entry.field.isRequired, display: display, cursorColumn: cursor,
                help: help, problem: entry.problem, note: note
            )
        }
    }

    static func draw(_ row: InputRow, focused: Bool, into canvas: inout Canvas, x: Int, y: Int, width: Int, glyphs: Glyphs) {
        var labelX = x + 2
        labelX += canvas.put(row.label, x: labelX, y: y, role: focused ? .accent : .label)
        canvas.put(row.required ? " required" : " optional", x: labelX, y: y, role: .muted)
        let noteWidth = row.note.map { DisplayWidth.of($0) + 2 } ?? 0
        let valueWidth = width - 4 - noteWidth
        canvas.put(focused ? glyphs.pointer : " ", x: x, y: y + 1, role: .accent)
        // Long values scroll so the cursor stays in view.
        let shift = max(0, row.cursorColumn - valueWidth + 1)
        let visible = dropColumns(row.display, shift, bullet: glyphs.bullet)
        canvas.put(visible, x: x + 2, y: y + 1, role: focused ? .inputFocused : .input, limit: valueWidth)
        if focused {
            canvas.paint(role: .inputFocused, x: x + 2, y: y + 1, width: valueWidth)
            canvas.cursor = (x + 2 + row.cursorColumn - shift, y + 1)
        } else if row.display.isEmpty {
            canvas.put("(empty)", x: x + 2, y: y + 1, role: .placeholder)
        }
        if let note = row.note {
            canvas.put(note, x: x + width - noteWidth + 2, y: y + 1, role: .muted)
        }
        if let problem = row.problem {
            canvas.put("\(glyphs.cross) \(problem)", x: x + 2, y: y + 2, role: .error, limit: width - 2)
        } else if focused || !row.help.isEmpty {
            canvas.put(DisplayWidth.truncate(row.help, to: width - 2, ellipsis: glyphs.ellipsis), x: x + 2, y: y + 2, role: .help)
        }
    }

    /// Drops the first `columns` display columns; bullets are swapped for the ASCII glyph.
    static func dropColumns(_ text: String, _ columns: Int, bullet: Character) -> String {
        var skipped = 0
        var result = ""
        for character in text {
            if skipped < columns {
                skipped += DisplayWidth.of(character)
                continue
            }
            result.append(character == "•" ? bullet : character)
        }
        return result
    }
}
