import CNcursesw

/// What a terminal type can do, read from its terminfo entry without taking over the screen,
/// for the line-based prompts that write escape sequences of their own.
package enum Terminfo {
    /// A string capability of the terminal type `term`, or nil when the type is unknown to
    /// terminfo or lacks it.
    package static func string(_ name: String, term: String) -> String? {
        guard !term.isEmpty, term.utf8.count < 256, !term.contains("/") else { return nil }
        var buffer = [CChar](repeating: 0, count: 256)
        let found = buffer.withUnsafeMutableBufferPointer { out in
            onb_terminfo_string(term, name, out.baseAddress, out.count)
        }
        guard found == 1 else { return nil }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// The switches that turn bracketed paste on and off (the extended BE and BD capabilities),
    /// when the terminal has them: sent anywhere else (`TERM=dumb`, a screen reader's console)
    /// they print as garbage.
    package static func bracketedPaste(term: String) -> (on: String, off: String)? {
        guard let on = string("BE", term: term), let off = string("BD", term: term) else { return nil }
        return (on, off)
    }
}
