import Foundation
import OnboardTUI

/// A table for people: columns padded to their widest cell, server text made safe to print,
/// and no cell wider than ``maximumCellWidth`` (`--json` has every value whole).
enum PlainTable {
    static let maximumCellWidth = 80

    static func render(_ header: [String], _ rows: [[String]]) -> String {
        let cleaned = rows.map { $0.map { DisplayWidth.truncate(TerminalText.sanitized($0), to: maximumCellWidth, ellipsis: "…") } }
        let widths = header.indices.map { column in
            ([header[column]] + cleaned.map { $0[column] }).map(DisplayWidth.of).max() ?? 0
        }
        func line(_ cells: [String]) -> String {
            zip(cells, widths).map { cell, width in cell + String(repeating: " ", count: max(0, width - DisplayWidth.of(cell))) }
                .joined(separator: "  ").trimmingTrailingSpaces()
        }
        return ([line(header)] + cleaned.map(line)).joined(separator: "\n")
    }
}

extension String {
    func trimmingTrailingSpaces() -> String {
        var text = self
        while text.last == " " { text.removeLast() }
        return text
    }
}
