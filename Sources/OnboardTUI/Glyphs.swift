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
    /// Box corners and sides, for dialogs: top-left, top-right, bottom-left, bottom-right, vertical.
    public var box: [Character]
    /// A progress bar's filled and empty cells.
    public var barFilled: Character
    public var barEmpty: Character

    public static let unicode = Glyphs(
        horizontal: "─", bullet: "•", pointer: "›", check: "✓", cross: "✗", dot: "·",
        spinner: ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"], ellipsis: "…", box: ["┌", "┐", "└", "┘", "│"],
        barFilled: "█", barEmpty: "░"
    )

    public static let ascii = Glyphs(
        horizontal: "-", bullet: "*", pointer: ">", check: "OK", cross: "X", dot: "-",
        spinner: ["|", "/", "-", "\\"], ellipsis: "...", box: ["+", "+", "+", "+", "|"], barFilled: "#", barEmpty: "."
    )
}
