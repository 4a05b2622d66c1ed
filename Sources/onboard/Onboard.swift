import ArgumentParser
import Foundation
import OnboardApp
import OnboardCore

/// `onboard`: the interactive wizard by default, plus subcommands.
@main
struct Onboard: AsyncParsableCommand {
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
              onboard sandbox serve --port 9900
            """,
        version: OnboardVersion.current,
        subcommands: [WizardCommand.self, SandboxCommand.self],
        defaultSubcommand: WizardCommand.self
    )
}

/// The interactive wizard.
struct WizardCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "wizard",
        abstract: "Pick an auth config, enter credentials in masked fields, and connect (the default command)."
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

    func run() async throws {
        let code = await WizardLauncher.run(.init(userId: userId, authConfigId: authConfig, baseURL: baseURL, keyFile: apiKeyFile, verbose: verbose))
        if code != 0 { throw ExitCode(code) }
    }
}
