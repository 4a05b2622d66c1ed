import Foundation
import OnboardCore

/// Reads credential values from a file (refused when others can read it, as ssh does) or from
/// stdin; never from argv.
package enum SecretSource: Sendable, Equatable {
    case file(String)
    case standardInput

    /// The largest input taken; a secrets document is never this big.
    static let maximumBytes = 4 << 20

    /// The values by name. Names come back as given; a caller reporting an unknown one names
    /// its place (``entries()``), since a name may be a key piped without `NAME=`.
    package func read() throws -> [String: Secret] {
        Dictionary(uniqueKeysWithValues: try entries().map { ($0.name, $0.value) })
    }

    /// The values in input order, each with where it stood.
    package func entries() throws -> [SecretValues.Entry] {
        var data: Data
        switch self {
        case .file(let path):
            data = try OwnerOnlyFile.contents(path, kind: "secrets file", maximumBytes: Self.maximumBytes)
        case .standardInput:
            data = FileHandle.standardInput.readData(ofLength: Self.maximumBytes + 1)
            guard data.count <= Self.maximumBytes else {
                data.resetBytes(in: 0..<data.count)
                throw UsageError("The secrets on stdin are over 4 MiB; nothing was read. Send NAME=VALUE lines or one JSON object.")
            }
        }
        defer { data.resetBytes(in: 0..<data.count) }
        guard let text = String(data: data, encoding: .utf8) else { throw UsageError("The secrets are not UTF-8 text.") }
        do {
            return try SecretValues.parseEntries(text)
        } catch {
            throw UsageError("Cannot read the secrets: \(error.description).")
        }
    }
}
