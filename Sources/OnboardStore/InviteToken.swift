import Crypto
import Foundation

/// The secret half of an invite: what the customer types as the SSH user name. 26 characters
/// of lowercase base32 (130 bits, more than RFC 8628 asks of a user code that is rate limited),
/// letters and digits only so no shell, ssh option parser or terminal treats it specially.
/// Only its SHA-256 is stored.
package struct InviteToken: Sendable, Equatable {
    package let text: String

    static let alphabet = Array("abcdefghijklmnopqrstuvwxyz234567")
    package static let length = 26

    /// A new token from the system's random source.
    package static func generate() -> InviteToken {
        var generator = SystemRandomNumberGenerator()
        return InviteToken(text: String((0..<length).map { _ in alphabet[Int(generator.next(upperBound: UInt8(32)))] }))
    }

    /// A candidate from an SSH user name, when it has a token's shape (else nil: not looked up).
    package init?(candidate: String) {
        guard candidate.count == Self.length, candidate.allSatisfy({ Self.alphabet.contains($0) }) else { return nil }
        self.text = candidate
    }

    private init(text: String) { self.text = text }

    /// What is stored and looked up: SHA-256, hex.
    package var digest: String {
        SHA256.hash(data: Data(text.utf8)).map { String(format: "%02x", $0) }.joined()
    }
}
