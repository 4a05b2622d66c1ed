import ComposioAPI
import Foundation
import OnboardCore

/// The read and delete commands: `auth-configs`, `fields`, `accounts`, `accounts get|delete`.
/// Tables for people, `--json` for scripts; errors are thrown for the caller to print.
package enum ServiceCommands {
    package static func authConfigs(_ service: any ComposioService, search: String?, showDisabled: Bool, json: Bool, output: CommandOutput)
        async throws
    {
        var configs: [AuthConfigSummary] = []
        var cursor: String?
        repeat {
            let page = try await service.listAuthConfigs(AuthConfigQuery(search: search, showDisabled: showDisabled, cursor: cursor))
            configs += page.items
            cursor = page.nextCursor
        } while cursor != nil
        if json { return output.json(configs.map(CommandRecords.AuthConfig.init)) }
        guard !configs.isEmpty else {
            return output.err(search.map { "No auth config matches \u{201C}\($0)\u{201D}." } ?? "This project has no enabled auth configs.")
        }
        output.out(
            PlainTable.render(
                ["ID", "NAME", "TOOLKIT", "SCHEME", "STATUS", "ACCOUNTS"],
                configs.map {
                    [$0.id, $0.name, $0.toolkitSlug, $0.authScheme?.rawValue ?? "?", $0.isEnabled ? "enabled" : "disabled", String($0.connectionCount)]
                }))
    }

    /// The fields a user provides for an auth config (its shared credentials' fields left out).
    package static func fields(_ service: any ComposioService, authConfigId: String, json: Bool, output: CommandOutput) async throws {
        let (config, scheme, fields) = try await userFields(service, authConfigId: authConfigId)
        if json {
            return output.json(
                CommandRecords.Fields(
                    authConfigId: config.id, toolkit: config.toolkitSlug, authScheme: scheme.rawValue, fields: fields.map(CommandRecords.Field.init),
                    sharedFields: config.sharedFieldNames.sorted()))
        }
        output.out("\(config.name) (\(config.id)): \(config.toolkitSlug), \(scheme.rawValue)")
        if scheme.isRedirectBased {
            output.out("Users connect through a hosted link (onboard connect prints one); \(scheme.rawValue) tokens cannot be imported.")
            return
        }
        output.out(
            PlainTable.render(
                ["FIELD", "REQUIRED", "SECRET", "DEFAULT", "DESCRIPTION"],
                fields.map { [$0.name, $0.isRequired ? "yes" : "no", $0.isSecret ? "yes" : "no", $0.isSecret ? "" : $0.defaultValue ?? "", $0.description] }))
        if !config.sharedFieldNames.isEmpty {
            output.out("Provided by the auth config's shared credentials: \(config.sharedFieldNames.sorted().joined(separator: ", "))")
        }
    }

    /// The config, its scheme, and the fields each user provides for it.
    static func userFields(_ service: any ComposioService, authConfigId: String) async throws -> (AuthConfigSummary, AuthScheme, [CredentialField]) {
        let config = try await service.authConfig(id: authConfigId)
        guard let scheme = config.authScheme else {
            throw CommandFailure("\(config.id) has no auth scheme onboard knows; open it in the dashboard.")
        }
        if scheme.isRedirectBased { return (config, scheme, []) }
        let fields = try await service.connectionFields(toolkit: config.toolkitSlug, scheme: scheme)
        return (config, scheme, fields.filter { !config.sharedFieldNames.contains($0.name) })
    }

    package static func accounts(
        _ service: any ComposioService, userId: String?, authConfigId: String?, status: String?, json: Bool, output: CommandOutput
    ) async throws {
        let accounts = try await service.allConnectedAccounts(
            ConnectedAccountQuery(
                userIds: userId.map { [$0] } ?? [], authConfigIds: authConfigId.map { [$0] } ?? [],
                statuses: status.map { [ConnectionStatus(rawValue: $0)] } ?? []))
        if json { return output.json(accounts.map(CommandRecords.Account.init)) }
        guard !accounts.isEmpty else { return output.err("No connected accounts match.") }
        output.out(
            PlainTable.render(
                ["ID", "STATUS", "TOOLKIT", "AUTH CONFIG", "USER", "ALIAS", "REASON"],
                accounts.map { [$0.id, Self.status($0), $0.toolkitSlug, $0.authConfigId, $0.userId ?? "", $0.alias ?? "", $0.statusReason ?? ""] }))
    }

    package static func account(_ service: any ComposioService, id: String, json: Bool, output: CommandOutput) async throws {
        let account = try await service.connectedAccount(id: id)
        if json { return output.json(CommandRecords.Account(account)) }
        var rows = [
            ["id", account.id], ["status", Self.status(account)], ["toolkit", account.toolkitSlug], ["auth config", account.authConfigId],
            ["user", account.userId ?? ""],
        ]
        if let alias = account.alias { rows.append(["alias", alias]) }
        if let reason = account.statusReason { rows.append(["reason", reason]) }
        if account.status == .initiated, let url = account.redirectURL { rows.append(["link", url]) }
        output.out(PlainTable.render(["FIELD", "VALUE"], rows))
    }

    /// The status as people read it: a disabled account says so.
    static func status(_ account: ConnectedAccount) -> String {
        account.isDisabled ? "\(account.status.rawValue) (disabled)" : account.status.rawValue
    }

    /// `accounts enable|disable`.
    package static func setEnabled(_ service: any ComposioService, id: String, enabled: Bool, json: Bool, output: CommandOutput) async throws {
        try await service.setConnectedAccountEnabled(id: id, enabled: enabled)
        let account = try await service.connectedAccount(id: id)
        if json { return output.json(CommandRecords.Account(account)) }
        output.err("\(enabled ? "Enabled" : "Disabled") \(id): now \(Self.status(account)).")
    }

    package static func deleteAccount(_ service: any ComposioService, id: String, json: Bool, output: CommandOutput) async throws {
        try await service.deleteConnectedAccount(id: id)
        if json { return output.json(CommandRecords.Deleted(id: id, deleted: true)) }
        output.err("Deleted \(id).")
    }
}
