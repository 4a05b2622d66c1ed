import Foundation
import OnboardTUI

/// JSON as scripts read it, on stdout or in a report file: pretty, key-sorted, snake_case, with
/// every control character, C1 control and bidi mark escaped (the same JSON, nothing a terminal
/// acts on).
package enum CommandJSON {
    /// `value` as JSON: indented, or on one line when `compact` (a record a line, for a follow).
    package static func text<Value: Encodable>(_ value: Value, compact: Bool = false) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = compact ? [.sortedKeys, .withoutEscapingSlashes] : [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.dateEncodingStrategy = .iso8601
        guard let data = try? encoder.encode(value) else { return "null" }
        return escapingInvisibles(String(decoding: data, as: UTF8.self))
    }

    /// JSONEncoder escapes C0 controls but leaves DEL, C1 controls and bidi marks raw; inside a
    /// JSON string they may be written as `\uXXXX` with the same meaning.
    static func escapingInvisibles(_ json: String) -> String {
        guard !TerminalText.isClean(json) else { return json }
        var out = ""
        for scalar in json.unicodeScalars {
            if scalar == "\n" || TerminalText.isClean(String(scalar)) {
                out.unicodeScalars.append(scalar)
            } else {
                for unit in String(scalar).utf16 {
                    let hex = String(unit, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                }
            }
        }
        return out
    }
}
