/// A colour as a theme names it; the curses layer degrades it to what the terminal has.
package enum ThemeColor: Equatable, Sendable, Hashable {
    /// The terminal's own foreground or background.
    case terminalDefault
    /// One of the 256 indexed colours (0-15 are the classic ANSI ones).
    case indexed(Int)
    /// A 24-bit colour.
    case rgb(UInt8, UInt8, UInt8)
}

/// How one role looks.
package struct Style: Equatable, Sendable, Hashable {
    package var foreground: ThemeColor
    package var background: ThemeColor
    package var bold: Bool
    package var dim: Bool
    package var underline: Bool
    package var reverse: Bool

    package init(
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
package struct Theme: Equatable, Sendable {
    package var name: String
    /// One line saying what it is for, from the file's `description`.
    package var summary: String
    package var styles: [StyleRole: Style]

    package init(name: String, summary: String = "", styles: [StyleRole: Style]) {
        self.name = name
        self.summary = summary
        self.styles = styles
    }

    package func style(_ role: StyleRole) -> Style {
        styles[role] ?? styles[.text] ?? Style()
    }

    /// The default: readable on dark backgrounds (themes/default.toml).
    package static let defaultDark = bundled(named: "default")!

    /// No colour at all, only attributes: for `NO_COLOR` (themes/mono.toml).
    package static let mono = bundled(named: "mono")!

    /// The themes in themes/, compiled into the binary, by name.
    package static let bundledFiles: [(name: String, text: String)] = [
        ("default", String(decoding: PackageResources.default_toml, as: UTF8.self)),
        ("light", String(decoding: PackageResources.light_toml, as: UTF8.self)),
        ("high-contrast", String(decoding: PackageResources.high_contrast_toml, as: UTF8.self)),
        ("mono", String(decoding: PackageResources.mono_toml, as: UTF8.self)),
        ("dracula", String(decoding: PackageResources.dracula_toml, as: UTF8.self)),
    ]

    /// A bundled theme; nil for an unknown name. (The bundled files are checked by the tests.)
    package static func bundled(named name: String) -> Theme? {
        guard let file = bundledFiles.first(where: { $0.name == name }) else { return nil }
        return try? ThemeFile.parse(file.text, source: "themes/\(name).toml")
    }
}
