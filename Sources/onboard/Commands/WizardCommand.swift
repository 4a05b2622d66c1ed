import ArgumentParser
import Foundation
import OnboardCore
import OnboardFeatures
import OnboardLive
import OnboardProcess

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

    @OptionGroup var audit: AuditLogOption

    func run() async throws {
        try await Self.launch(
            WizardLauncher.Options(
                userId: userId, authConfigId: authConfig, baseURL: baseURL, keyFile: apiKeyFile, verbose: verbose, theme: theme, accessible: accessible,
                auditLog: audit.auditLog))
    }

    static func launch(_ options: WizardLauncher.Options) async throws {
        let code = await WizardLauncher.run(options)
        if code != 0 { throw ExitCode(code) }
    }
}
