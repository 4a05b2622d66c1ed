import CNcursesw
import Foundation
import OnboardCore
import OnboardProcess
import OnboardTUI
import Synchronization

/// The real terminal: ncursesw in raw mode on the alternate screen, wide characters, colours
/// from the theme, bracketed paste, and signals turned into events.
///
/// Owned by one thread (the wizard's loop); only the signal flags cross threads.
package final class CursesTerminal: TerminalDevice {
    private let theme: Theme
    private var pairs: [StyleRole: (attributes: attr_t, pair: Int16)] = [:]
    private var painted: Canvas?
    private var isActive = false
    /// Whether the locale and terminal can show Unicode (else ASCII glyphs are used).
    package let supportsUnicode: Bool
    /// Whether links are sent as OSC 8 hyperlinks. Terminals without them ignore the sequence;
    /// the Linux console does not, and `ONBOARD_NO_HYPERLINKS` turns them off anywhere.
    let emitsHyperlinks: Bool

    /// Takes over the terminal.
    /// - Parameters:
    ///   - useColor: false for `NO_COLOR` or `--no-color`; attributes still apply.
    package init(theme: Theme, useColor: Bool) throws {
        self.theme = theme
        // Only the character set: curses needs it for wide characters, and nothing else here
        // reads the C locale (the plain mode sets none). Loading every category read a dozen
        // locale files before the first frame.
        setlocale(LC_CTYPE, "")
        CrashRestore.install()
        // A short Escape delay unless the user chose one, so Esc answers at once over SSH too.
        setenv("ESCDELAY", "25", 0)
        // Plain C and Swift here, not Foundation's string methods or ProcessInfo: those bridge
        // through NSString and build dictionaries whose first use scans every protocol
        // conformance in the binary, milliseconds before the first frame.
        let codeset = String(cString: nl_langinfo(nl_item(CODESET)))
        supportsUnicode = codeset.uppercased().filter { $0 != "-" } == "UTF8" && getenv("NCURSES_NO_UTF8_ACS") == nil
        let term = getenv("TERM").map { String(cString: $0) }
        emitsHyperlinks = getenv("ONBOARD_NO_HYPERLINKS") == nil && !(term ?? "").hasPrefix("linux")
        // newterm, unlike initscr, reports an unknown TERM instead of exiting the process.
        guard onb_newterm() != nil else {
            let name = term ?? "(unset)"
            throw TerminalSetupError("This terminal type (TERM=\(name)) is unknown to terminfo. Set TERM to one it knows, e.g. TERM=xterm-256color.")
        }
        isActive = true
        raw()
        noecho()
        nonl()
        keypad(onb_stdscr(), true)
        wtimeout(onb_stdscr(), inputTimeout)
        if useColor && has_colors() {
            start_color()
            use_default_colors()
        }
        setUpStyles(useColor: useColor && has_colors())
        // Bracketed paste: a paste arrives between ESC[200~ and ESC[201~.
        writeRaw("\u{1B}[?2004h")
        installSignalHandlers()
    }

    deinit { restore() }

    package var size: (width: Int, height: Int) {
        (Int(onb_getmaxx(onb_stdscr())), Int(onb_getmaxy(onb_stdscr())))
    }

    private func setUpStyles(useColor: Bool) {
        var pairFor: [String: Int16] = [:]
        let available = Int(onb_colors())
        for role in StyleRole.allCases {
            let style = theme.style(role)
            var attributes = onb_a_normal()
            if style.bold { attributes |= onb_a_bold() }
            if style.dim { attributes |= onb_a_dim() }
            if style.underline { attributes |= onb_a_underline() }
            if style.reverse { attributes |= onb_a_reverse() }
            var pair: Int16 = 0
            if useColor {
                let foreground = ColorDegrader.resolve(style.foreground, available: available)
                let background = ColorDegrader.resolve(style.background, available: available)
                let key = "\(foreground)/\(background)"
                // The terminal's own colours are pair 0: a pair of defaults still makes ncurses
                // reset attributes (6 bytes) after every update that drew with it.
                if style.foreground == .terminalDefault && style.background == .terminalDefault {
                    pair = 0
                } else if let existing = pairFor[key] {
                    pair = existing
                } else if pairFor.count + 1 < Int(onb_color_pairs()) {
                    pair = Int16(pairFor.count + 1)
                    _ = onb_init_pair(Int32(pair), foreground, background)
                    pairFor[key] = pair
                }
            }
            pairs[role] = (attributes, pair)
        }
    }

    // MARK: input

    /// How long a read waits for a key, in milliseconds: 50 for the wizard (its loop has nothing
    /// else to wait on); shorter for a front end that also waits on something else.
    package var inputTimeout: Int32 = 50 {
        didSet { wtimeout(onb_stdscr(), inputTimeout) }
    }

    package func readInput() -> TerminalInput? {
        guard let first = readRaw() else { return nil }
        switch first {
        case .function(let code):
            return KeyDecoder.decode(functionKey: code)
        case .character(27):
            return readEscape()
        case .character(let code):
            return KeyDecoder.decode(character: code).map(TerminalInput.key)
        }
    }

    private enum Raw {
        case character(UInt32)
        case function(Int32)
    }

    private func readRaw() -> Raw? {
        var value: wint_t = 0
        let result = onb_get_wch(&value)
        if result == onb_err() { return nil }
        if result == onb_key_code_yes() { return .function(Int32(value)) }
        return .character(UInt32(value))
    }

    /// Reads what is already waiting after ESC (no delay) and interprets it.
    private func readEscape() -> TerminalInput? {
        wtimeout(onb_stdscr(), 0)
        defer { wtimeout(onb_stdscr(), inputTimeout) }
        var following: [UInt32] = []
        while following.count < 8, case .character(let code)? = readRaw() {
            following.append(code)
            if following.count >= 2, (0x40...0x7E).contains(code) { break }
            if following.count == 1, code != 91, code != 79 { break }
        }
        let (meaning, consumed) = KeyDecoder.decodeEscape(following)
        for code in following.dropFirst(consumed).reversed() { unget_wch(wchar_t(code)) }
        switch meaning {
        case .escape: return .key(.escape)
        case .key(let key): return .key(key)
        case .ignored: return nil
        case .pasteStart: return readPaste().map(TerminalInput.paste) ?? .pasteCutOff
        }
    }

    /// The most a paste may hold; a credential file is never this big, and `@path` reads larger.
    static let maximumPasteScalars = 1 << 20

    /// Collects a bracketed paste up to its end marker; nil when it did not arrive whole (a
    /// second of silence before the marker, or more than ``maximumPasteScalars``), so a paste cut
    /// off by a dropped link is never taken for the whole value.
    private func readPaste() -> String? {
        wtimeout(onb_stdscr(), 1000)
        var scalars: [UInt32] = []
        var tail: [UInt32] = []
        var overflowed = false
        var ended = false
        let end = KeyDecoder.pasteEnd
        while case .character(let code)? = readRaw() {
            tail.append(code)
            if tail.count > end.count { tail.removeFirst() }
            if tail == end {
                if !overflowed { scalars.removeLast(end.count - 1) }
                ended = true
                break
            }
            // Past the limit the rest is read and dropped, so it never lands as typed keys.
            if overflowed { continue }
            scalars.append(code)
            if scalars.count > Self.maximumPasteScalars {
                overflowed = true
                scalars = []
            }
        }
        guard ended, !overflowed else { return nil }
        let text = String(String.UnicodeScalarView(scalars.compactMap(Unicode.Scalar.init)))
        return text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
    }

    // MARK: output

    package func draw(_ canvas: Canvas) {
        let previous = painted?.width == canvas.width && painted?.height == canvas.height ? painted : nil
        if previous == nil { erase() }
        // Neighbouring cells mostly share a role: its style is looked up once per run of them,
        // not hashed per cell.
        var role = StyleRole.text
        var style = style(of: role)
        for y in 0..<canvas.height {
            for x in 0..<canvas.width {
                let cell = canvas[x, y]
                if let previous, previous[x, y] == cell { continue }
                guard !cell.text.isEmpty else { continue }
                if cell.role != role {
                    role = cell.role
                    style = self.style(of: role)
                }
                // The erased screen already holds a plain blank: most of a first frame.
                if previous == nil, style.isPlain, cell.text == " " { continue }
                drawCell(cell.text, style: style, x: x, y: y)
            }
        }
        if let cursor = canvas.cursor {
            curs_set(1)
            move(Int32(cursor.y), Int32(cursor.x))
        } else {
            curs_set(0)
        }
        refresh()
        if emitsHyperlinks { paintHyperlinks(canvas, over: previous) }
        painted = canvas
    }

    /// Repaints each link's row inside an OSC 8 sequence, so the terminal makes it clickable.
    ///
    /// curses cannot carry the sequence itself; the row is marked damaged and refreshed between
    /// the opening and closing sequences, so its cells keep their colours. Only rows whose link
    /// or cells changed are sent again.
    private func paintHyperlinks(_ canvas: Canvas, over previous: Canvas?) {
        for link in canvas.links {
            let unchanged =
                previous.map { old in
                    old.links.contains(link) && (0..<canvas.width).allSatisfy { old[$0, link.y] == canvas[$0, link.y] }
                } ?? false
            if unchanged { continue }
            let id = String(link.url.utf8.reduce(UInt32(2_166_136_261)) { ($0 ^ UInt32($1)) &* 16_777_619 }, radix: 16)
            writeRaw("\u{1B}]8;id=onboard-\(id);\(link.url)\u{1B}\\")
            wredrawln(onb_stdscr(), Int32(link.y), 1)
            refresh()
            writeRaw("\u{1B}]8;;\u{1B}\\")
        }
    }

    /// A role's curses attributes and colour pair, and whether that is the terminal's own
    /// look (what `erase()` leaves).
    private func style(of role: StyleRole) -> (attributes: attr_t, pair: Int16, isPlain: Bool) {
        let (attributes, pair) = pairs[role] ?? (onb_a_normal(), 0)
        return (attributes, pair, attributes == onb_a_normal() && pair == 0)
    }

    private func drawCell(_ text: String, style: (attributes: attr_t, pair: Int16, isPlain: Bool), x: Int, y: Int) {
        var text = text
        if !supportsUnicode { text = Self.asciiFallback(text) }
        // A cell is one character and its combining marks (ncurses keeps up to 5); they go to
        // curses from the stack, not a new array per cell.
        withUnsafeTemporaryAllocation(of: wchar_t.self, capacity: 6) { characters in
            var count = 0
            for scalar in text.unicodeScalars.prefix(5) {
                characters[count] = wchar_t(bitPattern: scalar.value)
                count += 1
            }
            characters[count] = 0
            _ = onb_put_cell(Int32(y), Int32(x), characters.baseAddress, style.attributes, style.pair)
        }
    }

    /// Box-drawing and bullets for terminals without UTF-8; other non-ASCII shows as `?`.
    static func asciiFallback(_ text: String) -> String {
        switch text {
        case "─": "-"
        case "•": "*"
        case "›": ">"
        case "·": "-"
        case "…": "."
        case "↑": "^"
        case "↓": "v"
        case "←": "<"
        case "→": ">"
        case "✓": "+"
        case "┌", "┐", "└", "┘": "+"
        case "│": "|"
        case "█": "#"
        case "░": "."
        case "✗", "✕": "x"
        case "⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏": "*"
        default: text.unicodeScalars.allSatisfy(\.isASCII) ? text : "?"
        }
    }

    /// Forces a full repaint on the next draw (after resume or resize).
    private func invalidate() {
        painted = nil
        clearok(onb_stdscr(), true)
    }

    // MARK: signals, suspend, restore

    /// Signals the loop acts on; SIGCONT (resumed from outside) just forces a repaint.
    static let caughtSignals: [(Int32, TerminalSignal?)] = [
        (SIGINT, .interrupt), (SIGTERM, .terminate), (SIGHUP, .hangup), (SIGTSTP, .suspend), (SIGCONT, nil),
    ]

    private func installSignalHandlers() {
        _ = SignalFlags.take()
        SignalFlags.catchSignals(Self.caughtSignals.map(\.0))
    }

    package func takeSignal() -> TerminalSignal? {
        // A terminal that went away without a SIGHUP reaching us (its session leader did not
        // pass one on) fails every ioctl: treat it as the hangup it is.
        var settings = termios()
        if tcgetattr(STDIN_FILENO, &settings) != 0 && errno == EIO { return .hangup }
        let taken = SignalFlags.take()
        var first: TerminalSignal?
        for (number, signal) in Self.caughtSignals where taken & (1 << number) != 0 {
            guard let signal else {
                invalidate()
                continue
            }
            // More than one at once: the most final wins (hangup and terminate before the rest).
            if first == nil || [.hangup, .terminate].contains(signal) { first = signal }
        }
        return first
    }

    package func suspend() {
        writeRaw("\u{1B}[?2004l")
        endwin()
        signal(SIGTSTP, SIG_DFL)
        // This thread was started from one that blocks every signal; unblock SIGTSTP so the
        // raise stops the process here and now.
        var stop = sigset_t()
        var previous = sigset_t()
        sigemptyset(&stop)
        sigaddset(&stop, SIGTSTP)
        pthread_sigmask(SIG_UNBLOCK, &stop, &previous)
        raise(SIGTSTP)
        pthread_sigmask(SIG_SETMASK, &previous, nil)
        // Resumed (fg): take the terminal back.
        SignalFlags.recatch(SIGTSTP)
        writeRaw("\u{1B}[?2004h")
        refresh()
        invalidate()
    }

    package func restore() {
        guard isActive else { return }
        isActive = false
        writeRaw("\u{1B}[?2004l")
        curs_set(1)
        endwin()
        for number in [SIGINT, SIGTERM, SIGHUP, SIGTSTP, SIGCONT] { signal(number, SIG_DFL) }
        CrashRestore.uninstall()
    }

    private func writeRaw(_ text: String) {
        fflush(nil)
        let bytes = Array(text.utf8)
        bytes.withUnsafeBufferPointer { _ = write(STDOUT_FILENO, $0.baseAddress, $0.count) }
    }
}

