import ArgumentParser
import ComposioAPI
import Foundation
import OnboardApp
import OnboardCore
import OnboardProcess
import Synchronization

/// `onboard connect`
struct ConnectCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "connect",
        abstract: "Connect one user's account without the wizard: for scripts.",
        discussion: """
            Plain values come from --field; secrets only from a file (mode 600) or stdin, as a JSON \
            object or NAME=VALUE lines, never from the command line. Waits until the account is \
            ACTIVE (exit 0) or FAILED (exit 1). For OAuth configs it prints a hosted link and waits \
            for the user to approve it.

            Examples:
              printf 'generic_api_key=%s\\n' "$KEY" | onboard connect --auth-config ac_123 --user-id alice --secrets-stdin
              onboard connect --auth-config ac_jira --user-id bob --field subdomain=acme --field username=bob@acme.com --secrets-file bob.env
              onboard connect --auth-config ac_123 --user-id alice --secrets-file alice.json --replace --json
              onboard connect --auth-config ac_github --user-id carol --timeout 600
            """
    )

    @Option(name: .long, help: "The auth config to connect through (ac_...).")
    var authConfig: String

    @Option(name: .long, help: "Your id for the user the account belongs to.")
    var userId: String

    @Option(name: .customLong("field"), help: ArgumentHelp("A non-secret value, NAME=VALUE (repeatable).", valueName: "NAME=VALUE"))
    var fields: [String] = []

    @Option(name: .long, help: "Read secret values from this file (mode 600): JSON object or NAME=VALUE lines.")
    var secretsFile: String?

    @Flag(name: .long, help: "Read secret values from stdin: JSON object or NAME=VALUE lines.")
    var secretsStdin = false

    @Flag(name: .customLong("validate"), help: "Ask the service to check the credentials before answering (API_KEY schemes).")
    var validateCredentials = false

    @Flag(name: .long, help: "Replace the user's existing account(s) on this config, deleted once the new one is ACTIVE.")
    var replace = false

    @Flag(name: .long, help: "Add another account even if the user already has one on this config.")
    var allowMultiple = false

    @Flag(name: .long, help: "Return as soon as the account is created, without waiting for ACTIVE.")
    var noWait = false

    @Option(name: .long, help: "A name for the account (\"work\", \"personal\"), unique per user and toolkit.")
    var alias: String?

    @OptionGroup var output: OutputFlags
    @OptionGroup var service: ServiceFlags

    func validate() throws {
        if secretsFile != nil && secretsStdin { throw ValidationError("Give --secrets-file or --secrets-stdin, not both.") }
        if replace && allowMultiple { throw ValidationError("Give --replace or --allow-multiple, not both.") }
    }

    func run() async throws {
        try await reportingErrors {
            let options = ConnectAction.Options(
                authConfigId: authConfig, userId: userId, fields: try ConnectAction.parseFields(fields),
                secrets: secretsStdin ? .standardInput : secretsFile.map { .file($0) }, validate: validateCredentials,
                existing: replace ? .replace : (allowMultiple ? .allowMultiple : .refuse), wait: !noWait, timeout: .seconds(service.timeout), json: output.json,
                alias: alias)
            try await withBackend(service.options) { try await ConnectAction.run($0, options, output: .standard) }
        }
    }
}

/// `onboard rotate AUTH_CONFIG_ID`
struct RotateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rotate",
        abstract: "Replace an auth config's shared credentials (inherited by all its accounts).",
        discussion: """
            Asks for each shared field with typing hidden, or reads them from stdin. Reads the \
            config back and names the fields it now has; values are never shown.

            Examples:
              onboard rotate ac_123
              printf 'generic_api_key=%s\\n' "$NEW_KEY" | onboard rotate ac_123 --secrets-stdin --json
            """
    )

    @Argument(help: "The auth config's id (ac_...).")
    var authConfigId: String

    @Flag(name: .long, help: "Read the new values from stdin: JSON object or NAME=VALUE lines.")
    var secretsStdin = false

    @OptionGroup var output: OutputFlags
    @OptionGroup var service: ServiceFlags

    func run() async throws {
        try await reportingErrors {
            try await withBackend(service.options) {
                try await RotateAction.run(
                    $0, authConfigId: authConfigId, secrets: secretsStdin ? .standardInput : nil, json: output.json, output: .standard)
            }
        }
    }
}

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
                validate: validateCredentials, concurrency: concurrency, json: output.json, updateExisting: updateExisting)
            let interrupts = InterruptFlag.install(
                first: "Stopping after the rows in flight (Ctrl-C again to stop at once; the journal keeps the run resumable).")
            defer { interrupts.uninstall() }
            let pacer = RateLimitPacer()
            try await withBackend(service.options, pacer: pacer) { service in
                _ = try await ImportAction.run(service, options, pacer: pacer, output: .standard, interrupted: { interrupts.isSet })
            }
        }
    }
}

/// Ctrl-C for long commands: the first asks to stop cleanly, the second exits 130 at once.
/// The signal is caught as a flag (``SignalFlags``), as the wizard catches it, and polled.
final class InterruptFlag: Sendable {
    private let count = Mutex(0)
    private let poller = Mutex<Task<Void, Never>?>(nil)

    var isSet: Bool { count.withLock { $0 > 0 } }

    static func install(first message: String) -> InterruptFlag {
        let flag = InterruptFlag()
        _ = SignalFlags.take()
        SignalFlags.catchSignals([SIGINT])
        let task = Task.detached {
            while !Task.isCancelled {
                try? await SystemTimekeeper().sleep(for: .milliseconds(50))
                guard SignalFlags.take() & (1 << SIGINT) != 0 else { continue }
                let seen = flag.count.withLock { value in
                    value += 1
                    return value
                }
                if seen == 1 { printError("\n" + message) } else { exit(130) }
            }
        }
        flag.poller.withLock { $0 = task }
        return flag
    }

    func uninstall() {
        poller.withLock { $0?.cancel() }
        signal(SIGINT, SIG_DFL)
    }
}
