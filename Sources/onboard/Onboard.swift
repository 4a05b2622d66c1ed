import ArgumentParser
import Foundation
import OnboardCore
import OnboardFeatures
import OnboardLive
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
            // So does the attach the gateway starts for an operator who came over SSH.
            try InviteCommand.Attach.confineIfStartedByGateway(CommandLine.arguments)
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
