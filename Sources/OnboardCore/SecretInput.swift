import Foundation

/// The editing logic of a masked field. It keeps what is typed in a ``SecretBuffer`` that is
/// zeroed when cleared, grown or released, and exposes only its length and a masked preview;
/// reveal is an explicit, per-field choice.
///
/// Editing is append/delete at the end only: word-wise motion would reveal where spaces are.
package struct SecretInput: Equatable, Sendable {
    private var buffer: SecretBuffer

    /// The value entered, as a ``Secret`` (its own copy, zeroed when released).
    package var value: Secret { Secret(bytes: buffer.bytes) }

    package static func == (lhs: SecretInput, rhs: SecretInput) -> Bool {
        lhs.isRevealed == rhs.isRevealed && lhs.keepsLineBreaks == rhs.keepsLineBreaks && lhs.shownCount == rhs.shownCount
            && lhs.buffer.bytes.elementsEqual(rhs.buffer.bytes)
    }

    /// The buffer, made this value's own before it is changed.
    private mutating func writableBuffer() -> SecretBuffer {
        if !isKnownUniquelyReferenced(&buffer) { buffer = buffer.copy() }
        return buffer
    }
    /// Whether the person asked to see the value in clear.
    package var isRevealed: Bool

    /// Whether line breaks in a paste are kept (multi-line values such as a JSON key file).
    package var keepsLineBreaks: Bool

    /// The length the screen shows. A paste, a clear or a file shows at once; typed keys catch up
    /// when typing pauses (``settle()``), so a keystroke costs its bullet alone on a slow link.
    package private(set) var shownCount: Int

    package init(_ value: Secret = .empty, keepsLineBreaks: Bool = false) {
        self.buffer = value.withRevealedBytes { SecretBuffer($0) }
        self.isRevealed = false
        self.keepsLineBreaks = keepsLineBreaks
        self.shownCount = value.characterCount
    }

    /// Brings the shown length up to date (typing paused, or focus moved).
    package mutating func settle() { shownCount = count }

    /// Number of lines in the value (1 for a single-line value).
    package var lineCount: Int {
        value.withRevealedValue { $0.isEmpty ? 0 : $0.split(separator: "\n", omittingEmptySubsequences: false).count }
    }

    /// Replaces the whole value (a file that was read).
    package mutating func replace(with secret: Secret) {
        let buffer = writableBuffer()
        buffer.clear()
        secret.withRevealedBytes { buffer.append($0) }
        settle()
    }

    /// Number of graphemes entered: the mask shows one bullet for each.
    package var count: Int { value.characterCount }

    /// Appends pasted text, dropping line breaks and control characters; the length shows at once.
    package mutating func insert(_ pasted: String) {
        append(pasted)
        settle()
    }

    /// Appends text without updating the shown length.
    private mutating func append(_ typed: String) {
        let keep = keepsLineBreaks
        let normalized = keep ? typed.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n") : typed
        let clean = String(String.UnicodeScalarView(normalized.unicodeScalars.filter { !$0.properties.isControlLike || (keep && $0 == "\n") }))
        guard !clean.isEmpty else { return }
        writableBuffer().append(clean.utf8)
    }

    /// Removes the last grapheme.
    package mutating func deleteBackward() {
        guard buffer.count > 0 else { return }
        let last = value.withRevealedValue { $0.last.map { String($0).utf8.count } ?? 0 }
        writableBuffer().removeLast(last)
    }

    /// Empties the field, zeroing what it held.
    package mutating func clear() {
        writableBuffer().clear()
        settle()
    }

    /// Applies an editing key; false for keys that are not for this field. Typed characters and
    /// Backspace leave ``shownCount`` until ``settle()``.
    @discardableResult
    package mutating func apply(_ key: Key) -> Bool {
        switch key {
        case .character(let character): append(String(character))
        case .backspace: deleteBackward()
        case .control("u"), .control("w"): clear()
        default: return false
        }
        return true
    }
}
