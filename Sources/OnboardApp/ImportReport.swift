import ComposioAPI
import Foundation
import OnboardCore
import OnboardFiles

/// The outcome of an import, per row: what `--report` writes and `--json` prints. User ids,
/// account ids, statuses and error messages; never a credential value.
public struct ImportReport: Encodable, Sendable {
    public enum Outcome: String, Encodable, Sendable {
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

    public struct Row: Encodable, Sendable, Equatable {
        public var row: Int
        public var userId: String
        public var outcome: Outcome
        public var accountId: String?
        public var status: String?
        public var replaced: [String]?
        public var error: String?

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

    public struct Summary: Encodable, Sendable, Equatable {
        public var total = 0
        public var created = 0
        public var updated = 0
        public var alreadyImported = 0
        public var skipped = 0
        public var failed = 0
        public var pending = 0
    }

    /// Requests the run sent and how many the service answered 429.
    public struct Requests: Encodable, Sendable, Equatable {
        public var sent: Int
        public var rateLimited: Int
    }

    /// A file that failed its checks: every problem, by row.
    struct Invalid: Encodable {
        struct Problem: Encodable {
            var row: Int?
            var message: String
        }
        var problems: [Problem]
        var valid = false
    }

    public var file: String
    public var authConfigId: String
    public var dryRun: Bool
    public var interrupted: Bool
    public var summary: Summary
    public var requests: Requests?
    public var rows: [Row]

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
