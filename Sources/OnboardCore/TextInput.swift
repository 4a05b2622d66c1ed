/// The editing logic of a single-line text field: a value and a cursor, measured in graphemes.
package struct TextInput: Equatable, Sendable {
    package private(set) var text: String
    /// Cursor position as a grapheme offset from the start, 0...text.count.
    package private(set) var cursor: Int

    package init(_ text: String = "") {
        self.text = text
        self.cursor = text.count
    }

    /// Inserts typed or pasted text at the cursor. Line breaks and other control characters are
    /// dropped: a single-line field never receives a newline, so a paste cannot submit.
    package mutating func insert(_ typed: String) {
        let clean = String(String.UnicodeScalarView(typed.unicodeScalars.filter { !$0.properties.isControlLike }))
        guard !clean.isEmpty else { return }
        let index = text.index(text.startIndex, offsetBy: cursor)
        text.insert(contentsOf: clean, at: index)
        cursor += clean.count
    }

    /// Removes the grapheme before the cursor.
    package mutating func deleteBackward() {
        guard cursor > 0 else { return }
        let index = text.index(text.startIndex, offsetBy: cursor - 1)
        text.remove(at: index)
        cursor -= 1
    }

    /// Removes the grapheme under the cursor.
    package mutating func deleteForward() {
        guard cursor < text.count else { return }
        text.remove(at: text.index(text.startIndex, offsetBy: cursor))
    }

    /// Removes the word before the cursor (Ctrl-W), as shells do.
    package mutating func deleteWordBackward() {
        var characters = Array(text)
        var start = cursor
        while start > 0, characters[start - 1] == " " { start -= 1 }
        while start > 0, characters[start - 1] != " " { start -= 1 }
        characters.removeSubrange(start..<cursor)
        text = String(characters)
        cursor = start
    }

    /// Empties the field (Ctrl-U).
    package mutating func clear() {
        text = ""
        cursor = 0
    }

    package mutating func moveLeft() { cursor = max(0, cursor - 1) }
    package mutating func moveRight() { cursor = min(text.count, cursor + 1) }
    package mutating func moveToStart() { cursor = 0 }
    package mutating func moveToEnd() { cursor = text.count }

    /// Applies an editing key. Returns false for keys that are not editing keys, so the caller
    /// can give them another meaning (Enter, Tab, arrows up and down ...).
    @discardableResult
    package mutating func apply(_ key: Key) -> Bool {
        switch key {
        case .character(let character): insert(String(character))
        case .backspace: deleteBackward()
        case .delete: deleteForward()
        case .left: moveLeft()
        case .right: moveRight()
        case .home, .control("a"): moveToStart()
        case .end, .control("e"): moveToEnd()
        case .control("u"): clear()
        case .control("w"): deleteWordBackward()
        case .control("k"):
            text = String(text.prefix(cursor))
        default: return false
        }
        return true
    }
}

extension Unicode.Scalar.Properties {
    /// C0/C1 controls, DEL and line/paragraph separators: never part of a one-line value.
    var isControlLike: Bool {
        switch generalCategory {
        case .control, .lineSeparator, .paragraphSeparator: true
        default: false
        }
    }
}
