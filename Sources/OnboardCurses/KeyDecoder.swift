import OnboardCore
import OnboardTUI

/// Turns what `get_wch` returns into keys. Pure, so it is tested without a terminal.
package enum KeyDecoder {
    /// ncurses function-key codes (from curses.h), named here so decoding needs no initscr.
    package enum Code {
        package static let down: Int32 = 0o402
        package static let up: Int32 = 0o403
        package static let left: Int32 = 0o404
        package static let right: Int32 = 0o405
        package static let home: Int32 = 0o406
        package static let backspace: Int32 = 0o407
        package static let f0: Int32 = 0o410
        package static let deleteChar: Int32 = 0o512
        package static let nextPage: Int32 = 0o522
        package static let previousPage: Int32 = 0o523
        package static let enter: Int32 = 0o527
        package static let backTab: Int32 = 0o541
        package static let end: Int32 = 0o550
        package static let resize: Int32 = 0o632
    }

    /// A function key (`get_wch` returned KEY_CODE_YES).
    package static func decode(functionKey code: Int32) -> TerminalInput? {
        switch code {
        case Code.up: .key(.up)
        case Code.down: .key(.down)
        case Code.left: .key(.left)
        case Code.right: .key(.right)
        case Code.home: .key(.home)
        case Code.end: .key(.end)
        case Code.backspace: .key(.backspace)
        case Code.deleteChar: .key(.delete)
        case Code.nextPage: .key(.pageDown)
        case Code.previousPage: .key(.pageUp)
        case Code.enter: .key(.enter)
        case Code.backTab: .key(.backTab)
        case Code.resize: .resize
        case (Code.f0 + 1)...(Code.f0 + 12): .key(.function(Int(code - Code.f0)))
        default: nil
        }
    }

    /// A character code (OK from `get_wch`), not ESC, which needs the bytes after it.
    package static func decode(character code: UInt32) -> Key? {
        switch code {
        case 13, 10: return .enter
        case 9: return .tab
        case 27: return .escape
        case 127, 8: return .backspace
        case 0: return nil
        case 1...26:
            return .control(Character(Unicode.Scalar(UInt8(code) + 96)))
        case 28...31: return nil
        default:
            guard let scalar = Unicode.Scalar(code), !(0x80...0x9F).contains(code) else { return nil }
            return .character(Character(scalar))
        }
    }

    /// What ESC and the characters that arrived right after it mean.
    package enum EscapeMeaning: Equatable, Sendable {
        /// A bare Escape key; the following characters (if any) are ordinary input.
        case escape
        /// `ESC [ 200 ~`: a bracketed paste begins.
        case pasteStart
        /// A known sequence that ncurses did not translate.
        case key(Key)
        /// An unknown sequence: swallowed so it never lands in a field as text.
        case ignored
    }

    /// Interprets the characters after ESC. `following` is everything read without waiting.
    package static func decodeEscape(_ following: [UInt32]) -> (meaning: EscapeMeaning, consumed: Int) {
        guard let first = following.first else { return (.escape, 0) }
        let text = String(String.UnicodeScalarView(following.compactMap(Unicode.Scalar.init)))
        guard first == UInt32(UInt8(ascii: "[")) || first == UInt32(UInt8(ascii: "O")) else {
            return (.escape, 0)
        }
        // CSI/SS3: parameters then one final byte in @...~.
        var length = 1
        for scalar in following.dropFirst() {
            length += 1
            if (0x40...0x7E).contains(scalar) { break }
        }
        let sequence = String(text.unicodeScalars.prefix(length))
        let known: [String: EscapeMeaning] = [
            "[200~": .pasteStart, "[Z": .key(.backTab),
            "[A": .key(.up), "[B": .key(.down), "[C": .key(.right), "[D": .key(.left),
            "OA": .key(.up), "OB": .key(.down), "OC": .key(.right), "OD": .key(.left),
            "[H": .key(.home), "[F": .key(.end), "OH": .key(.home), "OF": .key(.end),
            "[1~": .key(.home), "[4~": .key(.end), "[3~": .key(.delete),
            "[5~": .key(.pageUp), "[6~": .key(.pageDown),
        ]
        return (known[sequence] ?? .ignored, length)
    }

    /// The end marker of a bracketed paste.
    package static let pasteEnd: [UInt32] = [27, 91, 50, 48, 49, 126]
}
