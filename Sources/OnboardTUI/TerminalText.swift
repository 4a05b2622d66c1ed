/// Makes text from anywhere (server names, descriptions, error messages) safe to draw: no control
/// characters, no escape sequences, no bidirectional overrides that could disguise what is shown.
public enum TerminalText {
    public static func sanitized(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        var iterator = text.unicodeScalars.makeIterator()
        while let scalar = iterator.next() {
            if scalar.value == 0x1B {
                // Drop the whole escape sequence (CSI ... final byte, or ESC + one character).
                if let next = iterator.next(), next == "[" {
                    while let part = iterator.next(), !(0x40...0x7E).contains(part.value) {}
                }
                continue
            }
            if scalar == "\t" || scalar == "\n" || scalar == "\r" {
                out.append(" ")
                continue
            }
            switch scalar.properties.generalCategory {
            case .control, .lineSeparator, .paragraphSeparator, .surrogate, .privateUse:
                continue
            case .format where scalar.value != 0x200D:
                // Zero-width joiner stays (emoji sequences); bidi overrides and the like go.
                continue
            default:
                out.append(scalar)
            }
        }
        return String(out)
    }
}
