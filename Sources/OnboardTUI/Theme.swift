/// A colour as a theme names it; the curses layer degrades it to what the terminal has.
public enum ThemeColor: Equatable, Sendable, Hashable {
    /// The terminal's own foreground or background.
    case terminalDefault
    /// One of the 256 indexed colours (0-15 are the classic ANSI ones).
    case indexed(Int)
    /// A 24-bit colour.
    case rgb(UInt8, UInt8, UInt8)
}

/// How one role looks.
public struct Style: Equatable, Sendable, Hashable {
    public var foreground: ThemeColor
    public var background: ThemeColor
    public var bold: Bool
    public var dim: Bool
    public var underline: Bool
    public var reverse: Bool

    public init(
        _ foreground: ThemeColor = .terminalDefault, on background: ThemeColor = .terminalDefault,
        bold: Bool = false, dim: Bool = false, underline: Bool = false, reverse: Bool = false
    ) {
        self.foreground = foreground
        self.background = background
        self.bold = bold
        self.dim = dim
        self.underline = underline
        self.reverse = reverse
    }
}

/// Roles mapped to styles. Every role has a style; a missing one falls back to `text`.
public struct Theme: Equatable, Sendable {
    public var name: String
    public var styles: [StyleRole: Style]

    public init(name: String, styles: [StyleRole: Style]) {
        self.name = name
        self.styles = styles
    }

    public func style(_ role: StyleRole) -> Style {
        styles[role] ?? styles[.text] ?? Style()
    }

    /// The default: readable on dark backgrounds, built from the 16 ANSI colours so it holds
    /// up on 8- and 16-colour terminals too.
    public static let defaultDark = Theme(
        name: "default",
        styles: [
            .text: Style(),
            .muted: Style(.indexed(8)),
            .title: Style(.indexed(14), bold: true),
            .header: Style(.indexed(7)),
            .headerAccent: Style(.indexed(13), bold: true),
            .border: Style(.indexed(8)),
            .accent: Style(.indexed(13), bold: true),
            .selected: Style(.indexed(0), on: .indexed(14), bold: true),
            .label: Style(.indexed(12), bold: true),
            .input: Style(),
            .inputFocused: Style(.indexed(15), on: .indexed(236)),
            .placeholder: Style(.indexed(8)),
            .help: Style(.indexed(7), dim: true),
            .error: Style(.indexed(9), bold: true),
            .success: Style(.indexed(10), bold: true),
            .warning: Style(.indexed(11), bold: true),
            .keyName: Style(.indexed(14), bold: true),
            .keyLabel: Style(.indexed(8)),
            .spinner: Style(.indexed(13)),
        ])

    /// No colour at all, only attributes: for `NO_COLOR` and monochrome terminals.
    public static let mono = Theme(
        name: "mono",
        styles: [
            .text: Style(),
            .muted: Style(dim: true),
            .title: Style(bold: true),
            .header: Style(),
            .headerAccent: Style(bold: true),
            .border: Style(dim: true),
            .accent: Style(bold: true),
            .selected: Style(reverse: true),
            .label: Style(bold: true),
            .input: Style(),
            .inputFocused: Style(underline: true),
            .placeholder: Style(dim: true),
            .help: Style(dim: true),
            .error: Style(bold: true),
            .success: Style(bold: true),
            .warning: Style(bold: true),
            .keyName: Style(bold: true),
            .keyLabel: Style(dim: true),
            .spinner: Style(),
        ])
}
