import ComposioAPI
import Foundation
import OnboardCore

/// `onboard accounts update`: new credentials (some or all) and/or an alias for an existing
/// account, in place: the account keeps its id and nothing is deleted.
package enum UpdateAction {
    package struct Options: Sendable {
        package var accountId: String
        /// Non-secret values from `--field NAME=VALUE`.
        package var fields: [String: String]
        /// `--remove NAME`: values to delete (optional fields only).
        package var remove: [String]
        package var secrets: SecretSource?
        /// `--alias NAME`; "" clears it.
        package var alias: String?

        package init(
            accountId: String, fields: [String: String] = [:], remove: [String] = [], secrets: SecretSource? = nil, alias: String? = nil
        ) {
            self.accountId = accountId
            self.fields = fields
            self.remove = remove
            self.secrets = secrets
            self.alias = alias
        }
    }

    /// What an update did.
    package struct Updated: Encodable, Sendable {
        package var id: String
        package var status: String
        package var updatedFields: [String]
        package var removedFields: [String]
        package var alias: String?
        /// Who the account is for, for the sentence (not in the JSON).
        package var toolkit: String
        package var userId: String?

        enum CodingKeys: String, CodingKey { case id, status, updatedFields, removedFields, alias }
    }

    package static func run(_ service: any ComposioService, _ options: Options) async throws -> Updated {
        guard !options.fields.isEmpty || !options.remove.isEmpty || options.secrets != nil || options.alias != nil else {
            throw UsageError("Nothing to update: pass new values (--secrets-stdin, --secrets-file, --field NAME=VALUE), --remove NAME or --alias NAME.")
        }
        let account = try await service.connectedAccount(id: options.accountId)
        let config = try await service.authConfig(id: account.authConfigId)
        let scheme = config.authScheme ?? .apiKey
        var values: [String: Secret?] = [:]
        if !options.fields.isEmpty || !options.remove.isEmpty || options.secrets != nil {
            guard scheme.takesCredentialsInPlace else {
                throw CommandFailure(
                    "\(account.id) is a \(scheme.rawValue) connection: its credentials are not updated in place. Connect the user again through a link: onboard connect --auth-config \(config.id) --user-id \(account.userId ?? "USER") --replace"
                )
            }
            values = try changes(try await service.connectionFields(toolkit: config.toolkitSlug, scheme: scheme), options: options)
        }
        let status = try await service.updateConnectedAccount(id: account.id, scheme: scheme, values: values, alias: options.alias)
        return Updated(
            id: account.id, status: status.rawValue, updatedFields: values.filter { $0.value != nil }.keys.sorted(),
            removedFields: values.filter { $0.value == nil }.keys.sorted(), alias: options.alias, toolkit: account.toolkitSlug, userId: account.userId)
    }

    /// The values to send: known fields only (unknown names reported by place, never quoted),
    /// secrets never from argv, required fields never removed.
    static func changes(_ fields: [CredentialField], options: Options) throws -> [String: Secret?] {
        let known = Dictionary(uniqueKeysWithValues: fields.map { ($0.name, $0) })
        let names = fields.map(\.name).joined(separator: ", ")
        var values: [String: Secret?] = [:]
        for argument in options.fields.keys.sorted() {
            // A name on argv is public already: it may be quoted back.
            guard let field = known[argument] else {
                throw UsageError("--field \(argument): this account has no such field (its fields: \(names)).")
            }
            guard !field.isSecret else {
                throw UsageError("\(field.name) is a secret: pass it in --secrets-file PATH or --secrets-stdin, never on the command line.")
            }
            values[field.name] = Secret(options.fields[argument] ?? "")
        }
        for entry in try options.secrets?.entries() ?? [] {
            guard let field = known[entry.name] else {
                throw UsageError("The name on \(entry.place) of the secrets is not a field of this account (its fields: \(names)). Each line is NAME=VALUE.")
            }
            guard let value = field.resolvedValue(entry.value) else {
                throw UsageError(
                    field.isRequired
                        ? "The value on \(entry.place) of the secrets is empty, and \(field.name) is required: give it a value."
                        : "The value on \(entry.place) of the secrets is empty; to delete \(field.name), pass --remove \(field.name).")
            }
            if let problem = value.withRevealedValue({ field.jsonProblem($0) }) { throw UsageError(problem) }
            values[field.name] = value
        }
        for name in options.remove {
            guard let field = known[name] else { throw UsageError("--remove \(name): this account has no such field (its fields: \(names)).") }
            guard !field.isRequired else { throw UsageError("\(field.name) is required: give it a new value instead of removing it.") }
            values[field.name] = .some(nil)
        }
        return values
    }
}
