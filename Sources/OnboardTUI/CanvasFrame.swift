/// A canvas as it travels from a gateway session to an operator watching it: each row's text
/// and its roles as runs. What arrives is read as hostile (the session runs a stranger's
/// input): sizes are capped, text goes through `Canvas.put` (control characters stripped,
/// widths measured here), and unknown roles are plain text.
package struct CanvasFrame: Codable, Equatable, Sendable {
    package var width: Int
    package var height: Int
    package var rows: [String]
    /// Per row, `[role, count]` pairs from the left.
    package var roles: [[RoleRun]]

    package struct RoleRun: Codable, Equatable, Sendable {
        package var role: String
        package var count: Int
        package init(role: String, count: Int) {
            self.role = role
            self.count = count
        }
        package init(from decoder: any Decoder) throws {
            var container = try decoder.unkeyedContainer()
            role = try container.decode(String.self)
            count = try container.decode(Int.self)
        }
        package func encode(to encoder: any Encoder) throws {
            var container = encoder.unkeyedContainer()
            try container.encode(role)
            try container.encode(count)
        }
    }

    /// The largest window a frame may describe.
    package static let maximumSide = 1000

    package init(width: Int, height: Int, rows: [String], roles: [[RoleRun]]) {
        self.width = width
        self.height = height
        self.rows = rows
        self.roles = roles
    }

    package init(_ canvas: Canvas) {
        width = canvas.width
        height = canvas.height
        rows = []
        roles = []
        for y in 0..<canvas.height {
            var text = ""
            var runs: [RoleRun] = []
            for x in 0..<canvas.width {
                let cell = canvas[x, y]
                text += cell.text
                if let last = runs.last, last.role == cell.role.rawValue {
                    runs[runs.count - 1].count += 1
                } else {
                    runs.append(RoleRun(role: cell.role.rawValue, count: 1))
                }
            }
            rows.append(text)
            roles.append(runs)
        }
    }

    /// The canvas again, at most `maximumSide` each way; nil for a frame that is not one.
    package var canvas: Canvas? {
        guard width > 0, height > 0, width <= Self.maximumSide, height <= Self.maximumSide, rows.count == height, roles.count == height
        else { return nil }
        var canvas = Canvas(width: width, height: height)
        for y in 0..<height {
            canvas.put(rows[y], x: 0, y: y, role: .text)
            var x = 0
            for run in roles[y] where x < width {
                let count = min(max(0, run.count), width - x)
                canvas.paint(role: StyleRole(rawValue: run.role) ?? .text, x: x, y: y, width: count)
                x += count
            }
        }
        return canvas
    }
}
