import OnboardCore

/// Renders the whole screen for a wizard state: header, the current page, messages, key bar.
package enum WizardView {
    /// Below this the screens cannot be laid out; a message asks for a larger window.
    package static let minimumWidth = 60
    package static let minimumHeight = 18

    package static func render(_ state: Wizard.State, context: ScreenContext, width: Int, height: Int) -> Canvas {
        if case .keyPrompt(let prompt) = state.step {
            return KeyPromptView.render(
                prompt, quitArmed: state.quitArmed, keys: KeyBar.bindings(for: state), glyphs: context.glyphs, width: width, height: height)
        }
        var canvas = Canvas(width: width, height: height)
        guard width >= minimumWidth, height >= minimumHeight else {
            drawTooSmall(into: &canvas)
            return canvas
        }
        drawHeader(state, context: context, into: &canvas)
        canvas.fill(context.glyphs.horizontal, y: 1, role: .border)
        let assisted = state.assistance.map { AssistanceView.draw($0, into: &canvas, y: 2, glyphs: context.glyphs) } ?? 0
        let body = Rect(x: 2, y: 3 + assisted, width: width - 4, height: height - 7 - assisted)
        switch state.step {
        case .keyPrompt: break  // drawn whole above
        case .configList(let list) where state.locked:
            ConfigListView.drawLocked(list, spinner: spinner(state, context), into: &canvas, area: body, glyphs: context.glyphs)
        case .configList(let list):
            ConfigListView.draw(list, spinner: spinner(state, context), into: &canvas, area: body, glyphs: context.glyphs)
        case .credentials(let form):
            CredentialsView.draw(
                form, spinner: spinner(state, context), into: &canvas, area: body, glyphs: context.glyphs, userIdFixed: state.locked)
        case .review(let review):
            ReviewView.draw(review, locked: state.locked, into: &canvas, area: body, glyphs: context.glyphs)
        case .connecting(let connecting):
            ConnectingView.draw(
                connecting, spinner: spinner(state, context), now: state.now, into: &canvas, area: body,
                qrCode: context.glyphs == .unicode ? context.qrCode : .none)
        case .outcome(let outcome):
            OutcomeView.draw(outcome, locked: state.locked, into: &canvas, area: body, glyphs: context.glyphs)
        case .unsupportedScheme(let page):
            UnsupportedSchemeView.draw(page, into: &canvas, area: body)
        }
        if let notice = state.retryNotice, !state.quitArmed {
            let seconds = state.now.map { max(0, Int(notice.until.timeIntervalSince($0).rounded(.up))) }
            let when = seconds.map { "retrying in \($0) s" } ?? "retrying shortly"
            canvas.put("\(notice.reason); \(when)\(context.glyphs.ellipsis)", x: 2, y: height - 3, role: .warning, limit: width - 4)
        }
        canvas.fill(context.glyphs.horizontal, y: height - 2, role: .border)
        // While the dialog is up, its answers are the only live keys.
        let dialog = state.quitArmed ? quitDialog(state) : nil
        drawKeyBar(dialog?.buttons ?? KeyBar.bindings(for: state), into: &canvas, y: height - 1)
        dialog?.draw(into: &canvas, glyphs: context.glyphs)
        return canvas
    }

    /// The confirmation after one Ctrl-C: says what quitting now leaves behind.
    static func quitDialog(_ state: Wizard.State) -> ModalDialog {
        let consequence: String
        switch state.step {
        case .keyPrompt, .configList, .credentials, .review, .unsupportedScheme: consequence = "Nothing has been sent; what you typed is dropped."
        case .connecting: consequence = "The request is on its way; check later with onboard accounts."
        case .outcome: consequence = "The result above stands."
        }
        return ModalDialog(
            title: "Quit onboard?", lines: [consequence], buttons: [KeyBinding("ctrl-c", "quit"), KeyBinding("any other key", "stay")])
    }

    static func spinner(_ state: Wizard.State, _ context: ScreenContext) -> String {
        let frames = context.glyphs.spinner
        return frames[state.spinnerFrame % frames.count]
    }

    static func drawHeader(_ state: Wizard.State, context: ScreenContext, into canvas: inout Canvas) {
        let number = state.step.number
        let title = Wizard.stepTitles[number - 1]
        var right = "Step \(number) of \(Wizard.stepTitles.count) \(context.glyphs.dot) \(title)"
        // The customer always sees that an operator is watching.
        if let watching = state.assistance?.observers, !watching.isEmpty {
            right = "\(AssistanceView.watchedMark(watching, glyphs: context.glyphs)) \(context.glyphs.dot) " + right
        }
        let rightWidth = DisplayWidth.of(right)
        var x = 1
        x += canvas.put("onboard", x: x, y: 0, role: .title)
        x += 1
        var label = context.backendLabel
        if let project = state.project { label = "\(project.name) \(context.glyphs.dot) \(label)" }
        let room = canvas.width - rightWidth - x - 3
        canvas.put(DisplayWidth.truncate(label, to: room, ellipsis: context.glyphs.ellipsis), x: x, y: 0, role: .header)
        canvas.put(right, x: canvas.width - rightWidth - 1, y: 0, role: .headerAccent)
    }

    static func drawKeyBar(_ bindings: [KeyBinding], into canvas: inout Canvas, y: Int) {
        var x = 1
        for binding in bindings {
            let needed = DisplayWidth.of(binding.key) + 1 + DisplayWidth.of(binding.label) + 3
            if x + needed > canvas.width { break }
            x += canvas.put(binding.key, x: x, y: y, role: .keyName) + 1
            x += canvas.put(binding.label, x: x, y: y, role: .keyLabel) + 3
        }
    }

    static func drawTooSmall(into canvas: inout Canvas) {
        let lines = [
            "Window too small: \(canvas.width)x\(canvas.height).",
            "onboard needs at least \(minimumWidth)x\(minimumHeight).",
            "Enlarge the window to go on; nothing is lost.",
        ]
        let top = max(0, (canvas.height - lines.count) / 2)
        for (offset, line) in lines.enumerated() {
            let x = max(0, (canvas.width - DisplayWidth.of(line)) / 2)
            canvas.put(line, x: x, y: top + offset, role: offset == 0 ? .warning : .text)
        }
    }

    /// Draws wrapped text; returns the rows used.
    @discardableResult
    static func wrap(_ text: String, into canvas: inout Canvas, x: Int, y: Int, width: Int, maxRows: Int, role: StyleRole) -> Int {
        var row = 0
        for line in Wrapping.lines(TerminalText.sanitized(text), width: width) {
            guard row < maxRows else { break }
            canvas.put(line, x: x, y: y + row, role: role, limit: width)
            row += 1
        }
        return row
    }
}

/// Word wrapping by display width.
package enum Wrapping {
    package static func lines(_ text: String, width: Int) -> [String] {
        guard width > 0 else { return [] }
        var lines: [String] = []
        var current = ""
        for word in text.split(separator: " ", omittingEmptySubsequences: true).map(String.init) {
            var word = word
            while DisplayWidth.of(word) > width {
                if !current.isEmpty {
                    lines.append(current)
                    current = ""
                }
                let head = DisplayWidth.truncate(word, to: width, ellipsis: "")
                lines.append(head)
                word = String(word.dropFirst(head.count))
            }
            let candidate = current.isEmpty ? word : current + " " + word
            if DisplayWidth.of(candidate) > width {
                lines.append(current)
                current = word
            } else {
                current = candidate
            }
        }
        if !current.isEmpty { lines.append(current) }
        return lines
    }
}
