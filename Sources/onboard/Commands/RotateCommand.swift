import ArgumentParser
import ComposioAPI
import Foundation
import OnboardCore
import OnboardFeatures
import OnboardLive
import OnboardProcess
import OnboardRuntime
import Synchronization

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

    @OptionGroup var secrets: SecretsInput

    @OptionGroup var output: OutputFlags
    @OptionGroup var service: ServiceFlags

    /// The new values, asked one by one with echo off (nil without a terminal).
    static var askOnTerminal: RotateAction.Ask? {
        guard EchoOffPrompt.isAvailable else { return nil }
        return RotateAction.Ask(
            introduce: { config in
                CommandOutput.standard.err("New shared credentials for \(config.name) (\(config.id)); typing is hidden, Ctrl-C cancels.")
            },
            field: { name in
                switch EchoOffPrompt.read("  \(name): ") {
                case .entered(let value): .entered(value)
                case .interrupted: .interrupted
                case .endOfInput: .endOfInput
                case .tooLong: .tooLong
                }
            })
    }

    func run() async throws {
        try await reportingErrors {
            let rotated = try await withBackend(service.options) {
                try await RotateAction.run($0, authConfigId: authConfigId, secrets: secrets.source, ask: Self.askOnTerminal)
            }
            if output.json { CommandOutput.standard.json(rotated) }
            let readBack = rotated.sharedFields.joined(separator: ", ")
            guard rotated.confirmed else {
                throw CommandFailure(
                    "The update was accepted but reading \(rotated.authConfigId) back shows shared fields \(readBack); check it in the dashboard.")
            }
            if !output.json {
                CommandOutput.standard.out(
                    "Rotated \(rotated.updatedFields.joined(separator: ", ")) on \(rotated.authConfigId) (\(rotated.name)); read back: \(readBack).")
            }
        }
    }
}
