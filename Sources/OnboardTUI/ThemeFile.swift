/// Reads a theme file: the part of TOML themes need (comments, `[tables]`, `key = value`, strings,
/// integers, booleans and one-line inline tables), with every mistake reported by line.
///
/// ```toml
/// name = "ocean"
/// description = "Blues"
/// [roles]
/// title = { fg = "bright-cyan", bold = true }
/// selected = { fg = "#0b1021", bg = 39 }
/// ```
package enum ThemeFile {
    /// The largest theme file read: every role with every attribute fits in a few KiB.
    package static let maximumBytes = 64 << 10

    /// Parses `text`; `source` names the file in errors.
    package static func parse(_ text: String, source: String) throws(ThemeFileError) -> Theme {
        guard text.utf8.count <= maximumBytes else {
            throw ThemeFileError(source: source, line: nil, message: "the file is larger than 64 KiB; a theme needs a few lines per role")
        }
        var name: String?
        var summary = ""
        var styles: [StyleRole: Style] = [:]
        var table: [String] = []
        // Lines split by scalar, not by Character: no grapheme breaking is needed to find "\n".
        for (index, rawLine) in text.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let number = index + 1
            func fail(_ message: String) -> ThemeFileError { ThemeFileError(source: source, line: number, message: message) }
            var line = Array(rawLine)
            if line.last == "\r" { line.removeLast() }  // TOML allows CRLF line ends
            var scanner = Scanner(line, fail: fail)
            scanner.skipSpace()
            if scanner.atEnd { continue }
            if scanner.peek == "[" {
                table = try scanner.tableHeader()
                guard table == ["roles"] || (table.count == 2 && table[0] == "roles") else {
                    throw fail("unknown table [\(table.joined(separator: "."))]; a theme has [roles] (or [roles.NAME])")
                }
                if table.count == 2 {
                    let named = try role(named: table[1], fail)
                    styles[named] = styles[named] ?? Style()
                }
                continue
            }
            let key = try scanner.key()
            scanner.skipSpace()
            guard scanner.take("=") else { throw fail("expected = after \(key)") }
            let value = try scanner.value()
            try scanner.expectEnd()
            switch table.count {
            case 0:
                switch key {
                case "name": name = try value.string(key, fail)
                case "description": summary = try value.string(key, fail)
                default: throw fail("unknown setting \(key); the top of a theme has name and description, then [roles]")
                }
            case 1:
                guard case .table(let entries) = value else { throw fail("\(key) must be a table, e.g. \(key) = { fg = \"cyan\", bold = true }") }
                styles[try role(named: key, fail)] = try style(entries, fail)
            default:
                let role = try role(named: table[1], fail)
                var current = styles[role] ?? Style()
                try apply(key, value, to: &current, fail)
                styles[role] = current
            }
        }
        guard let name, !name.isEmpty else {
            throw ThemeFileError(source: source, line: nil, message: "the theme has no name; add name = \"...\" at the top")
        }
        return Theme(name: name, summary: summary, styles: styles)
    }

    /// The role a file calls `name` (snake_case of ``StyleRole``).
    static func role(named name: String, _ fail: (String) -> ThemeFileError) throws(ThemeFileError) -> StyleRole {
        guard let role = StyleRole.byFileName[name] else {
            throw fail("unknown role \(name); roles are \(StyleRole.allCases.map(\.fileName).joined(separator: ", "))")
        }
        return role
    }

    static func style(_ entries: [(String, Value)], _ fail: (String) -> ThemeFileError) throws(ThemeFileError) -> Style {
        var style = Style()
        for (key, value) in entries { try apply(key, value, to: &style, fail) }
        return style
    }

    static func apply(_ key: String, _ value: Value, to style: inout Style, _ fail: (String) -> ThemeFileError) throws(ThemeFileError) {
        switch key {
        case "fg": style.foreground = try color(value, fail)
        case "bg": style.background = try color(value, fail)
        case "bold": style.bold = try value.bool(key, fail)
        case "dim": style.dim = try value.bool(key, fail)
        case "underline": style.underline = try value.bool(key, fail)
        case "reverse": style.reverse = try value.bool(key, fail)
        default: throw fail("unknown style key \(key); use fg, bg, bold, dim, underline or reverse")
        }
    }

    static let colorNames = ["black", "red", "green", "yellow", "blue", "magenta", "cyan", "white"]

    /// A name ("cyan", "bright-cyan", "default"), a palette number 0-255, or "#rrggbb" / "#rgb".
    static func color(_ value: Value, _ fail: (String) -> ThemeFileError) throws(ThemeFileError) -> ThemeColor {
        let usage = "use a name (red, bright-blue, default), a number 0-255 or \"#rrggbb\""
        switch value {
        case .integer(let index):
            guard (0...255).contains(index) else { throw fail("colour \(index) is out of range; \(usage)") }
            return .indexed(index)
        case .string(let text):
            let lowered = text.lowercased()
            if lowered == "default" || lowered == "none" { return .terminalDefault }
            if lowered == "gray" || lowered == "grey" { return .indexed(8) }
            if let index = colorNames.firstIndex(of: lowered) { return .indexed(index) }
            if lowered.hasPrefix("bright-"), let index = colorNames.firstIndex(of: String(lowered.dropFirst(7))) { return .indexed(index + 8) }
            if lowered.hasPrefix("#") {
                var digits = Array(lowered.dropFirst())
                if digits.count == 3 { digits = digits.flatMap { [$0, $0] } }
                if digits.count == 6, let rgb = Int(String(digits), radix: 16) {
                    return .rgb(UInt8(rgb >> 16 & 0xFF), UInt8(rgb >> 8 & 0xFF), UInt8(rgb & 0xFF))
                }
            }
            throw fail("unknown colour \"\(text)\"; \(usage)")
        default:
            throw fail("a colour must be a string or a number; \(usage)")
        }
    }

    /// A parsed value.
    enum Value {
        case string(String)
        case integer(Int)
        case bool(Bool)
        case table([(String, Value)])

        func string(_ key: String, _ fail: (String) -> ThemeFileError) throws(ThemeFileError) -> String {
            guard case .string(let text) = self else { throw fail("\(key) must be a string in quotes") }
            return text
        }

        func bool(_ key: String, _ fail: (String) -> ThemeFileError) throws(ThemeFileError) -> Bool {
            guard case .bool(let flag) = self else { throw fail("\(key) must be true or false") }
            return flag
        }
    }

    /// Reads one line.
    struct Scanner {
        var scalars: [Unicode.Scalar]
        var index = 0
        let fail: (String) -> ThemeFileError

        /// A letter in any script; ASCII is answered without Unicode's property tables.
        static func isLetter(_ scalar: Unicode.Scalar) -> Bool {
            if scalar.isASCII { return ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) }
            return scalar.properties.isAlphabetic
        }

        init(_ scalars: [Unicode.Scalar], fail: @escaping (String) -> ThemeFileError) {
            self.scalars = scalars
            self.fail = fail
        }

        var peek: Unicode.Scalar? { index < scalars.count ? scalars[index] : nil }
        var atEnd: Bool { peek == nil || peek == "#" || peek == "\r" }

        mutating func skipSpace() {
            while let scalar = peek, scalar == " " || scalar == "\t" { index += 1 }
        }

        mutating func take(_ scalar: Unicode.Scalar) -> Bool {
            guard peek == scalar else { return false }
            index += 1
            return true
        }

        mutating func expectEnd() throws(ThemeFileError) {
            skipSpace()
            guard atEnd else { throw fail("unexpected text after the value") }
        }

        mutating func tableHeader() throws(ThemeFileError) -> [String] {
            index += 1
            var parts: [String] = []
            repeat {
                skipSpace()
                parts.append(try key())
                skipSpace()
            } while take(".")
            guard take("]") else { throw fail("a table header ends with ]") }
            try expectEnd()
            return parts
        }

        mutating func key() throws(ThemeFileError) -> String {
            if peek == "\"" { return try basicString() }
            var text = ""
            while let scalar = peek, Self.isLetter(scalar) || ("0"..."9").contains(scalar) || scalar == "_" || scalar == "-" {
                text.unicodeScalars.append(scalar)
                index += 1
            }
            guard !text.isEmpty else { throw fail("expected a name (letters, digits, _ or -)") }
            return text
        }

        mutating func value() throws(ThemeFileError) -> Value {
            skipSpace()
            guard let first = peek else { throw fail("a value is missing after =") }
            switch first {
            case "\"": return .string(try basicString())
            case "'": return .string(try literalString())
            case "{": return .table(try inlineTable())
            case "t", "f":
                if matches("true") { return .bool(true) }
                if matches("false") { return .bool(false) }
                throw fail("expected true or false")
            case "[":
                throw fail("arrays are not used in themes")
            default:
                var digits = ""
                if take("-") { digits = "-" } else if take("+") {}
                while let scalar = peek, ("0"..."9").contains(scalar) || scalar == "_" {
                    if scalar != "_" { digits.unicodeScalars.append(scalar) }
                    index += 1
                }
                guard let number = Int(digits) else { throw fail("expected a value: a \"string\", a number, true/false or { ... }") }
                return .integer(number)
            }
        }

        private mutating func matches(_ word: String) -> Bool {
            let word = Array(word.unicodeScalars)
            guard index + word.count <= scalars.count, Array(scalars[index..<index + word.count]) == word else { return false }
            let after = index + word.count < scalars.count ? scalars[index + word.count] : " "
            guard !Self.isLetter(after) else { return false }
            index += word.count
            return true
        }

        private mutating func inlineTable() throws(ThemeFileError) -> [(String, Value)] {
            index += 1
            var entries: [(String, Value)] = []
            skipSpace()
            if take("}") { return entries }
            while true {
                skipSpace()
                let name = try key()
                skipSpace()
                guard take("=") else { throw fail("expected = after \(name)") }
                // Checked before reading the value: a line of `{a={a={...` must not recurse.
                skipSpace()
                if peek == "{" { throw fail("tables inside \(name) are not used in themes") }
                let value = try value()
                guard !entries.contains(where: { $0.0 == name }) else { throw fail("\(name) is given twice") }
                entries.append((name, value))
                skipSpace()
                if take("}") { return entries }
                guard take(",") else { throw fail("expected , or } in the table (keep it on one line)") }
            }
        }

        private mutating func basicString() throws(ThemeFileError) -> String {
            index += 1
            var text = String.UnicodeScalarView()
            while let scalar = peek {
                index += 1
                switch scalar {
                case "\"":
                    return String(text)
                case "\\":
                    guard let escaped = peek else { break }
                    index += 1
                    switch escaped {
                    case "n": text.append("\n")
                    case "t": text.append("\t")
                    case "\"", "\\": text.append(escaped)
                    case "u":
                        let end = min(scalars.count, index + 4)
                        guard end - index == 4, let code = UInt32(String(String.UnicodeScalarView(scalars[index..<end])), radix: 16),
                            let decoded = Unicode.Scalar(code)
                        else { throw fail("bad \\u escape in a string") }
                        text.append(decoded)
                        index = end
                    default: throw fail("unknown escape \\\(escaped) in a string")
                    }
                default:
                    text.append(scalar)
                }
            }
            throw fail("a string is not closed with \"")
        }

        private mutating func literalString() throws(ThemeFileError) -> String {
            index += 1
            var text = String.UnicodeScalarView()
            while let scalar = peek {
                index += 1
                if scalar == "'" { return String(text) }
                text.append(scalar)
            }
            throw fail("a string is not closed with '")
        }
    }
}

/// A theme file that cannot be used, with the file and line to fix.
package struct ThemeFileError: Error, Equatable, CustomStringConvertible {
    package let source: String
    package let line: Int?
    package let message: String

    package var description: String {
        line.map { "\(source), line \($0): \(message)" } ?? "\(source): \(message)"
    }
}

extension StyleRole {
    /// The role's key in theme files: `headerAccent` is `header_accent`.
    ///
    /// Role names are ASCII identifiers, so this maps A-Z directly instead of asking Unicode's
    /// tables about each scalar (the theme is parsed before every first frame).
    package var fileName: String {
        var name = ""
        for scalar in rawValue.unicodeScalars {
            if ("A"..."Z").contains(scalar), let lower = Unicode.Scalar(scalar.value + 32) {
                name.unicodeScalars.append("_")
                name.unicodeScalars.append(lower)
            } else {
                name.unicodeScalars.append(scalar)
            }
        }
        return name
    }

    /// Every role by its key in theme files.
    static let byFileName: [String: StyleRole] = Dictionary(uniqueKeysWithValues: allCases.map { ($0.fileName, $0) })
}
