import OnboardCore

/// The rows above the form in a gateway session: who asked (the invite's greeting) and the
/// gateway's host key to check, the operator's note, who is watching and whether help was asked.
/// On a short window the note and the watching line keep their rows first.
enum AssistanceView {
    /// Draws from row `y`; returns the rows used (the blank row under them is the page's own).
    static func draw(_ assistance: Wizard.Assistance, into canvas: inout Canvas, y: Int, glyphs: Glyphs) -> Int {
        let width = canvas.width - 4
        // (rank, text, role): lower ranks keep their rows when the window is short.
        var blocks: [(rank: Int, lines: [String], role: StyleRole)] = []
        if let greeting = assistance.greeting {
            blocks.append((2, clipped(Wrapping.lines(greeting, width: width), rows: 2, glyphs: glyphs), .help))
        }
        if let hostKey = assistance.hostKey {
            blocks.append((3, ["Host key \(hostKey): compare it with your invite."], .muted))
        }
        if let note = assistance.note {
            blocks.append((0, clipped(Wrapping.lines("Note from \(note.from): \(note.text)", width: width), rows: 3, glyphs: glyphs), .warning))
        }
        var status: [String] = []
        if !assistance.observers.isEmpty {
            status.append(
                assistance.presence
                    ?? "\(assistance.observers.joined(separator: ", ")) \(assistance.observers.count == 1 ? "is" : "are") watching (secrets stay masked for them)"
            )
        } else if let presence = assistance.presence {
            status.append(presence)
        }
        if assistance.helpRequested { status.append("You asked for help; your operator has been told.") }
        if !status.isEmpty { blocks.append((1, status, .accent)) }
        guard !blocks.isEmpty else { return 0 }
        // Room for the form: on the smallest window, two rows (the note and who watches).
        var room = max(2, canvas.height - WizardView.minimumHeight + 2)
        var kept = Set<Int>()
        for block in blocks.sorted(by: { $0.rank < $1.rank }) where block.lines.count <= room {
            kept.insert(block.rank)
            room -= block.lines.count
        }
        var row = y
        for block in blocks where kept.contains(block.rank) {
            for line in block.lines {
                canvas.put(line, x: 2, y: row, role: block.role, limit: width)
                row += 1
            }
        }
        return row - y
    }

    /// At most `rows` lines, the last ending in an ellipsis when some were cut.
    static func clipped(_ lines: [String], rows: Int, glyphs: Glyphs) -> [String] {
        guard lines.count > rows else { return lines }
        var kept = Array(lines.prefix(rows))
        kept[rows - 1] += glyphs.ellipsis
        return kept
    }

    /// The header's mark while operators watch: "● watched by alice".
    static func watchedMark(_ observers: [String], glyphs: Glyphs) -> String {
        let names = observers.count == 1 ? observers[0] : "\(observers.count) operators"
        return "\(glyphs == .unicode ? "●" : "*") watched by \(DisplayWidth.truncate(names, to: 16, ellipsis: glyphs.ellipsis))"
    }
}
