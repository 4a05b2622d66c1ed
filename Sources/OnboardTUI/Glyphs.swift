/// The drawing characters a screen uses: Unicode where the terminal can show it, ASCII otherwise.
public struct Glyphs: Sendable, Equatable {
    public var horizontal: Character
    public var bullet: Character
    public var pointer: String
    public var check: String
    public var cross: String
    public var dot: String
    public var spinner: [String]
    public var ellipsis: String

    public static let unicode = Glyphs(
        horizontal: "─", bullet: "•", pointer: "›", check: "✓", cross: "✗", dot: "·",
        spinner: ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"], ellipsis: "…"
    )

    public static let ascii = Glyphs(
        horizontal: "-", bullet: "*", pointer: ">", check: "OK", cross: "X", dot: "-",
        spinner: ["|", "/", "-", "\\"], ellipsis: "..."
    )
}
