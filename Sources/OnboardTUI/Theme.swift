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
    /// One line saying what it is for, from the file's `description`.
    public var summary: String
    public var styles: [StyleRole: Style]

    public init(name: String, summary: String = "", styles: [StyleRole: Style]) {
        self.name = name
        self.summary = summary
        self.styles = styles
    }

    public func style(_ role: StyleRole) -> Style {
        styles[role] ?? styles[.text] ?? Style()
    }

    /// The default: readable on dark backgrounds (themes/default.toml).
    public static let defaultDark = bundled(named: "default")!

    /// No colour at all, only attributes: for `NO_COLOR` (themes/mono.toml).
    public static let mono = bundled(named: "mono")!

    /// The themes in themes/, compiled into the binary, by name.
    public static let bundledFiles: [(name: String, text: String)] = [
        ("default", String(decoding: PackageResources.default_toml, as: UTF8.self)),
        ("light", String(decoding: PackageResources.light_toml, as: UTF8.self)),
        ("high-contrast", String(decoding: PackageResources.high_contrast_toml, as: UTF8.self)),
        ("mono", String(decoding: PackageResources.mono_toml, as: UTF8.self)),
        ("dracula", String(decoding: PackageResources.dracula_toml, as: UTF8.self)),
    ]

    /// A bundled theme; nil for an unknown name. (The bundled files are checked by the tests.)
    public static func bundled(named name: String) -> Theme? {
        guard let file = bundledFiles.first(where: { $0.name == name }) else { return nil }
        return try? ThemeFile.parse(file.text, source: "themes/\(name).toml")
    }
}
