import ComposioAPI
import Foundation
import OnboardCore
import OnboardFiles
import Synchronization

/// `onboard import`: connects every user in a CSV or JSON Lines file to one auth config.
///
/// The whole file is checked first and every problem reported at once. Rows then run with
/// bounded concurrency through a paced transport (see ``RateLimitPacer``); a journal makes a
/// rerun resume without ever creating a second account for a user; users already connected are
/// skipped unless `--replace`. No value from the file reaches the terminal, a log, the journal
/// or the report.
package enum ImportAction {
    package struct Options: Sendable {
        package var filePath: String
        package var authConfigId: String
        package var journalPath: String?
        package var reportPath: String?
        package var dryRun: Bool
        package var replace: Bool
        /// `--update-existing`: users who already have an account get their credentials
        /// updated in place (same account id) instead of being skipped or replaced.
        package var updateExisting: Bool
        package var validate: Bool
        package var concurrency: Int
        package var timeout: Duration

        package init(
            filePath: String, authConfigId: String, journalPath: String? = nil, reportPath: String? = nil, dryRun: Bool = false,
            replace: Bool = false, validate: Bool = false, concurrency: Int = 8, timeout: Duration = .seconds(60), updateExisting: Bool = false
        ) {
            self.updateExisting = updateExisting
            self.filePath = filePath
            self.authConfigId = authConfigId
            self.journalPath = journalPath
            self.reportPath = reportPath
            self.dryRun = dryRun
            self.replace = replace
            self.validate = validate
            self.concurrency = concurrency
            self.timeout = timeout
        }

        /// Beside the file unless `--journal` says otherwise.
        package var journal: String { journalPath ?? filePath + ".journal" }
    }

    /// The largest file taken (about a million rows of API keys).
    static let maximumFileBytes = 256 << 20

    /// A file with problems: nothing was sent. Each problem names a row or column, never a value.
    package struct Problems: Error, CustomStringConvertible {
        package var problems: [ImportProblem]
        package var file: String
        package var description: String {
            "\(problems.count) \(problems.count == 1 ? "problem" : "problems") in \(file); nothing was imported. Fix \(problems.count == 1 ? "it" : "them") and run again."
        }
    }

    /// What a run did: the report (also written to `--report`), why it stopped early if it did,
    /// and, for a dry run, how many rows would be updated in place.
    package struct Imported: Sendable {
        package var report: ImportReport
        package var stopReason: String?
        package var plannedUpdates: Int
    }

    /// Runs the import. Throws for usage problems and ``Problems`` for a file with problems; the
    /// caller says how it went (and exits 1 when the report has failures, 130 when interrupted).
    package static func run(
        _ service: any ComposioService, _ options: Options, pacer: RateLimitPacer? = nil, progress sink: ImportProgress.Sink = .none,
        interrupted: @escaping @Sendable () -> Bool = { false }, clock: any Timekeeper = SystemTimekeeper()
    ) async throws -> Imported {
        let file = try readFile(options.filePath)
        let (config, scheme, fields) = try await ServiceCommands.userFields(service, authConfigId: options.authConfigId)
        if scheme.isRedirectBased {
            throw CommandFailure(
                "\(config.id) uses \(scheme.rawValue): its tokens cannot be imported. Each user connects through a link: onboard connect --auth-config \(config.id) --user-id USER"
            )
        }
        let problems = ImportCheck.problems(file, fields: fields, sharedFieldNames: config.sharedFieldNames)
        guard problems.isEmpty else { throw Problems(problems: problems, file: options.filePath) }
        let accounts = try await allAccounts(service, authConfigId: config.id)
        if options.dryRun {
            // A dry run neither reads nor writes the journal.
            let plan = try Planner(rows: file.rows, accounts: accounts, journal: nil, replace: options.replace, updateExisting: options.updateExisting).plan()
            let report = plan.report(file: options.filePath, authConfigId: config.id, dryRun: true, interrupted: false, counts: nil)
            return Imported(report: report, stopReason: nil, plannedUpdates: plan.toCreate.filter { $0.updating != nil }.count)
        }
        let journal = try ImportJournal(path: options.journal, authConfigId: config.id, file: file)
        let auditing = service as? any ActionRecorder
        try await auditing?.record(.importStarted, authConfig: config.id, toolkit: config.toolkitSlug, counts: ["rows": file.rows.count])
        var plan = try Planner(rows: file.rows, accounts: accounts, journal: journal, replace: options.replace, updateExisting: options.updateExisting)
            .plan()
        let progress = ImportProgress(total: file.rows.count, settledBefore: file.rows.count - plan.toCreate.count, sink: sink, clock: clock)
        let runner = RowRunner(
            service: service, config: config, scheme: scheme, fields: fields, journal: journal, validate: options.validate, timeout: options.timeout,
            clock: clock)
        let ticker = Task {
            while !Task.isCancelled {
                try? await clock.sleep(for: .seconds(1))
                progress.tick(pause: await pacer?.pauseRemaining)
            }
        }
        let stopped = await runner.run(plan.toCreate, concurrency: max(1, options.concurrency), progress: progress, interrupted: interrupted)
        ticker.cancel()
        progress.finish()
        for result in runner.results.withLock({ $0 }) { plan.outcomes[result.key] = result.value }
        let report = plan.report(
            file: options.filePath, authConfigId: config.id, dryRun: false, interrupted: stopped.interrupted, counts: await pacer?.totals)
        let summary = report.summary
        try await auditing?.record(
            .importFinished, authConfig: config.id, toolkit: config.toolkitSlug, status: stopped.interrupted ? "INTERRUPTED" : "FINISHED",
            counts: [
                "rows": summary.total, "created": summary.created, "updated": summary.updated, "already_imported": summary.alreadyImported,
                "skipped": summary.skipped,
                "failed": summary.failed, "pending": summary.pending,
            ])
        if let path = options.reportPath { try report.save(to: path) }
        return Imported(report: report, stopReason: stopped.reason, plannedUpdates: 0)
    }

    static func readFile(_ path: String) throws -> ImportFile {
        let data: Data
        do {
            data = try SecureFile.readRegular(path, kind: "import file", maximumBytes: maximumFileBytes)
        } catch {
            throw UsageError(error.description + " Split a larger file into several imports.")
        }
        guard let text = String(data: data, encoding: .utf8) else { throw UsageError("\(path) is not UTF-8 text; save it as UTF-8 and run again.") }
        return ImportFile.parse(text, fileName: path)
    }

    /// Every account on the config, any status, by user.
    static func allAccounts(_ service: any ComposioService, authConfigId: String) async throws -> [String: [ConnectedAccount]] {
        Dictionary(grouping: try await service.allConnectedAccounts(ConnectedAccountQuery(authConfigIds: [authConfigId]))) { $0.userId ?? "" }
    }
}

