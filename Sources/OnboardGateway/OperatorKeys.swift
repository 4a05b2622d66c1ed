import Crypto
import Foundation
import NIOSSH
import OnboardCore

/// `gateway serve --operator-keys FILE`: who may attach over SSH, in authorized_keys format
/// (`[options] type base64 [comment]`), public-key authentication only. The comment names the
/// operator in the trail (else the key's fingerprint). Keys the SSH library cannot use (RSA,
/// certificates) are refused when the file is read, with the line number, not at login.
package struct OperatorKeys: Sendable {
    package struct Entry: Sendable {
        package var key: NIOSSHPublicKey
        package var name: String
        /// `SHA256:...`, as ssh-keygen -l prints it.
        package var fingerprint: String
    }
    package let entries: [Entry]

    /// The user name operators log in as.
    package static let userName = "operator"

    package init(entries: [Entry] = []) { self.entries = entries }

    package var isEmpty: Bool { entries.isEmpty }

    /// Parses an authorized_keys file's text; throws naming the first line it cannot use.
    package init(parsing text: String) throws {
        var entries: [Entry] = []
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") { continue }
            let fields = line.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
            // Options come first when the first field is not a key type.
            guard let typeIndex = fields.firstIndex(where: { Self.types.contains($0) }), typeIndex + 1 < fields.count else {
                throw OperatorKeysError(
                    "line \(index + 1) holds no key onboard can use (ssh-ed25519 or ecdsa-sha2-nistp256/384/521; RSA keys are not supported).")
            }
            let type = fields[typeIndex]
            let body = fields[typeIndex + 1]
            guard let key = try? NIOSSHPublicKey(openSSHPublicKey: "\(type) \(body)"), let blob = Data(base64Encoded: body) else {
                throw OperatorKeysError("line \(index + 1): the key is not readable.")
            }
            let fingerprint = "SHA256:" + Data(SHA256.hash(data: blob)).base64EncodedString().replacingOccurrences(of: "=", with: "")
            let comment = fields.dropFirst(typeIndex + 2).joined(separator: " ")
            let name = Self.cleanName(comment) ?? fingerprint
            entries.append(Entry(key: key, name: name, fingerprint: fingerprint))
        }
        guard !entries.isEmpty else { throw OperatorKeysError("it lists no key.") }
        self.entries = entries
    }

    static let types: Set<String> = ["ssh-ed25519", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521"]

    /// The entry for `key`, if it is listed.
    package func entry(for key: NIOSSHPublicKey) -> Entry? { entries.first { $0.key == key } }

    /// A comment as a name for logs and the trail: printable, at most 64 characters.
    static func cleanName(_ comment: String) -> String? { Wizard.Assistance.oneLine(comment, limit: 64) }
}

package struct OperatorKeysError: Error, CustomStringConvertible {
    package let description: String
    init(_ description: String) { self.description = description }
}
