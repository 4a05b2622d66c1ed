import Foundation

/// A credential value that cannot leak by accident.
///
/// It prints, debug-prints, dumps and interpolates as `<redacted>`, is deliberately not `Codable`,
/// and is read through one greppable accessor, ``withRevealedValue(_:)``. The bytes live in a
/// private buffer that is overwritten with zeros when the last copy is dropped.
package struct Secret: Sendable, Equatable, Hashable {
    private let storage: Storage

    /// Wraps a value. The caller's `String` copy is outside our control; keep it short-lived.
    package init(_ value: String) {
        storage = Storage(Array(value.utf8))
    }

    /// Wraps bytes already held elsewhere (a masked input's buffer), copying them once.
    init(bytes: UnsafeBufferPointer<UInt8>) {
        storage = Storage(Array(bytes))
    }

    /// An empty secret, as a fresh input starts.
    package static let empty = Secret("")

    /// Whether nothing has been entered.
    package var isEmpty: Bool { storage.bytes.isEmpty }

    /// The number of user-perceived characters, so a mask shows one bullet per grapheme.
    package var characterCount: Int {
        withRevealedValue { $0.count }
    }

    /// The only way to read the value. Keep the closure short and never store what it sees.
    package func withRevealedValue<Result>(_ body: (String) throws -> Result) rethrows -> Result {
        let value = String(decoding: storage.bytes, as: UTF8.self)
        return try body(value)
    }

    /// The shortest secret whose tail may be shown: four characters of twenty still leave
    /// sixteen unknown, and shorter values (PINs, passwords, short tokens) show none.
    package static let minimumLengthForTail = 20

    /// The value's UTF-8 bytes, for copying into another zeroed buffer without a `String`.
    func withRevealedBytes<Result>(_ body: ([UInt8]) throws -> Result) rethrows -> Result {
        try body(storage.bytes)
    }

    /// A masked preview: bullets, then at most the last four characters (fewer if
    /// `visibleTail` asks), and those only for secrets of ``minimumLengthForTail`` or more.
    package func maskedTail(visibleTail: Int = 4, bullets maximum: Int = 8) -> String {
        withRevealedValue { value in
            let count = value.count
            guard count > 0 else { return "" }
            let shown = count >= Self.minimumLengthForTail ? min(max(0, visibleTail), 4) : 0
            let hidden = min(count - shown, maximum)
            return String(repeating: "•", count: hidden) + String(value.suffix(shown))
        }
    }

    package static func == (lhs: Secret, rhs: Secret) -> Bool {
        lhs.storage.bytes == rhs.storage.bytes
    }

    package func hash(into hasher: inout Hasher) {
        hasher.combine(storage.bytes.count)
    }

    /// Holds the bytes; zeroes them on deinit.
    private final class Storage: @unchecked Sendable {
        // Immutable after init; @unchecked because deinit writes to it once no one else can read.
        var bytes: [UInt8]
        init(_ bytes: [UInt8]) { self.bytes = bytes }
        deinit {
            bytes.withUnsafeMutableBufferPointer { buffer in
                for index in buffer.indices { buffer[index] = 0 }
            }
        }
    }
}

extension Secret: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    package var description: String { "<redacted>" }
    package var debugDescription: String { "<redacted>" }
    package var customMirror: Mirror { Mirror(self, children: [], displayStyle: .struct) }
}