/// Decides, per row, what this run does: from the journal and the accounts on the server.
struct Planner {
    let rows: [ImportFile.Row]
    let accounts: [String: [ConnectedAccount]]
    let journal: ImportJournal?
    let replace: Bool
    var updateExisting = false

    struct Plan {
        var rows: [ImportFile.Row]
        /// Rows to create now, with what the user has on the config.
        var toCreate: [Work]
        /// Outcome per row number, for rows settled without a create (and, later, all).
        var outcomes: [Int: ImportReport.Row]

        func report(file: String, authConfigId: String, dryRun: Bool, interrupted: Bool, counts: RateLimitPacer.Counts?) -> ImportReport {
            let ordered = rows.map { row in
                outcomes[row.number] ?? ImportReport.Row(row: row.number, userId: row.userId, outcome: dryRun ? .toCreate : .pending)
            }
            return ImportReport(file: file, authConfigId: authConfigId, dryRun: dryRun, interrupted: interrupted, rows: ordered, counts: counts)
        }
    }

    struct Work: Sendable {
        var row: ImportFile.Row
        /// Every account id the user has on the config (the create's baseline).
        var existing: [String]
        /// Live accounts to delete once the new one is ACTIVE (`--replace`).
        var replacing: [String]
        /// The account to update in place instead of creating one (`--update-existing`).
        var updating: String? = nil
    }

    func plan() throws -> Plan {
        var plan = Plan(rows: rows, toCreate: [], outcomes: [:])
        for row in rows {
            let mine = accounts[row.userId] ?? []
            let live = mine.filter { !$0.status.isTerminalFailure && $0.status != .inactive }
            switch journal?.rows[row.number] {
            case .done(let accountId, let status, let replaced):
                plan.outcomes[row.number] = ImportReport.Row(
                    row: row.number, userId: row.userId, outcome: .alreadyImported, accountId: accountId, status: status,
                    replaced: replaced.isEmpty ? nil : replaced)
                continue
            case .started(let before), .failed(_, .some(let before)):
                // The last run may have created the account and stopped before it said so.
                if let made = live.first(where: { !before.contains($0.id) }) {
                    try journal?.done(row: row.number, userId: row.userId, accountId: made.id, status: made.status.rawValue, replaced: [])
                    plan.outcomes[row.number] = ImportReport.Row(
                        row: row.number, userId: row.userId, outcome: .alreadyImported, accountId: made.id, status: made.status.rawValue)
                    continue
                }
            case .failed(_, .none), nil:
                break
            }
            if let newest = live.first, updateExisting {
                plan.toCreate.append(Work(row: row, existing: mine.map(\.id), replacing: [], updating: newest.id))
                continue
            }
            if !live.isEmpty && !replace {
                plan.outcomes[row.number] = ImportReport.Row(
                    row: row.number, userId: row.userId, outcome: .skipped, accountId: live[0].id, status: live[0].status.rawValue)
                continue
            }
            plan.toCreate.append(Work(row: row, existing: mine.map(\.id), replacing: replace ? live.map(\.id) : []))
        }
        return plan
    }
}

