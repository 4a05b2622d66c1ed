import ArgumentParser
import ComposioAPI
import Foundation
import OnboardCore
import OnboardFeatures
import OnboardLive
import OnboardProcess
import OnboardRuntime
import Synchronization

/// `onboard import FILE --auth-config ID`
struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Connect every user in a CSV or JSON Lines file to one auth config.",
        discussion: """
            CSV: a header of user_id and field names, one user per row. JSON Lines: one object per \
            line, {"user_id": "...", "<field>": "..."}. Every row is checked first and all problems \
            are reported at once. A journal (FILE.journal) lets a rerun after Ctrl-C or a crash \
            resume without creating any user's account twice. Users already connected are \
            skipped, unless --replace (a new account, the old deleted once it is ACTIVE) or \
            --update-existing (the same account, its credentials updated in place). Exit 0 when every row succeeded, 1 otherwise, 130 when \
            interrupted.

            Examples:
              onboard import users.csv --auth-config ac_123 --dry-run
              onboard import users.csv --auth-config ac_123 --report report.json
              onboard import users.jsonl --auth-config ac_123 --replace --concurrency 16
              onboard import rotated-keys.csv --auth-config ac_123 --update-existing
            """
    )

    @Argument(help: "The file: .csv, or .jsonl / .ndjson.")
    var file: String

    @Option(name: .long, help: "The auth config to connect through (ac_...).")
    var authConfig: String

    @Flag(name: .long, help: "Check the file and say what would happen; send nothing.")
    var dryRun = false

    @Option(name: .long, help: "Journal path (default: FILE.journal).")
    var journal: String?

    @Option(name: .long, help: "Write a JSON report (row, user id, account id, status, error) here.")
    var report: String?

    @Flag(name: .long, help: "Replace users' existing accounts (deleted once the new one is ACTIVE) instead of skipping them.")
    var replace = false

    @Flag(name: .long, help: "Update users' existing accounts in place (same id, new credentials) instead of skipping them.")
    var updateExisting = false

    @Flag(name: .customLong("validate"), help: "Ask the service to check each user's credentials (API_KEY schemes).")
    var validateCredentials = false

    @Option(name: .long, help: "Rows in flight at once (the pace also follows the service's rate limit).")
    var concurrency = 8

    @OptionGroup var output: OutputFlags
    @OptionGroup var service: ServiceFlags

    func validate() throws {
        if !(1...64).contains(concurrency) { throw ValidationError("--concurrency must be between 1 and 64.") }
        if replace && updateExisting { throw ValidationError("Give --replace or --update-existing, not both.") }
    }

    func run() async throws {
        try await reportingErrors {
            let options = ImportAction.Options(
                filePath: file, authConfigId: authConfig, journalPath: journal, reportPath: report, dryRun: dryRun, replace: replace,
                validate: validateCredentials, concurrency: concurrency, updateExisting: updateExisting)
            let interrupts = InterruptFlag.install(
                first: "Stopping after the rows in flight (Ctrl-C again to stop at once; the journal keeps the run resumable).")
            defer { interrupts.uninstall() }
            let pacer = RateLimitPacer()
            let out = CommandOutput.standard
            let progress = ImportProgress.Sink(
                live: out.errIsTerminal, draw: { out.progress($0) }, end: { if out.errIsTerminal { out.err("") } })
            let imported: ImportAction.Imported
            do {
                imported = try await withBackend(service.options, pacer: pacer) { service in
                    try await ImportAction.run(service, options, pacer: pacer, progress: progress, interrupted: { interrupts.isSet })
                }
            } catch let invalid as ImportAction.Problems {
                if output.json { out.json(ImportReport.Invalid(problems: invalid.problems.map { .init(row: $0.row, message: $0.message) })) }
                for problem in invalid.problems { out.err("  \(problem)") }
                throw CommandFailure(invalid.description)
            }
            try render(imported, options: options, to: out)
        }
    }

    /// The summary and each failed row on stderr, the report on stdout with `--json`; throws
    /// (exit 1, or 130 when interrupted) when the run did not fully succeed.
    func render(_ imported: ImportAction.Imported, options: ImportAction.Options, to out: CommandOutput) throws {
        let report = imported.report
        let summary = report.summary
        if report.dryRun {
            let creates = report.rows.filter { $0.outcome == .toCreate }.count - imported.plannedUpdates
            out.err(
                "\(report.rows.count) rows are valid: \(creates) to create, \(imported.plannedUpdates) to update in place, \(summary.skipped) skipped (already connected; --replace replaces them), \(summary.alreadyImported) already imported. Nothing was sent (dry run)."
            )
            if output.json { out.json(report) }
            return
        }
        if output.json { out.json(report) }
        for row in report.rows where row.outcome == .failed {
            out.err("  row \(row.row) (\(row.userId)): \(row.error ?? "failed")")
        }
        var line =
            "Imported \(options.filePath) into \(report.authConfigId): \(summary.created) created, \(summary.updated) updated in place, \(summary.alreadyImported) already imported, \(summary.skipped) skipped (already connected), \(summary.failed) failed, of \(summary.total) rows."
        if let requests = report.requests { line += " \(requests.sent) requests, \(requests.rateLimited) answered 429." }
        out.err(line)
        if let stopReason = imported.stopReason { out.err(stopReason) }
        if report.interrupted {
            out.err("Stopped before the end. Run the same command again to resume from the journal \(options.journal).")
            throw InterruptedError()
        }
        if summary.failed > 0 || summary.pending > 0 {
            throw CommandFailure(
                "\(summary.failed + summary.pending) rows were not imported. Fix what the messages say and run the same command again; rows already imported are skipped."
            )
        }
    }
}
