import Crypto
import Foundation

/// Ids in the service's style (`ac_...`, `ca_...`) and key digests.
enum SandboxIdentifiers {
    private static let alphabet = Array("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")

    /// A nanoid-like id with `prefix`, e.g. `ac_3kS9xQ2mP7vA`.
    static func make(_ prefix: String, length: Int = 12) -> String {
        var generator = SystemRandomNumberGenerator()
        return prefix + "_" + String((0..<length).map { _ in alphabet[Int(generator.next(upperBound: UInt(alphabet.count)))] })
    }

    /// A new project API key (`ak_` and 24 random characters), shown once, stored as a digest.
    static func apiKey() -> String { make("ak", length: 24) }

    /// SHA-256 of a key, hex: what the store keeps instead of the key.
    static func digest(_ key: String) -> String {
        SHA256.hash(data: Data(key.utf8)).map { String(format: "%02x", $0) }.joined()
    }
}
