import Foundation

/// Credential values handed to a command through a file or stdin (never argv): a JSON object,
/// or `NAME=VALUE` lines (blank lines and `#` comments skipped).
///
/// Errors name a line or a position, never a name or a value: a base64 key piped without
/// `NAME=` ends in `=`, so what stands before the `=` may itself be the secret.
package enum SecretValues {
    /// One value and where it stood, so a caller can say "line 3" instead of quoting a name.
    package struct Entry: Sendable {
        package var name: String
        package var value: Secret
        /// "line 3" for `NAME=VALUE` input, "key 2 of the JSON object" for JSON.
        package var place: String
    }

    /// Reads `text` into a dictionary.
    package static func parse(_ text: String) throws(SecretValuesError) -> [String: Secret] {
        Dictionary(uniqueKeysWithValues: try parseEntries(text).map { ($0.name, $0.value) })
    }

    /// Reads `text`, keeping the order and place of each value.
    package static func parseEntries(_ text: String) throws(SecretValuesError) -> [Entry] {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.hasPrefix("{") { return try parseJSON(trimmed) }
        var entries: [Entry] = []
        var lineOfName: [String: Int] = [:]
        for (index, line) in trimmed.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let content = line.trimmingCharacters(in: .whitespaces.union(CharacterSet(charactersIn: "\r")))
            if content.isEmpty || content.hasPrefix("#") { continue }
            guard let equals = content.firstIndex(of: "=") else {
                throw SecretValuesError("line \(index + 1) is not NAME=VALUE (nor is the input a JSON object)")
            }
            let name = content[..<equals].trimmingCharacters(in: .whitespaces)
            guard !name.isEmpty else { throw SecretValuesError("line \(index + 1) has no name before =") }
            if let first = lineOfName[name] { throw SecretValuesError("line \(index + 1) repeats the name on line \(first)") }
            lineOfName[name] = index + 1
            let value = Secret(content[content.index(after: equals)...].trimmingCharacters(in: .whitespaces))
            entries.append(Entry(name: name, value: value, place: "line \(index + 1)"))
        }
        return entries
    }

    static func parseJSON(_ text: String) throws(SecretValuesError) -> [Entry] {
        guard let object = (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any] else {
            throw SecretValuesError("the input starts with { but is not a JSON object; check its quotes and commas")
        }
        var entries: [Entry] = []
        for (position, name) in object.keys.sorted().enumerated() {
            let place = "key \(position + 1) of the JSON object (keys in sorted order)"
            switch object[name] {
            case nil, is NSNull:
                continue
            case let text as String:
                entries.append(Entry(name: name, value: Secret(text), place: place))
            case let number as NSNumber:
                entries.append(Entry(name: name, value: Secret(number.stringValue), place: place))
            case let value?:
                guard JSONSerialization.isValidJSONObject(value), let data = try? JSONSerialization.data(withJSONObject: value, options: [.sortedKeys])
                else { throw SecretValuesError("the value of \(place) is not a string") }
                entries.append(Entry(name: name, value: Secret(String(decoding: data, as: UTF8.self)), place: place))
            }
        }
        return entries
    }
}

/// Why secret values could not be read; names a line or a position, never a name or a value.
package struct SecretValuesError: Error, Equatable, CustomStringConvertible {
    package let description: String
    package init(_ description: String) { self.description = description }
}
