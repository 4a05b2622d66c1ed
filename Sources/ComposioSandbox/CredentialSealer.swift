@preconcurrency import Crypto
import Foundation
import OnboardCore
import OnboardFiles

/// Encrypts credential maps at rest with AES-GCM. The key lives in a file created 0600 beside
/// the database, so the database file alone reveals no credential.
struct CredentialSealer: Sendable {
    /// The raw key; `SymmetricKey` is rebuilt per use because it is not `Sendable`.
    private let keyBytes: Data
    private var key: SymmetricKey { SymmetricKey(data: keyBytes) }

    /// A throwaway key, for in-memory stores.
    init() {
        keyBytes = SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) }
    }

    /// Loads the key at `path`, creating it (0600) on first use.
    ///
    /// The key is made once: written aside, synced and linked into place, so two first runs at
    /// once agree on one key (the loser reads the winner's) and a reader never sees half a key.
    /// An existing file that is not a 32-byte key is never replaced: every credential sealed
    /// with the old key would become unreadable.
    init(keyFile path: String) throws {
        let fresh = SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) }
        do {
            // An existing key is read without trying to create one: a confined gateway session
            // may read the key but not make files beside it.
            if access(path, F_OK) != 0, try SecureFile.createOnce(path, contents: fresh, kind: "sandbox key file") {
                keyBytes = fresh
                return
            }
            let data = try SecureFile.readOwnerOnly(path, kind: "sandbox key file", maximumBytes: 4096)
            guard data.count == 32 else {
                throw SandboxSetupError(
                    "The sandbox key file \(path) is not a 32-byte key (it has \(data.count) bytes), so the credentials in the database cannot be read. Restore it from a backup, or move the database and the key file aside to start a new sandbox."
                )
            }
            keyBytes = data
        } catch let error as SecureFileError {
            throw SandboxSetupError(error.description)
        }
    }

    /// HMAC-SHA256 of `text` under the sandbox's key, hex: a value only this sandbox can make.
    func mac(_ text: String) -> String {
        HMAC<SHA256>.authenticationCode(for: Data(text.utf8), using: key).map { String(format: "%02x", $0) }.joined()
    }

    /// Seals field name -> value as one blob.
    func seal(_ values: [String: Secret]) throws -> Data {
        var plain: [String: String] = [:]
        for (name, value) in values { value.withRevealedValue { plain[name] = $0 } }
        var json = try JSONEncoder().encode(plain)
        defer { json.resetBytes(in: 0..<json.count) }
        guard let combined = try AES.GCM.seal(json, using: key).combined else {
            throw SandboxSetupError("AES-GCM produced no combined box.")
        }
        return combined
    }

    /// Opens a blob made by ``seal(_:)``.
    func unseal(_ blob: Data) throws -> [String: Secret] {
        var json = try AES.GCM.open(AES.GCM.SealedBox(combined: blob), using: key)
        defer { json.resetBytes(in: 0..<json.count) }
        let plain = try JSONDecoder().decode([String: String].self, from: json)
        return plain.mapValues(Secret.init)
    }
}

/// The sandbox could not be set up (files, database); the message says which and why.
package struct SandboxSetupError: Error, CustomStringConvertible {
    package let description: String
    package init(_ description: String) { self.description = description }
}
