import Crypto
import Foundation
import OnboardFiles

/// The gateway's persistent ed25519 host key, in OpenSSH's own private key format so
/// `ssh-keygen -y -f` and `ssh-keygen -lf` read it: created 0600 on first start, read (owner-only,
/// like sshd's) on every later one.
package struct HostKey: Sendable {
    /// The 32-byte seed; the key type itself is not Sendable.
    let seed: Data

    package var privateKey: Curve25519.Signing.PrivateKey {
        // The seed was made by or read into a valid key, so this cannot fail.
        (try? Curve25519.Signing.PrivateKey(rawRepresentation: seed)) ?? Curve25519.Signing.PrivateKey()
    }

    init(privateKey: Curve25519.Signing.PrivateKey) { seed = privateKey.rawRepresentation }

    /// The public key as SSH writes it in a wire blob: string "ssh-ed25519", string key.
    package var publicBlob: [UInt8] {
        var blob: [UInt8] = []
        SSHWire.append(string: Array("ssh-ed25519".utf8), to: &blob)
        SSHWire.append(string: Array(privateKey.publicKey.rawRepresentation), to: &blob)
        return blob
    }

    /// `SHA256:...` as `ssh` and `ssh-keygen -lf` print it: base64 of the blob's digest, unpadded.
    package var fingerprint: String {
        let digest = Data(SHA256.hash(data: publicBlob)).base64EncodedString()
        return "SHA256:" + digest.replacingOccurrences(of: "=", with: "")
    }

    /// One `known_hosts`/`authorized_keys` style line: `ssh-ed25519 AAAA... comment`.
    package func publicLine(comment: String = "onboard-gateway") -> String {
        "ssh-ed25519 " + Data(publicBlob).base64EncodedString() + " " + comment
    }

    /// `$XDG_DATA_HOME/onboard/gateway_ed25519_key`, beside the sandbox.
    package static func defaultPath(dataDirectory: String) -> String { dataDirectory + "/gateway_ed25519_key" }

    /// Reads the key at `path`, or creates it (once, however many processes start at the same
    /// moment) when there is none.
    package static func loadOrCreate(path: String) throws(HostKeyError) -> HostKey {
        if FileManager.default.fileExists(atPath: path) { return try load(path: path) }
        do {
            try SecureFile.makeDirectory(for: path, kind: "gateway host key")
        } catch {
            throw HostKeyError(error.description)
        }
        let key = HostKey(privateKey: Curve25519.Signing.PrivateKey())
        let created: Bool
        do {
            created = try SecureFile.createOnce(path, contents: Data(key.openSSHPrivateKey().utf8), kind: "gateway host key")
        } catch {
            throw HostKeyError(error.description)
        }
        // Another process that got there first wins; its key is the one read back.
        return created ? key : try load(path: path)
    }

    package static func load(path: String) throws(HostKeyError) -> HostKey {
        let data: Data
        do {
            data = try SecureFile.readOwnerOnly(path, kind: "gateway host key", maximumBytes: 16 << 10)
        } catch {
            throw HostKeyError(error.description)
        }
        guard let key = parse(openSSH: String(decoding: data, as: UTF8.self)) else {
            throw HostKeyError(
                "The gateway's host key \(path) is not an unencrypted OpenSSH ed25519 key. Move it aside to make a new one (clients will then see a new fingerprint), or put the old key back."
            )
        }
        return key
    }

    static let begin = "-----BEGIN OPENSSH PRIVATE KEY-----"
    static let end = "-----END OPENSSH PRIVATE KEY-----"
    static let magic = Array("openssh-key-v1".utf8) + [0]

    /// The key in `openssh-key-v1` form, unencrypted (the file's mode protects it, as sshd's).
    func openSSHPrivateKey(comment: String = "onboard-gateway") -> String {
        let publicKey = Array(privateKey.publicKey.rawRepresentation)
        var secret: [UInt8] = []
        let check = UInt32.random(in: .min ... .max)
        SSHWire.append(uint32: check, to: &secret)
        SSHWire.append(uint32: check, to: &secret)
        SSHWire.append(string: Array("ssh-ed25519".utf8), to: &secret)
        SSHWire.append(string: publicKey, to: &secret)
        SSHWire.append(string: Array(privateKey.rawRepresentation) + publicKey, to: &secret)
        SSHWire.append(string: Array(comment.utf8), to: &secret)
        var pad: UInt8 = 1
        while secret.count % 8 != 0 {
            secret.append(pad)
            pad += 1
        }
        var body = Self.magic
        for field in ["none", "none", ""] { SSHWire.append(string: Array(field.utf8), to: &body) }
        SSHWire.append(uint32: 1, to: &body)
        SSHWire.append(string: publicBlob, to: &body)
        SSHWire.append(string: secret, to: &body)
        let encoded = Data(body).base64EncodedString()
        var lines = [Self.begin]
        var index = encoded.startIndex
        while index < encoded.endIndex {
            let next = encoded.index(index, offsetBy: 70, limitedBy: encoded.endIndex) ?? encoded.endIndex
            lines.append(String(encoded[index..<next]))
            index = next
        }
        lines.append(Self.end)
        return lines.joined(separator: "\n") + "\n"
    }

    static func parse(openSSH text: String) -> HostKey? {
        let lines = text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
        guard let first = lines.firstIndex(of: begin), let last = lines.firstIndex(of: end), first < last,
            let data = Data(base64Encoded: lines[(first + 1)..<last].joined())
        else { return nil }
        var reader = SSHWire.Reader(Array(data))
        guard reader.take(magic.count) == magic, reader.string() == Array("none".utf8), reader.string() == Array("none".utf8),
            reader.string() == [], reader.uint32() == 1, reader.string() != nil, let secret = reader.string()
        else { return nil }
        var inner = SSHWire.Reader(secret)
        guard let check = inner.uint32(), inner.uint32() == check, inner.string() == Array("ssh-ed25519".utf8), let publicKey = inner.string(),
            let both = inner.string(), both.count == 64, Array(both[32...]) == publicKey,
            let key = try? Curve25519.Signing.PrivateKey(rawRepresentation: both[..<32])
        else { return nil }
        return HostKey(privateKey: key)
    }
}

package struct HostKeyError: Error, CustomStringConvertible {
    package let description: String
    init(_ description: String) { self.description = description }
}

/// SSH's wire encoding (RFC 4251 §5): big-endian uint32, and strings prefixed by their length.
enum SSHWire {
    static func append(uint32 value: UInt32, to bytes: inout [UInt8]) {
        bytes += [UInt8(value >> 24), UInt8(value >> 16 & 0xff), UInt8(value >> 8 & 0xff), UInt8(value & 0xff)]
    }

    static func append(string: [UInt8], to bytes: inout [UInt8]) {
        append(uint32: UInt32(string.count), to: &bytes)
        bytes += string
    }

    struct Reader {
        let bytes: [UInt8]
        var offset = 0
        init(_ bytes: [UInt8]) { self.bytes = bytes }

        mutating func take(_ count: Int) -> [UInt8]? {
            guard count >= 0, bytes.count - offset >= count else { return nil }
            defer { offset += count }
            return Array(bytes[offset..<(offset + count)])
        }

        mutating func uint32() -> UInt32? {
            take(4).map { $0.reduce(0) { $0 << 8 | UInt32($1) } }
        }

        mutating func string() -> [UInt8]? {
            guard let length = uint32(), length <= 1 << 20 else { return nil }
            return take(Int(length))
        }
    }
}