/// The terminal could not be taken over; the message says why and what to set.
package struct TerminalSetupError: Error, CustomStringConvertible {
    package let description: String
    package init(_ description: String) { self.description = description }
}

/// Puts the terminal back if the process crashes while curses owns it (a trap, a segfault, an
/// abort): the saved termios, the main screen, a visible cursor, bracketed paste off. Then the
/// signal's default action runs, so the crash is still reported.
///
/// Only async-signal-safe calls run in the handler (write, tcsetattr, signal, raise), on data
/// prepared before curses starts.
enum CrashRestore {
    nonisolated(unsafe) static var saved = termios()
    nonisolated(unsafe) static var hasSaved = false
    /// Leave the alternate screen, show the cursor, reset attributes, bracketed paste off.
    static let sequence: [UInt8] = Array("\u{1B}[?2004l\u{1B}[0m\u{1B}[?25h\u{1B}[?1049l\r\n".utf8)
    static let signals = [SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT, SIGTRAP]

    static func install() {
        hasSaved = tcgetattr(STDIN_FILENO, &saved) == 0
        for number in signals {
            var action = sigaction()
            action.__sigaction_handler.sa_handler = { number in
                CrashRestore.sequence.withUnsafeBufferPointer { _ = write(STDOUT_FILENO, $0.baseAddress, $0.count) }
                if CrashRestore.hasSaved { tcsetattr(STDIN_FILENO, TCSAFLUSH, &CrashRestore.saved) }
                signal(number, SIG_DFL)
                raise(number)
            }
            sigemptyset(&action.sa_mask)
            sigaction(number, &action, nil)
        }
    }

    static func uninstall() {
        for number in signals { signal(number, SIG_DFL) }
    }
}
