import Foundation

/// A file of existing users' credentials to import: CSV (a header of `user_id` and field names)
/// or JSON Lines (`{"user_id": "...", "<field>": "..."}` per line).
///
/// Values become ``Secret``s as they are read; problems name rows and columns, never values.
package struct ImportFile: Equatable, Sendable {
    package enum Format: String, Equatable, Sendable {
        case csv
        case jsonLines = "jsonl"
    }

    /// One user to import.
    package struct Row: Equatable, Sendable {
        /// Where the row starts in the file, counted as a spreadsheet does (CSV's header is row 1;
        /// in JSON Lines it is the line number).
        package var number: Int
        package var userId: String
        /// Field name to value; empty CSV cells and JSON nulls are left out.
        package var values: [String: Secret]

        package init(number: Int, userId: String, values: [String: Secret]) {
            self.number = number
            self.userId = userId
            self.values = values
        }
    }

    /// The column every row needs.
    package static let userIdColumn = "user_id"

    package var format: Format
    /// Field names the file provides (the CSV header, or every key seen in JSON Lines), in order.
    package var columns: [String]
    /// Where each column stands, for messages that must not quote it (a name that is not a
    /// known field may be a value: a key pasted where the header should be): "column 3 of the
    /// header", or "a key in row 4".
    package var columnPlaces: [String: String] = [:]
    package var rows: [Row]
    /// Rows that could not be read at all.
    package var problems: [ImportProblem]

    /// Reads `text`; the format comes from the file name's extension, else from its first character.
    package static func parse(_ text: String, fileName: String = "") -> ImportFile {
        let body = text.hasPrefix("\u{FEFF}") ? String(text.dropFirst()) : text
        let lowered = fileName.lowercased()
        let isJSONLines =
            lowered.hasSuffix(".jsonl") || lowered.hasSuffix(".ndjson")
            || (!lowered.hasSuffix(".csv") && body.first(where: { !$0.isWhitespace }) == "{")
        return isJSONLines ? parseJSONLines(body) : parseCSV(body)
    }

    // MARK: CSV

    static func parseCSV(_ text: String) -> ImportFile {
        var file = ImportFile(format: .csv, columns: [], rows: [], problems: [])
        var records = CSVRecords(text)
        var header: [String]?
        while let record = records.next() {
            switch record {
            case .unterminated(let line):
                file.problems.append(ImportProblem(row: line, "a quoted value is never closed; check the quotes from here on"))
            case .fields(let line, let fields):
                if fields.count == 1 && fields[0].trimmingCharacters(in: .whitespaces).isEmpty { continue }
                guard let columns = header else {
                    let names = fields.map { $0.trimmingCharacters(in: .whitespaces) }
                    header = names
                    file.readHeader(names)
                    continue
                }
                guard fields.count == columns.count else {
                    file.problems.append(ImportProblem(row: line, "has \(fields.count) values but the header has \(columns.count) columns"))
                    continue
                }
                var userId = ""
                var values: [String: Secret] = [:]
                for (name, value) in zip(columns, fields) {
                    if name == userIdColumn {
                        userId = value.trimmingCharacters(in: .whitespaces)
                    } else if !name.isEmpty, !value.isEmpty {
                        values[name] = Secret(value)
                    }
                }
                file.rows.append(Row(number: line, userId: userId, values: values))
            }
        }
        if header == nil { file.problems.append(ImportProblem(row: nil, "the file is empty; the first line must be a header such as user_id,api_key")) }
        return file
    }

    /// Checks the header's names and keeps the field columns. A first line without `user_id`
    /// is most likely data (a file saved without its header): that alone is reported, and none
    /// of its cells is quoted or taken for a column.
    private mutating func readHeader(_ names: [String]) {
        guard names.contains(Self.userIdColumn) else {
            problems.append(
                ImportProblem(row: 1, "the first line has no user_id column, so the header is missing; add one such as user_id,api_key as the first line"))
            return
        }
        var seen: [String: Int] = [:]
        for (index, name) in names.enumerated() {
            if name.isEmpty {
                problems.append(ImportProblem(row: 1, "column \(index + 1) of the header has no name"))
            } else if let first = seen[name] {
                problems.append(ImportProblem(row: 1, "column \(index + 1) of the header repeats column \(first)"))
            } else {
                seen[name] = index + 1
                if name != Self.userIdColumn {
                    columns.append(name)
                    columnPlaces[name] = "column \(index + 1) of the header"
                }
            }
        }
    }

    // MARK: JSON Lines

    static func parseJSONLines(_ text: String) -> ImportFile {
        var file = ImportFile(format: .jsonLines, columns: [], rows: [], problems: [])
        var seenColumns = Set<String>()
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let number = index + 1
            let trimmed = line.trimmingCharacters(in: .whitespacesAndNewlines)
            if trimmed.isEmpty { continue }
            guard let object = (try? JSONSerialization.jsonObject(with: Data(trimmed.utf8))) as? [String: Any] else {
                file.problems.append(ImportProblem(row: number, "is not a JSON object; each line must be one object such as {\"user_id\": \"...\", ...}"))
                continue
            }
            var userId = ""
            var values: [String: Secret] = [:]
            var unreadable: [String] = []
            for (position, key) in object.keys.sorted().enumerated() {
                guard let value = object[key] else { continue }
                if key == userIdColumn {
                    if let text = value as? String { userId = text.trimmingCharacters(in: .whitespaces) } else { unreadable.append("user_id") }
                    continue
                }
                if seenColumns.insert(key).inserted {
                    file.columns.append(key)
                    file.columnPlaces[key] = "a key first seen in row \(number)"
                }
                switch value {
                case is NSNull:
                    continue
                case let text as String:
                    if !text.isEmpty { values[key] = Secret(text) }
                case let number as NSNumber:
                    values[key] = Secret(number.stringValue)
                default:
                    // An embedded document (a service-account JSON) is sent as its JSON text.
                    if JSONSerialization.isValidJSONObject(value), let data = try? JSONSerialization.data(withJSONObject: value, options: [.sortedKeys]) {
                        values[key] = Secret(String(decoding: data, as: UTF8.self))
                    } else {
                        unreadable.append("key \(position + 1) in sorted order")
                    }
                }
            }
            if !unreadable.isEmpty {
                file.problems.append(ImportProblem(row: number, "has a value that is not a string (\(unreadable.joined(separator: ", ")))"))
                continue
            }
            file.rows.append(Row(number: number, userId: userId, values: values))
        }
        return file
    }
}

