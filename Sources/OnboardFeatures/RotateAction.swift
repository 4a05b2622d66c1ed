import ComposioAPI
import Foundation
import OnboardCore

/// `onboard rotate`: replaces an auth config's shared credentials (the values every connected
/// account of the config inherits), then reads the config back to confirm which fields it has.
package enum RotateAction {
    /// How the values are asked for when none are piped in: told which config first, then the
    /// names in order, each answer or why it stopped. The command passes the terminal's echo-off
    /// prompt; nil when there is no terminal to ask in.
    package struct Ask: Sendable {
        package var introduce: @Sendable (AuthConfigSummary) -> Void
        package var field: @Sendable (_ name: String) -> PromptAnswer
        package init(introduce: @escaping @Sendable (AuthConfigSummary) -> Void = { _ in }, field: @escaping @Sendable (String) -> PromptAnswer) {
            self.introduce = introduce
            self.field = field
        }
    }

    /// What a rotation did: the fields sent, and those the config shows when read back.
    package struct Rotated: Encodable, Sendable {
        package var authConfigId: String
        package var updatedFields: [String]
        package var sharedFields: [String]
        /// For the sentence (not in the JSON).
        package var name: String
        /// Every field sent is among those read back.
        package var confirmed: Bool { Set(updatedFields).isSubset(of: sharedFields) }

        enum CodingKeys: String, CodingKey { case authConfigId, updatedFields, sharedFields }
    }

    /// One answer to ``Ask``.
    package enum PromptAnswer: Sendable {
        case entered(Secret)
        case interrupted
        case endOfInput
        case tooLong
    }

    /// Sends the new values and reads the config back; the caller says whether the read-back
    /// confirms them (``Rotated/confirmed``).
    package static func run(_ service: any ComposioService, authConfigId: String, secrets: SecretSource?, ask: Ask?) async throws -> Rotated {
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
            ask.introduce(config)
            var typed: [String: Secret] = [:]
            for name in names {
                switch ask.field(name) {
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
        return Rotated(authConfigId: config.id, updatedFields: names, sharedFields: updated.sharedFieldNames.sorted(), name: config.name)
    }
}
