import Crypto
import Foundation
import OnboardFiles

/// Signs the trail's checkpoints with a key of its own (ed25519, `<trail>.key`, 0600, made once):
/// someone who can write the trail but not read the key cannot rewrite the lines before a
/// checkpoint, since the signature covers the hash chained up to it. Keep the public key
/// somewhere else (`audit verify` prints it) to check the trail with it.
package struct AuditSigner: Sendable {
    /// Lines between checkpoints: every line whose number is a multiple of this is one.
    package static let interval = 100

    /// The private key's 32 bytes (the key type itself is not Sendable).
    private let raw: Data
    private var key: Curve25519.Signing.PrivateKey? { try? Curve25519.Signing.PrivateKey(rawRepresentation: raw) }

    /// The public key, base64 (what `audit verify --signing-key` takes).
    package var publicKey: String { key?.publicKey.rawRepresentation.base64EncodedString() ?? "" }

    /// The key beside the trail at `trail`, made on first use.
    package static func loadOrCreate(trail: String) throws(AuditError) -> AuditSigner {
        try loadOrCreate(keyFile: trail + ".key")
    }

    /// The key in `path` (0600), made on first use: a writer's own key for a shared trail.
    package static func loadOrCreate(keyFile path: String) throws(AuditError) -> AuditSigner {
        do {
            if access(path, F_OK) != 0 {
                try SecureFile.makeDirectory(for: path, kind: "audit signing key")
                _ = try SecureFile.createOnce(path, contents: Curve25519.Signing.PrivateKey().rawRepresentation, kind: "audit signing key")
            }
            let data = try SecureFile.readOwnerOnly(path, kind: "audit signing key", maximumBytes: 64)
            _ = try Curve25519.Signing.PrivateKey(rawRepresentation: data)
            return AuditSigner(raw: data)
        } catch let error as SecureFileError {
            throw AuditError(error.description)
        } catch {
            throw AuditError("The audit signing key \(path) is damaged: restore it from a backup, or move it aside to start signing with a new one.")
        }
    }

    /// The public key kept beside the trail at `trail`, if there is one (for `audit verify`).
    package static func publicKey(trail: String) -> String? {
        guard let data = try? SecureFile.readOwnerOnly(trail + ".key", kind: "audit signing key", maximumBytes: 64),
            let key = try? Curve25519.Signing.PrivateKey(rawRepresentation: data)
        else { return nil }
        return key.publicKey.rawRepresentation.base64EncodedString()
    }

    static func message(seq: Int, prev: String) -> Data { Data("onboard audit checkpoint \(seq) \(prev.lowercased())".utf8) }

    /// A checkpoint for line `seq`, whose predecessor hashes to `prev`; `naming` puts the public
    /// key in it (a trail with several writers, each with its own key).
    func checkpoint(seq: Int, prev: String, like event: AuditEvent, naming: Bool = false) -> AuditEvent {
        var checkpoint = AuditEvent(.auditCheckpoint, actor: event.actor, source: event.source, version: event.version)
        checkpoint.signature = (try? key?.signature(for: Self.message(seq: seq, prev: prev)))?.base64EncodedString()
        if naming { checkpoint.signer = publicKey }
        return checkpoint
    }

    /// Whether `signature` is `publicKey`'s over line `seq` following `prev`.
    package static func isValid(_ signature: String?, seq: Int, prev: String, publicKey: String) -> Bool {
        guard let signature, let bytes = Data(base64Encoded: signature), let keyBytes = Data(base64Encoded: publicKey),
            let key = try? Curve25519.Signing.PublicKey(rawRepresentation: keyBytes)
        else { return false }
        return key.isValidSignature(bytes, for: message(seq: seq, prev: prev))
    }
}
