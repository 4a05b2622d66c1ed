import ComposioAPI
import Foundation
import OnboardCore

/// `onboard rotate`: replaces an auth config's shared credentials (the values every connected
/// account of the config inherits), then reads the config back to confirm which fields it has.
public enum RotateAction {
    public static func run(_ service: any ComposioService, authConfigId: String, secrets: SecretSource?, json: Bool, output: CommandOutput) async throws {
        let config = try await service.authConfig(id: authConfigId)
        var names = config.sharedFieldNames.sorted()
        let values: [String: Secret]
        if let secrets {
            values = try secrets.read()
            if names.isEmpty {
                // No shared credentials yet: any of the scheme's fields may become shared.
                let (_, _, fields) = try await ServiceCommands.userFields(service, authConfigId: config.id)
                let known = Set(fields.map(\.name))
                let unknown = values.keys.filter { !known.contains($0) }.sorted()
                guard unknown.isEmpty, !values.isEmpty else {
                    throw UsageError(
                        "\(config.id) has no field \(unknown.joined(separator: ", ")) to share (its fields: \(fields.map(\.name).joined(separator: ", "))).")
                }
                names = values.keys.sorted()
            }
        } else {
            guard !names.isEmpty else {
                throw CommandFailure(
                    "\(config.id) (\(config.name)) has no shared credentials yet. Set them with --secrets-stdin (e.g. printf 'FIELD=VALUE\\n' | onboard rotate \(config.id) --secrets-stdin); each account otherwise holds its own."
                )
            }
            guard EchoOffPrompt.isAvailable else {
                throw UsageError("No terminal to ask in: pass the new values with --secrets-stdin (JSON or NAME=VALUE lines).")
            }
            output.err("New shared credentials for \(config.name) (\(config.id)); typing is hidden, Ctrl-C cancels.")
            var typed: [String: Secret] = [:]
            for name in names {
                switch EchoOffPrompt.read("  \(name): ") {
                case .entered(let value): typed[name] = value
                case .interrupted: throw InterruptedError()
                case .endOfInput: throw UsageError("The input ended before \(name) was entered.")
                }
            }
            values = typed
        }
        let unknown = values.keys.filter { !names.contains($0) }.sorted()
        guard unknown.isEmpty else {
            throw UsageError("\(config.id)'s shared credentials have no \(unknown.joined(separator: ", ")) (they are: \(names.joined(separator: ", "))).")
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

/// Ctrl-C during a command (exit 130).
public struct InterruptedError: Error, CustomStringConvertible {
    public init() {}
    public var description: String { "Interrupted." }
}
