/// A grid of styled cells: what a view draws and what the curses layer paints.
///
/// Pure and comparable, so screens are tested as text snapshots without a terminal.
package struct Canvas: Equatable, Sendable {
    /// One column: a grapheme (empty for the right half of a wide one) and its role.
    package struct Cell: Equatable, Sendable {
        package var text: String
        package var role: StyleRole
        package init(text: String = " ", role: StyleRole = .text) {
            self.text = text
            self.role = role
        }
    }

    package let width: Int
    package let height: Int
    package private(set) var cells: [Cell]
    /// Where the terminal cursor should sit (a focused text input), or nil to hide it.
    package var cursor: (x: Int, y: Int)?
    /// Runs of cells that are a link, for terminals that make them clickable (OSC 8).
    package private(set) var links: [Hyperlink]

    /// A run of cells on one row that opens `url` when clicked.
    package struct Hyperlink: Equatable, Sendable {
        package var x: Int
        package var y: Int
        package var width: Int
        package var url: String
    }

    package init(width: Int, height: Int) {
        self.width = max(0, width)
        self.height = max(0, height)
        cells = Array(repeating: Cell(), count: self.width * self.height)
        cursor = nil
        links = []
    }

    package subscript(x: Int, y: Int) -> Cell {
        cells[y * width + x]
    }

    /// Draws `text` from column `x` on row `y`, clipped to `limit` columns (and the canvas),
    /// after stripping control characters. Returns the columns used.
    @discardableResult
    package mutating func put(_ text: String, x: Int, y: Int, role: StyleRole, limit: Int? = nil) -> Int {
        guard y >= 0, y < height, x < width else { return 0 }
        let end = min(width, limit.map { x + $0 } ?? width)
        var column = x
        for character in TerminalText.sanitized(text) {
            let columns = DisplayWidth.of(character)
            if columns == 0 { continue }
            if column + columns > end { break }
            if column >= 0 {
                cells[y * width + column] = Cell(text: String(character), role: role)
                if columns == 2 { cells[y * width + column + 1] = Cell(text: "", role: role) }
            }
            column += columns
        }
        return column - x
    }

    /// Marks `width` cells from (`x`, `y`) as a link to `url`. A URL with anything but
    /// printable ASCII is not linked (it would travel inside an escape sequence).
    package mutating func link(_ url: String, x: Int, y: Int, width: Int) {
        guard y >= 0, y < height, x >= 0, width > 0, x + width <= self.width else { return }
        guard !url.isEmpty, url.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value < 0x7F }) else { return }
        links.append(Hyperlink(x: x, y: y, width: width, url: url))
    }

    /// Sets the role of a run of cells (e.g. a highlighted row), keeping their text.
    package mutating func paint(role: StyleRole, x: Int, y: Int, width count: Int) {
        guard y >= 0, y < height else { return }
        for column in max(0, x)..<min(width, x + count) {
            cells[y * width + column].role = role
        }
    }

    /// Fills a row with one character.
    package mutating func fill(_ character: Character, y: Int, role: StyleRole) {
        guard y >= 0, y < height else { return }
        for column in 0..<width { cells[y * width + column] = Cell(text: String(character), role: role) }
    }

    /// The canvas as plain text, trailing spaces trimmed: the form snapshots take.
    package var text: String {
        (0..<height).map { row in
            var line = ""
            for column in 0..<width { line += cells[row * width + column].text }
            while line.last == " " { line.removeLast() }
            return line
        }.joined(separator: "\n")
    }

    package static func == (lhs: Canvas, rhs: Canvas) -> Bool {
        lhs.width == rhs.width && lhs.height == rhs.height && lhs.cells == rhs.cells
            && lhs.cursor?.x == rhs.cursor?.x && lhs.cursor?.y == rhs.cursor?.y && lhs.links == rhs.links
    }
}
