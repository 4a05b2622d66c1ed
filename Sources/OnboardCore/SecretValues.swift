import Foundation

/// Credential values handed to a command through a file or stdin (never argv): a JSON object,
/// or `NAME=VALUE` lines (blank lines and `#` comments skipped).
public enum SecretValues {
    /// Reads `text`; the error names the line, never a value.
    public static func parse(_ text: String) throws(SecretValuesError) -> [String: Secret] {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.hasPrefix("{") { return try parseJSON(trimmed) }
        var values: [String: Secret] = [:]
        for (index, line) in trimmed.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let content = line.trimmingCharacters(in: .whitespaces.union(CharacterSet(charactersIn: "\r")))
            if content.isEmpty || content.hasPrefix("#") { continue }
            guard let equals = content.firstIndex(of: "=") else {
                throw SecretValuesError("line \(index + 1) is not NAME=VALUE (nor is the input a JSON object)")
            }
            let name = content[..<equals].trimmingCharacters(in: .whitespaces)
            guard !name.isEmpty else { throw SecretValuesError("line \(index + 1) has no name before =") }
            guard values[name] == nil else { throw SecretValuesError("\(name) is given twice (line \(index + 1))") }
            values[name] = Secret(content[content.index(after: equals)...].trimmingCharacters(in: .whitespaces))
        }
        return values
    }

    static func parseJSON(_ text: String) throws(SecretValuesError) -> [String: Secret] {
        guard let object = (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any] else {
            throw SecretValuesError("the input starts with { but is not a JSON object; check its quotes and commas")
        }
        var values: [String: Secret] = [:]
        for (name, value) in object {
            switch value {
            case is NSNull:
                continue
            case let text as String:
                values[name] = Secret(text)
            case let number as NSNumber:
                values[name] = Secret(number.stringValue)
            default:
                guard JSONSerialization.isValidJSONObject(value), let data = try? JSONSerialization.data(withJSONObject: value, options: [.sortedKeys])
                else { throw SecretValuesError("the value of \(name) is not a string") }
                values[name] = Secret(String(decoding: data, as: UTF8.self))
            }
        }
        return values
    }
}

/// Why secret values could not be read; names a line or a field, never a value.
public struct SecretValuesError: Error, Equatable, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
