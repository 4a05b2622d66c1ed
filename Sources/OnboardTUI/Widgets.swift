/// A dialog drawn over the page: a bordered box, centred, with a title, a few lines and the keys
/// that answer it. The page behind stays as it was; the caller decides what the keys do.
package struct ModalDialog: Equatable, Sendable {
    package var title: String
    package var lines: [String]
    /// The answers, as key and what it does ("ctrl-c", "quit").
    package var buttons: [KeyBinding]

    package init(title: String, lines: [String], buttons: [KeyBinding]) {
        self.title = title
        self.lines = lines
        self.buttons = buttons
    }

    /// The box's size for a canvas: as wide as its longest line, within the canvas less a margin.
    func size(in canvas: Canvas) -> (width: Int, height: Int) {
        let buttonsWidth = buttons.reduce(0) { $0 + DisplayWidth.of($1.key) + DisplayWidth.of($1.label) + 5 }
        let content = ([title, ""] + lines).map(DisplayWidth.of).max() ?? 0
        let width = min(canvas.width - 4, max(content, buttonsWidth) + 4)
        return (width, min(canvas.height - 2, lines.count + 5))
    }

    package func draw(into canvas: inout Canvas, glyphs: Glyphs) {
        let (width, height) = size(in: canvas)
        guard width >= 10, height >= 4 else { return }
        let left = (canvas.width - width) / 2
        let top = (canvas.height - height) / 2
        let inner = width - 4
        let horizontal = String(repeating: glyphs.horizontal, count: width - 2)
        canvas.put(String(glyphs.box[0]) + horizontal + String(glyphs.box[1]), x: left, y: top, role: .border)
        for row in 1..<(height - 1) {
            canvas.put(String(glyphs.box[4]) + String(repeating: " ", count: width - 2) + String(glyphs.box[4]), x: left, y: top + row, role: .border)
            canvas.paint(role: .text, x: left + 1, y: top + row, width: width - 2)
        }
        canvas.put(String(glyphs.box[2]) + horizontal + String(glyphs.box[3]), x: left, y: top + height - 1, role: .border)
        canvas.put(title, x: left + 2, y: top + 1, role: .warning, limit: inner)
        for (offset, line) in lines.prefix(height - 5).enumerated() {
            canvas.put(line, x: left + 2, y: top + 2 + offset, role: .text, limit: inner)
        }
        var x = left + 2
        for button in buttons {
            x += canvas.put(button.key, x: x, y: top + height - 2, role: .keyName, limit: left + width - 2 - x) + 1
            x += canvas.put(button.label, x: x, y: top + height - 2, role: .keyLabel, limit: max(0, left + width - 2 - x)) + 3
        }
    }
}

/// A bar of `width` cells filled in proportion to done / total (never past either end).
package enum ProgressBar {
    package static func render(done: Int, total: Int, width: Int, glyphs: Glyphs) -> String {
        guard width > 0 else { return "" }
        let filled = total <= 0 ? width : min(width, max(0, done * width / total))
        return String(repeating: glyphs.barFilled, count: filled) + String(repeating: glyphs.barEmpty, count: width - filled)
    }
}
