import Foundation

/// A file of existing users' credentials to import: CSV (a header of `user_id` and field names)
/// or JSON Lines (`{"user_id": "...", "<field>": "..."}` per line).
///
/// Values become ``Secret``s as they are read; problems name rows and columns, never values.
public struct ImportFile: Equatable, Sendable {
    public enum Format: String, Equatable, Sendable {
        case csv
        case jsonLines = "jsonl"
    }

    /// One user to import.
    public struct Row: Equatable, Sendable {
        /// Where the row starts in the file, counted as a spreadsheet does (CSV's header is row 1;
        /// in JSON Lines it is the line number).
        public var number: Int
        public var userId: String
        /// Field name to value; empty CSV cells and JSON nulls are left out.
        public var values: [String: Secret]

        public init(number: Int, userId: String, values: [String: Secret]) {
            self.number = number
            self.userId = userId
            self.values = values
        }
    }

    /// The column every row needs.
    public static let userIdColumn = "user_id"

    public var format: Format
    /// Field names the file provides (the CSV header, or every key seen in JSON Lines), in order.
    public var columns: [String]
    public var rows: [Row]
    /// Rows that could not be read at all.
    public var problems: [ImportProblem]

    /// Reads `text`; the format comes from the file name's extension, else from its first character.
    public static func parse(_ text: String, fileName: String = "") -> ImportFile {
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

    /// Checks the header's names and keeps the field columns.
    private mutating func readHeader(_ names: [String]) {
        if !names.contains(Self.userIdColumn) {
            problems.append(ImportProblem(row: 1, "the header has no user_id column; the first line must be e.g. user_id,api_key"))
        }
        var seen = Set<String>()
        for (index, name) in names.enumerated() {
            if name.isEmpty {
                problems.append(ImportProblem(row: 1, "column \(index + 1) of the header has no name"))
            } else if !seen.insert(name).inserted {
                problems.append(ImportProblem(row: 1, "the column \u{201C}\(name)\u{201D} appears twice in the header"))
            } else if name != Self.userIdColumn {
                columns.append(name)
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
            for key in object.keys.sorted() {
                guard let value = object[key] else { continue }
                if key == userIdColumn {
                    if let text = value as? String { userId = text.trimmingCharacters(in: .whitespaces) } else { unreadable.append(key) }
                    continue
                }
                if seenColumns.insert(key).inserted { file.columns.append(key) }
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
                        unreadable.append(key)
                    }
                }
            }
            if !unreadable.isEmpty {
                file.problems.append(ImportProblem(row: number, "the value of \(unreadable.joined(separator: ", ")) is not a string"))
                continue
            }
            file.rows.append(Row(number: number, userId: userId, values: values))
        }
        return file
    }
}

/// Something wrong with an import file, located by row and phrased as what to fix. Never holds
/// a value from the file.
public struct ImportProblem: Equatable, Sendable, CustomStringConvertible {
    /// The row (as ``ImportFile/Row/number`` counts), or nil for the file as a whole.
    public var row: Int?
    public var message: String

    public init(row: Int?, _ message: String) {
        self.row = row
        self.message = message
    }

    public var description: String {
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
