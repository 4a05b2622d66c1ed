/// A QR code's modules, as an encoder made them; drawn by ``QRMatrix/draw(into:x:y:glyphs:)``.
package struct QRMatrix: Equatable, Sendable {
    /// Modules per side.
    package let size: Int
    /// Row by row; true is dark.
    package let modules: [Bool]

    package init?(size: Int, modules: [Bool]) {
        guard size > 0, modules.count == size * size else { return nil }
        self.size = size
        self.modules = modules
    }

    /// Light modules around the code, as the standard asks, so a camera finds its edges.
    package static let quietZone = 4

    package func isDark(_ x: Int, _ y: Int) -> Bool {
        guard x >= 0, y >= 0, x < size, y < size else { return false }
        return modules[y * size + x]
    }

    /// Columns and rows it takes on a terminal: one column a module, two modules a row.
    package var drawnSize: (width: Int, height: Int) {
        let side = size + 2 * Self.quietZone
        return (side, (side + 1) / 2)
    }

    /// The half-block character for a column's two stacked modules (dark drawn in the
    /// foreground): `█` both dark, `▀` top, `▄` bottom, and a no-break space for neither: a plain
    /// space lets curses erase a run of them with ECH, which tmux and others fill with the
    /// default background instead of the light one, leaving holes in the quiet zone.
    static func halfBlock(top: Bool, bottom: Bool) -> String {
        switch (top, bottom) {
        case (true, true): "\u{2588}"
        case (true, false): "\u{2580}"
        case (false, true): "\u{2584}"
        case (false, false): "\u{00A0}"
        }
    }

    /// The rows of half blocks, quiet zone included.
    package var rows: [String] {
        let zone = Self.quietZone
        let side = size + 2 * zone
        return stride(from: 0, to: side, by: 2).map { top in
            (0..<side).map { column in
                Self.halfBlock(top: isDark(column - zone, top - zone), bottom: isDark(column - zone, top + 1 - zone))
            }.joined()
        }
    }

    /// Draws the code with its top-left corner at `x`, `y` in the `qrCode` role (dark on light).
    package func draw(into canvas: inout Canvas, x: Int, y: Int) {
        for (index, row) in rows.enumerated() {
            canvas.put(row, x: x, y: y + index, role: .qrCode)
        }
    }
}

/// Turns text into a QR code; the full-screen and command front ends are given one (backed by
/// libqrencode when the system has it), tests a fake, and nothing draws a code without one.
package struct QRCodeEncoder: Sendable {
    package let encode: @Sendable (String) -> QRMatrix?

    package init(_ encode: @escaping @Sendable (String) -> QRMatrix?) {
        self.encode = encode
    }

    /// Draws no code.
    package static let none = QRCodeEncoder { _ in nil }
}
