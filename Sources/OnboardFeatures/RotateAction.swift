import ComposioAPI
import Foundation
import OnboardCore

/// `onboard rotate`: replaces an auth config's shared credentials (the values every connected
/// account of the config inherits), then reads the config back to confirm which fields it has.
package enum RotateAction {
    /// How the values are asked for when none are piped in: the names in order, each answer
    /// or why it stopped. The command passes the terminal's echo-off prompt; nil when there is no
    /// terminal to ask in.
    package typealias Ask = @Sendable (_ name: String) -> PromptAnswer

    /// One answer to ``Ask``.
    package enum PromptAnswer: Sendable {
        case entered(Secret)
        case interrupted
        case endOfInput
        case tooLong
    }

    package static func run(
        _ service: any ComposioService, authConfigId: String, secrets: SecretSource?, ask: Ask?, json: Bool, output: CommandOutput
    ) async throws {
        let config = try await service.authConfig(id: authConfigId)
        var names = config.sharedFieldNames.sorted()
        let values: [String: Secret]
        if let secrets {
            let entries = try secrets.entries()
            values = Dictionary(uniqueKeysWithValues: entries.map { ($0.name, $0.value) })
            if names.isEmpty {
                // No shared credentials yet: any of the scheme's fields may become shared.
                let (_, _, fields) = try await ServiceCommands.userFields(service, authConfigId: config.id)
                let known = Set(fields.map(\.name))
                if let unknown = entries.first(where: { !known.contains($0.name) }) {
                    throw UsageError(
                        "The name on \(unknown.place) of the secrets is not a field \(config.id) can share (its fields: \(fields.map(\.name).joined(separator: ", ")))."
                    )
                }
                guard !values.isEmpty else { throw UsageError("No values came in: send NAME=VALUE lines or one JSON object.") }
                names = values.keys.sorted()
            }
            if let unknown = entries.first(where: { !names.contains($0.name) }) {
                throw UsageError(
                    "The name on \(unknown.place) of the secrets is not one of \(config.id)'s shared fields (they are: \(names.joined(separator: ", "))).")
            }
        } else {
            guard !names.isEmpty else {
                throw CommandFailure(
                    "\(config.id) (\(config.name)) has no shared credentials yet. Set them with --secrets-stdin (e.g. printf 'FIELD=VALUE\\n' | onboard rotate \(config.id) --secrets-stdin); each account otherwise holds its own."
                )
            }
            guard let ask else {
                throw UsageError("No terminal to ask in: pass the new values with --secrets-stdin (JSON or NAME=VALUE lines).")
            }
            output.err("New shared credentials for \(config.name) (\(config.id)); typing is hidden, Ctrl-C cancels.")
            var typed: [String: Secret] = [:]
            for name in names {
                switch ask(name) {
                case .entered(let value): typed[name] = value
                case .interrupted: throw InterruptedError()
                case .endOfInput: throw UsageError("The input ended before \(name) was entered.")
                case .tooLong: throw UsageError("\(name) is longer than 64 KiB; nothing was sent. Is it the right value?")
                }
            }
            values = typed
        }
        // The service replaces the whole map, so every field must be given.
        let missing = names.filter { values[$0]?.isEmpty ?? true }
        guard missing.isEmpty else {
            throw UsageError("Give every shared field (the update replaces them all); missing: \(missing.joined(separator: ", ")).")
        }
        let updated = try await service.updateSharedCredentials(
            authConfigId: config.id, configType: config.isComposioManaged ? "default" : "custom", values: values)
        let readBack = updated.sharedFieldNames.sorted()
        if json { output.json(CommandRecords.Rotated(authConfigId: config.id, updatedFields: names, sharedFields: readBack)) }
        guard Set(names).isSubset(of: updated.sharedFieldNames) else {
            throw CommandFailure(
                "The update was accepted but reading \(config.id) back shows shared fields \(readBack.joined(separator: ", ")); check it in the dashboard.")
        }
        if !json { output.out("Rotated \(names.joined(separator: ", ")) on \(config.id) (\(config.name)); read back: \(readBack.joined(separator: ", ")).") }
    }
}
