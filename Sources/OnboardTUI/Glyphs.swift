/// The drawing characters a screen uses: Unicode where the terminal can show it, ASCII otherwise.
package struct Glyphs: Sendable, Equatable {
    package var horizontal: Character
    package var bullet: Character
    package var pointer: String
    package var check: String
    package var cross: String
    package var dot: String
    package var spinner: [String]
    package var ellipsis: String
    /// Box corners and sides, for dialogs: top-left, top-right, bottom-left, bottom-right, vertical.
    package var box: [Character]
    /// A progress bar's filled and empty cells.
    package var barFilled: Character
    package var barEmpty: Character

    package static let unicode = Glyphs(
        horizontal: "─", bullet: "•", pointer: "›", check: "✓", cross: "✗", dot: "·",
        spinner: ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"], ellipsis: "…", box: ["┌", "┐", "└", "┘", "│"],
        barFilled: "█", barEmpty: "░"
    )

    package static let ascii = Glyphs(
        horizontal: "-", bullet: "*", pointer: ">", check: "OK", cross: "X", dot: "-",
        spinner: ["|", "/", "-", "\\"], ellipsis: "...", box: ["+", "+", "+", "+", "|"], barFilled: "#", barEmpty: "."
    )
}