/// Something wrong with an import file, located by row and phrased as what to fix. Never holds
/// a value from the file.
package struct ImportProblem: Equatable, Sendable, CustomStringConvertible {
    /// The row (as ``ImportFile/Row/number`` counts), or nil for the file as a whole.
    package var row: Int?
    package var message: String

    package init(row: Int?, _ message: String) {
        self.row = row
        self.message = message
    }

    package var description: String {
        row.map { "row \($0): \(message)" } ?? message
    }
}

/// Splits CSV text into records (RFC 4180: quoted values may hold commas, quotes doubled, and
/// line breaks), remembering the line each record starts on.
struct CSVRecords {
    enum Record {
        case fields(line: Int, [String])
        case unterminated(line: Int)
    }

    private var scalars: [Unicode.Scalar]
    private var index = 0
    private var line = 1

    init(_ text: String) {
        scalars = Array(text.unicodeScalars)
    }

    mutating func next() -> Record? {
        guard index < scalars.count else { return nil }
        let start = line
        var fields: [String] = []
        var field = String.UnicodeScalarView()
        var quoted = false
        var wasQuoted = false
        while index < scalars.count {
            let scalar = scalars[index]
            index += 1
            if quoted {
                if scalar == "\"" {
                    if index < scalars.count && scalars[index] == "\"" {
                        field.append("\"")
                        index += 1
                    } else {
                        quoted = false
                    }
                } else {
                    if scalar == "\n" { line += 1 }
                    field.append(scalar)
                }
                continue
            }
            switch scalar {
            case "\"" where field.isEmpty && !wasQuoted:
                quoted = true
                wasQuoted = true
            case ",":
                fields.append(String(field))
                field = String.UnicodeScalarView()
                wasQuoted = false
            case "\r" where index < scalars.count && scalars[index] == "\n":
                continue
            case "\n", "\r":
                line += 1
                fields.append(String(field))
                return .fields(line: start, fields)
            default:
                field.append(scalar)
            }
        }
        if quoted { return .unterminated(line: start) }
        fields.append(String(field))
        return .fields(line: start, fields)
    }
}
