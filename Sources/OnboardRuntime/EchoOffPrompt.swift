import Foundation
import OnboardCore
import OnboardCurses
import OnboardFiles
import OnboardTUI

/// Reads one secret line from the terminal with echo off, for the line-based commands (`rotate`,
/// the accessible mode). Nothing is echoed while typing; after Enter the line says how many
/// characters were taken, as getpass and sudo do not and huh's accessible mode does: a screen
/// reader reading one bullet per key says "bullet" twenty times. The terminal's settings are put
/// back on every path; Ctrl-C ends the read instead of killing the process with echo still off.
package enum EchoOffPrompt {
    package enum Outcome: Equatable {
        case entered(Secret)
        case interrupted
        case endOfInput
        /// More than ``maximumBytes`` arrived before Enter: nothing is kept (never a silent cut).
        case tooLong
    }

    /// The longest secret line taken: 64 KiB, far more than any key or token.
    package static let maximumBytes = 64 << 10

    /// Whether stdin is a terminal this prompt can use.
    package static var isAvailable: Bool { isatty(STDIN_FILENO) == 1 }

    /// Shows `label` on `output` (stderr) and reads a line from `input` (stdin). Bracketed paste
    /// is switched on only where terminfo says `term` has it, so a pasted line break stays in the
    /// value there; Enter typed ends the line.
    package static func read(
        _ label: String, input: Int32 = STDIN_FILENO, output: Int32 = STDERR_FILENO, term: String = ProcessEnvironment.current()["TERM"] ?? ""
    ) -> Outcome {
        DescriptorWriter.write(TerminalText.sanitized(label), to: output)
        var saved = termios()
        guard tcgetattr(input, &saved) == 0 else { return readPlainLine() }
        var raw = saved
        raw.c_lflag &= ~tcflag_t(ECHO | ICANON | ISIG)
        raw.c_iflag &= ~tcflag_t(ICRNL)
        withUnsafeMutableBytes(of: &raw.c_cc) { cc in
            cc[Int(VMIN)] = 1
            cc[Int(VTIME)] = 0
        }
        // TCSADRAIN, not TCSAFLUSH: what was typed ahead is kept, as everywhere in onboard.
        tcsetattr(input, TCSADRAIN, &raw)
        let paste = Terminfo.bracketedPaste(term: term)
        if let paste { DescriptorWriter.write(paste.on, to: output) }
        var ending = "\n"
        defer {
            DescriptorWriter.write((paste?.off ?? "") + ending, to: output)
            tcsetattr(input, TCSADRAIN, &saved)
        }
        var line = LineEditor()
        while true {
            var byte: UInt8 = 0
            guard Foundation.read(input, &byte, 1) == 1 else { return .endOfInput }
            switch line.feed(byte) {
            case .continue:
                continue
            case .done:
                let value = line.value
                ending = (label.hasSuffix(" ") ? "" : " ") + taken(value) + "\n"
                return .entered(value)
            case .interrupted:
                return .interrupted
            case .tooLong:
                return .tooLong
            }
        }
    }

    /// What the line says after Enter: how much was taken, never what.
    static func taken(_ value: Secret) -> String {
        let count = value.withRevealedValue { $0.count }
        switch count {
        case 0: return "(nothing entered)"
        case 1: return "(1 character)"
        default: return "(\(count) characters)"
        }
    }

    /// Without a terminal (a pipe of keystrokes): a plain line, nothing to hide.
    static func readPlainLine() -> Outcome {
        switch BoundedLine.read(limit: maximumBytes) {
        case .line(let text): return .entered(Secret(text))
        case .tooLong: return .tooLong
        case .end: return .endOfInput
        }
    }

    /// The byte-level line editing, kept apart so it is tested without a terminal.
    struct LineEditor {
        enum Step: Equatable {
            /// Keep reading.
            case `continue`
            case done
            case interrupted
            /// The line passed ``EchoOffPrompt/maximumBytes``; what was read is dropped.
            case tooLong
        }

        private var bytes: [UInt8] = []
        private var escape: [UInt8] = []
        private var inPaste = false

        var value: Secret {
            Secret(String(decoding: bytes, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
        }

        mutating func feed(_ byte: UInt8) -> Step {
            if !escape.isEmpty || byte == 0x1B {
                escape.append(byte)
                let text = String(decoding: escape, as: UTF8.self)
                if text == "\u{1B}[200~" {
                    inPaste = true
                } else if text == "\u{1B}[201~" {
                    inPaste = false
                } else if ["\u{1B}[200~", "\u{1B}[201~"].contains(where: { $0.hasPrefix(text) }) {
                    return .continue
                }
                // Any other sequence (an arrow key) is dropped whole.
                escape = []
                return .continue
            }
            switch byte {
            case 0x03:
                return .interrupted
            case 0x0D, 0x0A:
                if inPaste { return .continue }
                return .done
            case 0x7F, 0x08:
                guard !bytes.isEmpty else { return .continue }
                // Drop one whole UTF-8 character.
                while let last = bytes.popLast(), last & 0xC0 == 0x80 {}
                return .continue
            case 0x15:
                for index in bytes.indices { bytes[index] = 0 }
                bytes = []
                return .continue
            default:
                guard byte >= 0x20 else { return .continue }
                guard bytes.count < EchoOffPrompt.maximumBytes else {
                    for index in bytes.indices { bytes[index] = 0 }
                    bytes = []
                    return .tooLong
                }
                bytes.append(byte)
                return .continue
            }
        }
    }
}

/// One line from stdin with a cap on its length, so a pasted megabyte or `/dev/zero` piped in
/// is refused instead of read without end.
enum BoundedLine {
    enum Outcome: Equatable {
        case line(String)
        case tooLong
        case end
    }

    /// Reads up to a newline (not included) or the end of input; past `limit` bytes the rest of
    /// the line is read and dropped, and the answer is ``Outcome/tooLong``.
    static func read(limit: Int) -> Outcome {
        var bytes: [UInt8] = []
        var overflowed = false
        var byte: UInt8 = 0
        while true {
            let count = Foundation.read(STDIN_FILENO, &byte, 1)
            if count <= 0 {
                if overflowed { return .tooLong }
                return bytes.isEmpty ? .end : .line(String(decoding: bytes, as: UTF8.self))
            }
            if byte == 0x0A { break }
            if overflowed { continue }
            bytes.append(byte)
            if bytes.count > limit {
                overflowed = true
                for index in bytes.indices { bytes[index] = 0 }
                bytes = []
            }
        }
        if overflowed { return .tooLong }
        if bytes.last == 0x0D { bytes.removeLast() }
        return .line(String(decoding: bytes, as: UTF8.self))
    }
}
