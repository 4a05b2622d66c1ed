import ComposioAPI
import Foundation
import OnboardCore
import OnboardFiles

/// The outcome of an import, per row: what `--report` writes and `--json` prints. User ids,
/// account ids, statuses and error messages; never a credential value.
package struct ImportReport: Encodable, Sendable {
    package enum Outcome: String, Encodable, Sendable {
        /// Created and ACTIVE in this run.
        case created
        /// An existing account's credentials were updated in place (`--update-existing`).
        case updated
        /// Created by an earlier run of the same import (from the journal).
        case alreadyImported = "already_imported"
        /// The user already had a connected account on the config (`--replace` replaces it).
        case skipped
        /// Not connected; `error` says why.
        case failed
        /// Not reached: the run stopped first.
        case pending
        /// A dry run's plan.
        case toCreate = "to_create"
    }

    package struct Row: Encodable, Sendable, Equatable {
        package var row: Int
        package var userId: String
        package var outcome: Outcome
        package var accountId: String?
        package var status: String?
        package var replaced: [String]?
        package var error: String?

        init(
            row: Int, userId: String, outcome: Outcome, accountId: String? = nil, status: String? = nil, replaced: [String]? = nil,
            error: String? = nil
        ) {
            self.row = row
            self.userId = userId
            self.outcome = outcome
            self.accountId = accountId
            self.status = status
            self.replaced = replaced
            self.error = error
        }
    }

    package struct Summary: Encodable, Sendable, Equatable {
        package var total = 0
        package var created = 0
        package var updated = 0
        package var alreadyImported = 0
        package var skipped = 0
        package var failed = 0
        package var pending = 0
    }

    /// Requests the run sent and how many the service answered 429.
    package struct Requests: Encodable, Sendable, Equatable {
        package var sent: Int
        package var rateLimited: Int
    }

    /// A file that failed its checks: every problem, by row.
    /// What `import --json` prints for a file with problems.
    package struct Invalid: Encodable {
        package struct Problem: Encodable {
            var row: Int?
            var message: String
            package init(row: Int?, message: String) {
                self.row = row
                self.message = message
            }
        }
        var problems: [Problem]
        var valid = false
        package init(problems: [Problem]) { self.problems = problems }
    }

    package var file: String
    package var authConfigId: String
    package var dryRun: Bool
    package var interrupted: Bool
    package var summary: Summary
    package var requests: Requests?
    package var rows: [Row]

    init(file: String, authConfigId: String, dryRun: Bool, interrupted: Bool, rows: [Row], counts: RateLimitPacer.Counts?) {
        self.file = file
        self.authConfigId = authConfigId
        self.dryRun = dryRun
        self.interrupted = interrupted
        self.rows = rows
        self.requests = counts.map { Requests(sent: $0.requests, rateLimited: $0.rateLimited) }
        var summary = Summary(total: rows.count)
        for row in rows {
            switch row.outcome {
            case .created: summary.created += 1
            case .updated: summary.updated += 1
            case .alreadyImported: summary.alreadyImported += 1
            case .skipped: summary.skipped += 1
            case .failed: summary.failed += 1
            case .pending: summary.pending += 1
            case .toCreate: break
            }
        }
        self.summary = summary
    }

    /// Writes the report as JSON, 0600, replacing the file whole.
    func save(to path: String) throws {
        do {
            try SecureFile.replace(path, contents: Data((CommandJSON.text(self) + "\n").utf8), kind: "report")
        } catch {
            throw CommandFailure(error.description)
        }
    }
}
