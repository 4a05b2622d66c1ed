/// Checks a whole import file against an auth config's fields before anything is sent, so every
/// problem is reported at once (and a dry run can stop there).
package enum ImportCheck {
    /// At most this many row numbers are listed for one problem that many rows share.
    static let rowsListed = 8

    /// Every problem in `file` for an auth config asking `fields` (those its shared credentials
    /// cover already removed), in file order; file-wide problems first.
    package static func problems(_ file: ImportFile, fields: [CredentialField], sharedFieldNames: Set<String> = []) -> [ImportProblem] {
        var problems = file.problems
        let known = Set(fields.map(\.name))
        for column in file.columns where sharedFieldNames.contains(column) {
            problems.append(
                ImportProblem(
                    row: nil,
                    "\(column) is set for every account by the auth config's shared credentials; remove it from the file (or onboard rotate the config)"))
        }
        for column in file.columns where !known.contains(column) && !sharedFieldNames.contains(column) {
            // Named by place, never quoted: an unknown name may be a value in the wrong place.
            let names = fields.map(\.name).joined(separator: ", ")
            let rows = file.rows.filter { $0.values[column] != nil }.map(\.number)
            let place = file.columnPlaces[column] ?? "a column"
            var message = "\(place) is not a field of this auth config (its fields: \(names.isEmpty ? "none" : names))"
            if file.format == .jsonLines { message += "; it is in \(listed(rows))" }
            problems.append(ImportProblem(row: nil, message))
        }
        if file.rows.isEmpty && file.problems.isEmpty {
            problems.append(ImportProblem(row: nil, "the file has no rows to import"))
        }
        var firstRowOfUser: [String: Int] = [:]
        for row in file.rows {
            if let problem = Validation.problem(userId: row.userId) {
                problems.append(ImportProblem(row: row.number, "user_id: \(problem)"))
            } else if let first = firstRowOfUser[row.userId] {
                problems.append(ImportProblem(row: row.number, "the same user_id as row \(first); each user is imported once"))
            } else {
                firstRowOfUser[row.userId] = row.number
            }
            let missing = fields.filter { $0.isRequired && $0.resolvedValue(row.values[$0.name]) == nil }
            if !missing.isEmpty {
                problems.append(ImportProblem(row: row.number, "missing \(missing.map(\.name).joined(separator: ", "))"))
            }
            for field in fields {
                guard let value = field.resolvedValue(row.values[field.name]), value.withRevealedValue({ field.jsonProblem($0) }) != nil
                else { continue }
                problems.append(ImportProblem(row: row.number, "\(field.name) is not valid JSON"))
            }
        }
        // Stable: file-wide problems first, then rows in file order.
        return problems.enumerated().sorted { ($0.element.row ?? 0, $0.offset) < ($1.element.row ?? 0, $1.offset) }.map(\.element)
    }

    /// The values to send for `row`: its own, plus defaults for fields it left empty.
    package static func values(for row: ImportFile.Row, fields: [CredentialField]) -> [String: Secret] {
        var values: [String: Secret] = [:]
        for field in fields {
            values[field.name] = field.resolvedValue(row.values[field.name])
        }
        return values
    }

    static func listed(_ rows: [Int]) -> String {
        let shown = rows.prefix(rowsListed).map(String.init).joined(separator: ", ")
        let more = rows.count > rowsListed ? " and \(rows.count - rowsListed) more" : ""
        return (rows.count == 1 ? "row " : "rows ") + shown + more
    }
}
