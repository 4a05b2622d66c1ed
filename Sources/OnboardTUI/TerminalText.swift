/// Makes text from anywhere (server names, descriptions, error messages, file contents,
/// arguments) safe to write to a terminal: nothing in it can start an escape sequence, move the
/// cursor, retitle the window, write the clipboard or reorder what is shown.
///
/// Every path to a terminal goes through it: the canvas, the plain mode, and the CLI's stdout
/// and stderr (``sanitizedLines(_:)`` there, so a message may span lines). Controls are shown,
/// not silently dropped, so a hostile name looks hostile: ESC is drawn as `␛` and the rest of
/// its sequence as the plain characters it is made of.
package enum TerminalText {
    /// One line: line breaks and tabs become spaces.
    package static func sanitized(_ text: String) -> String {
        clean(text, keepingLineBreaks: false)
    }

    /// Several lines: `\n` (and `\r\n`) stay line breaks; everything else as ``sanitized(_:)``.
    package static func sanitizedLines(_ text: String) -> String {
        clean(text, keepingLineBreaks: true)
    }

    /// Whether `text` would come out of ``sanitizedLines(_:)`` unchanged (nothing to defang).
    package static func isClean(_ text: String) -> Bool {
        !needsWork(text, keepingLineBreaks: true)
    }

    /// Combining marks kept on one character: ncurses holds a few per cell, and a stack of
    /// dozens ("Zalgo" text) draws over the rows above and below.
    static let maximumCombiningMarks = 4

    private static func isCombining(_ scalar: Unicode.Scalar) -> Bool {
        // No mark comes before U+0300 (Combining Diacritical Marks): text in Latin-1 needs no
        // lookup in Unicode's tables.
        if scalar.value < 0x300 { return false }
        return switch scalar.properties.generalCategory {
        case .nonspacingMark, .enclosingMark, .spacingMark: true
        default: false
        }
    }

    private static func needsWork(_ text: String, keepingLineBreaks: Bool) -> Bool {
        var marks = 0
        for scalar in text.unicodeScalars {
            if replacement(for: scalar, keepingLineBreaks: keepingLineBreaks) != nil { return true }
            marks = isCombining(scalar) ? marks + 1 : 0
            if marks > maximumCombiningMarks { return true }
        }
        return false
    }

    private static func clean(_ text: String, keepingLineBreaks: Bool) -> String {
        guard needsWork(text, keepingLineBreaks: keepingLineBreaks) else { return text }
        var out = String.UnicodeScalarView()
        var previous: Unicode.Scalar?
        var marks = 0
        for scalar in text.unicodeScalars {
            defer { previous = scalar }
            marks = isCombining(scalar) ? marks + 1 : 0
            if marks > maximumCombiningMarks { continue }
            // \r\n is one line break; the \r alone would otherwise show as a space before it.
            if keepingLineBreaks, scalar == "\n", previous == "\r", out.last == " " { out.removeLast() }
            guard let replaced = replacement(for: scalar, keepingLineBreaks: keepingLineBreaks) else {
                out.append(scalar)
                continue
            }
            out.append(contentsOf: replaced.unicodeScalars)
        }
        return String(out)
    }

    /// What stands in for `scalar`, or nil when it is safe as it is.
    private static func replacement(for scalar: Unicode.Scalar, keepingLineBreaks: Bool) -> String? {
        switch scalar.value {
        case 0x0A:
            return keepingLineBreaks ? nil : " "
        case 0x09, 0x0D, 0x2028, 0x2029, 0x85:
            return " "
        case 0x00...0x1F:
            // C0 controls as their Unicode pictures: ESC is ␛, BEL ␇, NUL ␀.
            return String(Unicode.Scalar(0x2400 + scalar.value)!)
        case 0x7F:
            return "\u{2421}"
        case 0x80...0x9F:
            // C1 controls (CSI 0x9B, OSC 0x9D, ...): some terminals act on them even in UTF-8.
            return "\u{FFFD}"
        case 0x200D, 0x200C:
            // Joiners make one glyph of several on some terminals and not on others (tmux draws
            // 👩‍💻 as two emoji, four columns): the grid only holds if each piece stands alone.
            return ""
        case 0x20..<0x7F:
            return nil
        default:
            switch scalar.properties.generalCategory {
            case .format, .surrogate, .privateUse:
                // Bidi overrides and isolates, invisible marks: they could disguise a name.
                return ""
            default:
                return nil
            }
        }
    }
}
