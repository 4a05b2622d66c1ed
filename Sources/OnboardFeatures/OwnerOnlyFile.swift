import Foundation
import OnboardCore
import OnboardFiles

/// Reads an API key from a file the way ssh treats private keys: refused when group or others
/// may read it, with the chmod that fixes it.
package enum KeyFile {
    package static func read(_ path: String) throws -> Secret {
        let data = try OwnerOnlyFile.contents(path, kind: "key file")
        let key = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard !key.isEmpty else { throw UsageError("The key file \(path) is empty; put the project API key (ak_...) in it.") }
        return Secret(key)
    }
}

/// A file holding secrets, read only when no one but its owner can read it (as ssh treats
/// private keys); the refusal names the chmod that fixes it.
package enum OwnerOnlyFile {
    /// - Parameter kind: what the file is, for messages ("key file", "secrets file").
    package static func contents(_ path: String, kind: String, maximumBytes: Int = 64 << 10) throws -> Data {
        do {
            return try SecureFile.readOwnerOnly(path, kind: kind, maximumBytes: maximumBytes)
        } catch {
            throw UsageError(error.description)
        }
    }
}
