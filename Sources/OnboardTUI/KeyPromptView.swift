import OnboardCore

/// The masked API-key prompt: one bullet per character, never the key. The whole screen: the
/// project is not known yet, so it has the host in the header instead of a step.
enum KeyPromptView {
    static func render(_ state: Wizard.KeyPrompt, quitArmed: Bool, keys: [KeyBinding], glyphs: Glyphs, width: Int, height: Int) -> Canvas {
        var canvas = Canvas(width: width, height: height)
        guard width >= WizardView.minimumWidth, height >= WizardView.minimumHeight else {
            WizardView.drawTooSmall(into: &canvas)
            return canvas
        }
        canvas.put("onboard", x: 1, y: 0, role: .title)
        canvas.put(state.host, x: 9, y: 0, role: .header, limit: width - 10)
        canvas.fill(glyphs.horizontal, y: 1, role: .border)
        var y = 3
        canvas.put("Project API key", x: 2, y: y, role: .title)
        y += 2
        y += WizardView.wrap(
            "No key is configured for \(state.host). Paste the project's API key (ak_...); it is checked with the service and kept only in memory. To skip this, set COMPOSIO_API_KEY or COMPOSIO_API_KEY_FILE.",
            into: &canvas, x: 2, y: y, width: width - 4, maxRows: 4, role: .help
        )
        y += 1
        let shown = state.input.isRevealed ? state.input.value.withRevealedValue { $0 } : String(repeating: glyphs.bullet, count: state.input.count)
        canvas.put(glyphs.pointer, x: 2, y: y, role: .accent)
        canvas.put(shown, x: 4, y: y, role: .inputFocused, limit: width - 20)
        canvas.paint(role: .inputFocused, x: 4, y: y, width: width - 20)
        if state.input.shownCount > 0 { canvas.put("\(state.input.shownCount) characters", x: width - 15, y: y, role: .muted) }
        canvas.cursor = (min(width - 17, 4 + DisplayWidth.of(shown)), y)
        y += 2
        if state.checking {
            canvas.put("Checking the key\(glyphs.ellipsis)", x: 2, y: y, role: .spinner)
        } else if let problem = state.problem {
            WizardView.wrap("\(glyphs.cross) \(problem)", into: &canvas, x: 2, y: y, width: width - 4, maxRows: 4, role: .error)
        }
        if quitArmed {
            canvas.put("Press Ctrl-C again to quit, any other key to stay.", x: 2, y: height - 3, role: .warning)
        }
        canvas.fill(glyphs.horizontal, y: height - 2, role: .border)
        WizardView.drawKeyBar(keys, into: &canvas, y: height - 1)
        return canvas
    }
}
