import Foundation
import OnboardCore
import OnboardTUI

/// What an operator's attach is connected to: the gateway, holding the session.
package protocol AttachedSession: AnyObject, Sendable {
    /// Everything that arrived since the last call.
    func takeUpdates() -> [AttachUpdate]
    /// The operator's window for frames changed.
    func resize(columns: Int, rows: Int)
    func sendNote(_ text: String)
    func endSession()
    /// Detaches.
    func close()
}

/// What the gateway said to an attached operator.
package enum AttachUpdate: Equatable, Sendable {
    case attached(invite: String, peer: String, userId: String, authConfig: String)
    /// The customer's screen, drawn from their masked state for the operator's window.
    case frame(Canvas)
    case helpRequested(at: Date)
    /// Attaching was refused, or the session ended: why.
    case closed(String)
}

/// The operator's front end for `invite attach`: the customer's screen as the gateway sends
/// it (drawn from the session's masked state at this window's size), and two rows of its own:
/// what is watched and the keys (n: a note, x: end the session, q: detach).
package final class ObserverRuntime {
    private let terminal: any TerminalDevice
    private let session: any AttachedSession
    private let timekeeper: any Timekeeper
    private let glyphs: Glyphs
    /// What the operator sees, apart from the customer's screen.
    package struct Screen: Equatable, Sendable {
        package var invite = ""
        package var customer = ""
        package var frame: Canvas?
        package var helpAt: Date?
        /// The note being written, while it is.
        package var note: TextInput?
        /// `x` was pressed once: the second ends the session.
        package var endArmed = false
        package var closed: String?
        package var message: String?
        package init() {}
    }
    package private(set) var screen = Screen()

    package init(terminal: any TerminalDevice, session: any AttachedSession, timekeeper: any Timekeeper = SystemTimekeeper(), glyphs: Glyphs = .unicode) {
        self.terminal = terminal
        self.session = session
        self.timekeeper = timekeeper
        self.glyphs = glyphs
    }

    /// Rows of the operator's own under the customer's screen.
    static let ownRows = 2

    /// Runs until the operator detaches or the session ends; the exit code (0, or 1 when
    /// attaching was refused before any frame).
    package func run() -> Int32 {
        var size = terminal.size
        session.resize(columns: size.width, rows: max(1, size.height - Self.ownRows))
        var lastDrawn: Canvas?
        // Drawn again only after something changed: an update, a key, a new size.
        var dirty = true
        while true {
            for update in session.takeUpdates() {
                apply(update)
                dirty = true
            }
            if let closed = screen.closed {
                session.close()
                screen.message = closed
                return screen.frame == nil && screen.invite.isEmpty ? 1 : 0
            }
            let now = terminal.size
            if now.width != size.width || now.height != size.height {
                size = now
                session.resize(columns: size.width, rows: max(1, size.height - Self.ownRows))
                dirty = true
            }
            if dirty {
                let canvas = render(width: size.width, height: size.height)
                if canvas != lastDrawn {
                    terminal.draw(canvas)
                    lastDrawn = canvas
                }
                dirty = false
            }
            if let signal = terminal.takeSignal(), signal != .suspend {
                session.close()
                return signal == .interrupt ? 0 : 1
            }
            guard let input = terminal.readInput() else { continue }
            dirty = true
            if case .key(let key) = input, !handle(key) {
                session.close()
                return 0
            }
            if case .paste(let text) = input { screen.note?.insert(text) }
            if case .resize = input { lastDrawn = nil }
        }
    }

    private func apply(_ update: AttachUpdate) {
        switch update {
        case .attached(let invite, let peer, let userId, let authConfig):
            screen.invite = invite
            screen.customer = "\(userId) on \(authConfig), from \(peer)"
        case .frame(let canvas): screen.frame = canvas
        case .helpRequested(let at): screen.helpAt = at
        case .closed(let why): screen.closed = screen.closed ?? why
        }
    }

    /// Handles one key; false to detach.
    private func handle(_ key: Key) -> Bool {
        typealias Keys = Wizard.OperatorKeys
        if var note = screen.note {
            if Keys.send.contains(key) {
                if let text = Wizard.Assistance.oneLine(note.text, limit: Wizard.Assistance.noteLimit) {
                    session.sendNote(text)
                    screen.message = "Note sent."
                }
                screen.note = nil
            } else if Keys.cancel.contains(key) {
                screen.note = nil
            } else {
                note.apply(key)
                if note.text.count > Wizard.Assistance.noteLimit { return true }
                screen.note = note
            }
            return true
        }
        let armed = screen.endArmed
        screen.endArmed = false
        switch Keys.action(for: key) {
        case .detach: return false
        case .note:
            screen.note = TextInput()
            screen.message = nil
        case .end where armed:
            session.endSession()
            screen.message = "Ending the session\(glyphs.ellipsis)"
        case .end:
            screen.endArmed = true
        case nil: break
        }
        return true
    }

    /// The customer's screen above, the operator's two rows below.
    package func render(width: Int, height: Int) -> Canvas {
        var canvas = Canvas(width: width, height: height)
        let frameRows = max(0, height - Self.ownRows)
        if let frame = screen.frame {
            for y in 0..<min(frameRows, frame.height) {
                for x in 0..<min(width, frame.width) {
                    let cell = frame[x, y]
                    if !cell.text.isEmpty { canvas.put(cell.text, x: x, y: y, role: cell.role) }
                }
            }
        } else {
            canvas.put("Waiting for the session's screen\(glyphs.ellipsis)", x: 2, y: min(2, frameRows), role: .muted)
        }
        let status = height - 2
        canvas.fill(glyphs.horizontal, y: status, role: .border)
        var watched = "Watching \(screen.invite)"
        if let helpAt = screen.helpAt { watched = "HELP ASKED at \(UTCTimestamp.iso8601(helpAt).dropFirst(11).prefix(8)) UTC \(glyphs.dot) " + watched }
        if !screen.customer.isEmpty { watched += " \(glyphs.dot) \(screen.customer)" }
        canvas.put(" \(watched) ", x: 1, y: status, role: screen.helpAt == nil ? .header : .warning, limit: width - 2)
        let bottom = height - 1
        if let note = screen.note {
            let label =
                "Note to the customer (\(Wizard.OperatorKeys.send.first?.name ?? "") sends, \(Wizard.OperatorKeys.cancel.first?.name ?? "") cancels): "
            let used = canvas.put(label, x: 1, y: bottom, role: .label)
            canvas.put(note.text, x: 1 + used, y: bottom, role: .inputFocused, limit: width - used - 2)
            canvas.cursor = (min(width - 1, 1 + used + DisplayWidth.of(String(note.text.prefix(note.cursor)))), bottom)
        } else if screen.endArmed {
            let end = Wizard.OperatorKeys.watching.first { $0.action == .end }?.keys.first?.name ?? ""
            canvas.put("Press \(end) again to end the customer's session; any other key keeps it.", x: 1, y: bottom, role: .warning)
        } else {
            var x = 1
            for binding in Wizard.OperatorKeys.watching {
                x += canvas.put(binding.keys.first?.name ?? "", x: x, y: bottom, role: .keyName) + 1
                x += canvas.put(binding.label, x: x, y: bottom, role: .keyLabel) + 3
            }
            if let message = screen.message { canvas.put(message, x: x, y: bottom, role: .muted, limit: max(0, width - x - 1)) }
        }
        return canvas
    }
}
