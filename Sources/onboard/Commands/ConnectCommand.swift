import ArgumentParser
import ComposioAPI
import Foundation
import OnboardCore
import OnboardFeatures
import OnboardLive
import OnboardProcess
import OnboardRuntime
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

    @OptionGroup var secrets: SecretsInput

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
        if replace && allowMultiple { throw ValidationError("Give --replace or --allow-multiple, not both.") }
    }

    func run() async throws {
        try await reportingErrors {
            let options = ConnectAction.Options(
                authConfigId: authConfig, userId: userId, fields: try ConnectAction.parseFields(fields),
                secrets: secrets.source, validate: validateCredentials,
                existing: replace ? .replace : (allowMultiple ? .allowMultiple : .refuse), wait: !noWait, timeout: .seconds(service.timeout),
                alias: alias)
            let out = CommandOutput.standard
            let connected = try await withBackend(service.options) {
                try await ConnectAction.run($0, options, progress: { Self.tell($0, userId: options.userId, on: out) })
            }
            let account = connected.account
            if output.json {
                out.json(CommandRecords.Connected(account: CommandRecords.Account(account), replaced: connected.replaced, timedOut: connected.timedOut))
            }
            if let failure = ConnectAction.failure(connected, options: options) { throw CommandFailure(failure) }
            if !output.json {
                out.out("\(account.id) \(account.status.rawValue): \(account.toolkitSlug) for user \(options.userId)")
                for id in connected.replaced { out.err("Deleted \(id), which it replaces.") }
            }
        }
    }

    /// What happens while it waits, on stderr: a link to open (with its QR code on a terminal
    /// that can show one), then the wait.
    static func tell(_ progress: ConnectAction.Progress, userId: String, on out: CommandOutput) {
        switch progress {
        case .link(let url):
            out.err("Open this link in a browser (or send it to \(userId)):\n  \(url)")
            if let code = LibQREncode.encode(url) { out.qrCode(code) }
        case .waitingForApproval(let timeout):
            out.err("Waiting for approval (up to \(Int(timeout.components.seconds)) s; --timeout changes it)...")
        }
    }
}
