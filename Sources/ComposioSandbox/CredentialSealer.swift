@preconcurrency import Crypto
import Foundation
import OnboardCore

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
    init(keyFile path: String) throws {
        if let data = FileManager.default.contents(atPath: path), data.count == 32 {
            keyBytes = data
            return
        }
        let data = SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) }
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        guard descriptor >= 0 else { throw SandboxSetupError("Cannot create the sandbox key file \(path).") }
        defer { close(descriptor) }
        let written = data.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        guard written == data.count else { throw SandboxSetupError("Cannot write the sandbox key file \(path).") }
        keyBytes = data
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
public struct SandboxSetupError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
