import ComposioAPI
import Foundation
import OnboardCore
import OnboardFeatures
import OnboardFiles
import OnboardTUI
import Synchronization

/// Where a non-interactive command writes: results on stdout, messages and progress on stderr.
/// Tests capture both.
///
/// This is the edge where the CLI's text meets a terminal: every line goes through
/// ``TerminalText/sanitizedLines(_:)``, so no string from a server, a file or an argument can
/// drive the terminal, whichever command printed it. JSON is escaped instead (``json(_:)``).
package struct CommandOutput: Sendable {
    /// Raw sinks for stdout / stderr; only this type writes to them.
    private let writeOut: @Sendable (String) -> Void
    private let writeErr: @Sendable (String) -> Void
    /// Whether stderr is a terminal (a progress bar may redraw in place).
    package let errIsTerminal: Bool

    package init(errIsTerminal: Bool = false, writeOut: @escaping @Sendable (String) -> Void, writeErr: @escaping @Sendable (String) -> Void) {
        self.writeOut = writeOut
        self.writeErr = writeErr
        self.errIsTerminal = errIsTerminal
    }

    /// One line (or several) of results.
    package func out(_ line: String) { writeOut(TerminalText.sanitizedLines(line) + "\n") }

    /// One line (or several) of messages.
    package func err(_ line: String) { writeErr(TerminalText.sanitizedLines(line) + "\n") }

    /// A progress line: redrawn in place on a terminal, one line per update elsewhere.
    package func progress(_ line: String) {
        if errIsTerminal { writeErr("\r\u{1B}[K" + TerminalText.sanitized(line)) } else { err(line) }
    }

    /// Draws a QR code on stderr when it is a terminal that can show it (UTF-8, not `TERM=dumb`):
    /// dark on light in explicit colours, or in reverse video under `NO_COLOR`. Every byte is
    /// the program's own; no outside text passes here.
    package func qrCode(_ matrix: QRMatrix, environment: [String: String] = ProcessEnvironment.current()) {
        let term = environment["TERM"] ?? ""
        let locale = environment["LC_ALL"] ?? environment["LC_CTYPE"] ?? environment["LANG"] ?? ""
        guard errIsTerminal, !term.isEmpty, term != "dumb", locale.uppercased().contains("UTF") else { return }
        let on = environment["NO_COLOR"].map { !$0.isEmpty } == true ? "\u{1B}[7m" : "\u{1B}[30;107m"
        for row in matrix.rows { writeErr(on + row + "\u{1B}[0m\n") }
    }

    /// Prints `value` as pretty, key-sorted JSON on stdout, with every control character,
    /// C1 control and bidi mark escaped as `\uXXXX` (the same JSON, nothing a terminal acts on).
    package func json<Value: Encodable>(_ value: Value) {
        writeOut(CommandJSON.text(value) + "\n")
    }

    /// `value` as JSON on one line (what a follow prints, a record a line), escaped as ``json(_:)``.
    package func jsonLine<Value: Encodable>(_ value: Value) {
        writeOut(CommandJSON.text(value, compact: true) + "\n")
    }
}
