/// A key press, decoded from whatever the terminal sent.
///
/// Lives in Core because the wizard reduces key events directly; the curses layer decodes into it.
package enum Key: Equatable, Sendable {
    /// A printable character (already composed: one grapheme).
    case character(Character)
    /// A control chord such as Ctrl-C (`.control("c")`), lower-case letter.
    case control(Character)
    case enter
    case escape
    case tab
    case backTab
    case backspace
    case delete
    case up
    case down
    case left
    case right
    case home
    case end
    case pageUp
    case pageDown
    /// Function key F1...F12.
    case function(Int)
}

extension Key {
    /// A printable character or Backspace: the keys of typing, as opposed to moving or acting.
    package var isTyping: Bool {
        switch self {
        case .character, .backspace: true
        default: false
        }
    }
}
