import ArgumentParser
import Foundation
import OnboardApp
import OnboardCore
import OnboardProcess

/// `onboard`: the interactive wizard by default, plus subcommands.
@main
struct Onboard: AsyncParsableCommand {
    /// Parses and runs, with the exit codes scripts rely on: 0 ok, 1 failure, 2 usage error
    /// (ArgumentParser's own is 64), 130 interrupted.
    static func main() async {
        // Before anything reads a key: no core dumps, not traceable by the user's other processes.
        ProcessHardening.apply()
        do {
            // A gateway session confines itself here, before any other thread exists: a Landlock
            // ruleset binds only the thread that applies it and the threads started after.
            if CommandLine.argc == 3, CommandLine.arguments[1] == "gateway", CommandLine.arguments[2] == "session" {
                try await GatewayCommand.Session.run(binding: GatewayCommand.Session.confine())
                return
            }
            // The bare command, the one operators type most, has nothing to parse: it is the
            // wizard with every option at its default. ArgumentParser would still reflect over
            // every command's properties, each cast scanning the static binary's conformances:
            // about 6 ms before the first frame. It is told by argc: building
            // CommandLine.arguments is itself a first use of generic metadata.
            if CommandLine.argc == 1 {
                try await WizardCommand.launch(WizardLauncher.Options())
                return
            }
            var command = try parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            let code = exitCode(for: error)
            // Help, --version and bare exit codes: ArgumentParser prints our own text.
            if code == .success || error is ExitCode { exit(withError: error) }
            // Anything else may quote an argument: it goes through the sanitising edge.
            let message = fullMessage(for: error)
            if !message.isEmpty { printError(message) }
            Foundation.exit(code == .validationFailure ? 2 : code.rawValue)
        }
    }

    /// Every command names itself (`commandName:`): without a name ArgumentParser derives one
    /// with `String(describing:)` of the type at every start, and each of those dynamic casts
    /// scans all of the static binary's protocol conformances (about a third of the time to the
    /// first frame).
    static let configuration = CommandConfiguration(
        commandName: "onboard",
        abstract: "Connect users' API keys, tokens and passwords to Composio auth configs from the terminal.",
        discussion: """
            With COMPOSIO_API_KEY set, onboard talks to Composio (COMPOSIO_BASE_URL, default \
            https://backend.composio.dev). Without it, onboard starts its embedded sandbox, a local \
            Composio-compatible server, so everything works offline.

            Examples:
              onboard                         # the wizard, on the sandbox
              COMPOSIO_API_KEY=... onboard    # the wizard, on Composio
              onboard --user-id alice         # the wizard, user id prefilled
              onboard --auth-config ac_123 --user-id alice   # straight to the fields
              onboard auth-configs                               # what can be connected
              onboard fields ac_123                              # what a user must provide
              printf 'generic_api_key=%s\\n' "$KEY" | onboard connect --auth-config ac_123 --user-id alice --secrets-stdin
              onboard import users.csv --auth-config ac_123      # many users, resumable
              onboard sandbox serve --port 9900
              onboard gateway serve                              # customers connect over SSH
              onboard invite create --auth-config ac_123 --user-id alice

            Exit codes: 0 ok, 1 failure, 2 usage error, 130 interrupted.
            """,
        version: OnboardVersion.current,
        subcommands: [
            WizardCommand.self, AuthConfigsCommand.self, FieldsCommand.self, AccountsCommand.self, ConnectCommand.self, RotateCommand.self,
            ImportCommand.self, AuditCommand.self, InviteCommand.self, GatewayCommand.self, StoreCommand.self, ThemesCommand.self, SandboxCommand.self,
        ],
        defaultSubcommand: WizardCommand.self
    )
}

/// The interactive wizard.
struct WizardCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "wizard",
        abstract: "Pick an auth config, enter credentials in masked fields, and connect (the default command).",
        discussion: """
            Examples:
              onboard
              onboard --user-id alice --auth-config ac_123
              onboard --theme high-contrast
              onboard --accessible
            """
    )

    @Option(name: .long, help: "Prefill the user id the account is connected for.")
    var userId: String?

    @Option(name: .long, help: "Skip the list: go straight to this auth config's fields (ac_...).")
    var authConfig: String?

    @Option(name: .long, help: "Service base URL (overrides COMPOSIO_BASE_URL; used only with an API key).")
    var baseURL: String?

    @Option(name: .long, help: "Read the project API key from this file (mode 600), instead of COMPOSIO_API_KEY.")
    var apiKeyFile: String?

    @Flag(
        name: .long,
        help: "Write a debug trace of every request (method, path, status, time; no secrets) to onboard.log in the data directory, or ONBOARD_LOG_FILE.")
    var verbose = false

    @Option(name: .long, help: "Colour theme: a name (see onboard themes) or a .toml file; default ONBOARD_THEME, else default.")
    var theme: String?

    @Flag(name: .long, help: "Line prompts with numbered choices instead of the full screen (automatic with TERM=dumb or without a terminal).")
    var accessible = false

    @Option(name: .long, help: "Keep the audit trail here (default: ONBOARD_AUDIT_LOG, else $XDG_STATE_HOME/onboard/audit.jsonl).")
    var auditLog: String?

    func run() async throws {
        try await Self.launch(
            WizardLauncher.Options(
                userId: userId, authConfigId: authConfig, baseURL: baseURL, keyFile: apiKeyFile, verbose: verbose, theme: theme, accessible: accessible,
                auditLog: auditLog))
    }

    static func launch(_ options: WizardLauncher.Options) async throws {
        let code = await WizardLauncher.run(options)
        if code != 0 { throw ExitCode(code) }
    }
}

/// `onboard themes`: what `--theme` accepts.
struct ThemesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "themes",
        abstract: "List the colour themes (built in, and yours in $XDG_CONFIG_HOME/onboard/themes).",
        discussion: """
            A theme is a TOML file mapping roles to colours and attributes; copy one from the \
            repository's themes/ directory to start your own.

            Examples:
              onboard themes
              onboard --theme light
              ONBOARD_THEME=high-contrast onboard
              onboard --theme ./my-theme.toml
            """
    )

    func run() throws {
        let themes = ThemeLoader.available()
        let width = themes.map(\.name.count).max() ?? 0
        for theme in themes {
            printOut(
                theme.name.padding(toLength: width + 2, withPad: " ", startingAt: 0) + theme.summary + (theme.source == "built in" ? "" : "  (\(theme.source))")
            )
        }
        printOut("\nYour themes go in \(ThemeLoader.userDirectory()); a file there named like a built-in one replaces it.")
    }
}