/// Creates the planned rows, a bounded number at a time, journaling each step.
final class RowRunner: Sendable {
    let service: any ComposioService
    let config: AuthConfigSummary
    let scheme: AuthScheme
    let fields: [CredentialField]
    let journal: ImportJournal
    let validate: Bool
    let timeout: Duration
    let clock: any Timekeeper
    let results = Mutex<[Int: ImportReport.Row]>([:])
    /// Set when every further row would fail the same way (the key was rejected).
    private let fatal = Mutex<String?>(nil)

    init(
        service: any ComposioService, config: AuthConfigSummary, scheme: AuthScheme, fields: [CredentialField], journal: ImportJournal,
        validate: Bool, timeout: Duration, clock: any Timekeeper
    ) {
        self.clock = clock
        self.service = service
        self.config = config
        self.scheme = scheme
        self.fields = fields
        self.journal = journal
        self.validate = validate
        self.timeout = timeout
    }

    /// Returns whether the run stopped early, and why when it was not the person's choice.
    func run(_ work: [Planner.Work], concurrency: Int, progress: ImportProgress, interrupted: @escaping @Sendable () -> Bool) async -> (
        interrupted: Bool, reason: String?
    ) {
        var next = work.makeIterator()
        var stoppedEarly = false
        await withTaskGroup(of: Void.self) { group in
            var running = 0
            func startMore() {
                while running < concurrency {
                    if interrupted() || fatal.withLock({ $0 != nil }) {
                        stoppedEarly = true
                        return
                    }
                    guard let item = next.next() else { return }
                    running += 1
                    group.addTask { await self.importRow(item, progress: progress) }
                }
            }
            startMore()
            while await group.next() != nil {
                running -= 1
                startMore()
            }
        }
        let reason = fatal.withLock { $0 }
        return (stoppedEarly && reason == nil, reason)
    }

    private func importRow(_ work: Planner.Work, progress: ImportProgress) async {
        let row = work.row
        var result = ImportReport.Row(row: row.number, userId: row.userId, outcome: .failed)
        do {
            try journal.started(row: row.number, userId: row.userId, existing: work.existing)
            if let id = work.updating {
                // In place: the account keeps its id; the values sent replace those it had.
                let values = ImportCheck.values(for: row, fields: fields).mapValues { Optional($0) }
                let status = try await service.updateConnectedAccount(id: id, scheme: scheme, values: values, alias: nil)
                result.accountId = id
                result.status = status.rawValue
                result.outcome = .updated
                try journal.done(row: row.number, userId: row.userId, accountId: id, status: status.rawValue, replaced: [])
                results.withLock { $0[row.number] = result }
                progress.rowFinished(failed: false)
                return
            }
            var request = ConnectionRequest(
                authConfigId: config.id, userId: row.userId, authScheme: scheme, values: ImportCheck.values(for: row, fields: fields),
                validateCredentials: validate)
            request.knownAccountIds = Set(work.existing)
            let connector = AccountConnector(service: service, timeout: timeout, clock: clock)
            let outcome = try await connector.connect(request, toolkit: config.toolkitSlug, replacing: work.replacing, wait: true)
            result.accountId = outcome.account.id
            result.status = outcome.account.status.rawValue
            result.replaced = outcome.replaced.isEmpty ? nil : outcome.replaced
            if outcome.account.status == .active {
                result.outcome = .created
                try journal.done(
                    row: row.number, userId: row.userId, accountId: outcome.account.id, status: outcome.account.status.rawValue, replaced: outcome.replaced)
            } else {
                var reason = "the account is \(outcome.account.status.rawValue)"
                if let why = outcome.account.statusReason, !why.isEmpty { reason += ": \(why)" }
                if outcome.timedOut { reason += " (still settling when the wait ended)" }
                result.error = reason
                try journal.failed(row: row.number, userId: row.userId, error: reason)
            }
        } catch let error as APIError {
            result.error = error.description
            try? journal.failed(row: row.number, userId: row.userId, error: error.description)
            if error.failure.kind == .unauthorized || error.failure.kind == .forbidden {
                fatal.withLock { $0 = $0 ?? "Stopped: the service refused the API key (\(error.failure.message)); every further row would fail the same way." }
            }
        } catch {
            result.error = "\(error)"
            try? journal.failed(row: row.number, userId: row.userId, error: "\(error)")
            if error is CommandFailure { fatal.withLock { $0 = $0 ?? "\(error)" } }
        }
        results.withLock { $0[row.number] = result }
        progress.rowFinished(failed: result.outcome == .failed)
    }
}
