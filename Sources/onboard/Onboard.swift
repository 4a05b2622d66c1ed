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

    @Option(name: .long, help: "Service base URL (overrides COMPOSIO_BASE_URL; used only with COMPOSIO_API_KEY).")
    var baseURL: String?

    func run() async throws {
        let code = await WizardLauncher.run(.init(userId: userId, baseURL: baseURL))
        if code != 0 { throw ExitCode(code) }
    }
}
