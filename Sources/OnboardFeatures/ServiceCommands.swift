import ComposioAPI
import Foundation
import OnboardCore

/// The read and delete commands: `auth-configs`, `fields`, `accounts`, `accounts get|enable|
/// disable|delete`. Each returns what it found; the command renders it as a table or JSON.
package enum ServiceCommands {
    /// Every auth config matching `search`, all pages.
    package static func authConfigs(_ service: any ComposioService, search: String?, showDisabled: Bool) async throws -> [AuthConfigSummary] {
        var configs: [AuthConfigSummary] = []
        var cursor: String?
        repeat {
            let page = try await service.listAuthConfigs(AuthConfigQuery(search: search, showDisabled: showDisabled, cursor: cursor))
            configs += page.items
            cursor = page.nextCursor
        } while cursor != nil
        return configs
    }

    /// An auth config and the fields each user provides for it.
    package struct UserFields: Sendable {
        package var config: AuthConfigSummary
        package var scheme: AuthScheme
        /// Empty for a redirect-based scheme (its tokens come through a link).
        package var fields: [CredentialField]
    }

    /// The fields a user provides for an auth config (its shared credentials' fields left out).
    package static func fields(_ service: any ComposioService, authConfigId: String) async throws -> UserFields {
        let (config, scheme, fields) = try await userFields(service, authConfigId: authConfigId)
        return UserFields(config: config, scheme: scheme, fields: fields)
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

    /// Every connected account matching the filters, all pages.
    package static func accounts(_ service: any ComposioService, userId: String?, authConfigId: String?, status: String?) async throws
        -> [ConnectedAccount]
    {
        try await service.allConnectedAccounts(
            ConnectedAccountQuery(
                userIds: userId.map { [$0] } ?? [], authConfigIds: authConfigId.map { [$0] } ?? [],
                statuses: status.map { [ConnectionStatus(rawValue: $0)] } ?? []))
    }

    package static func account(_ service: any ComposioService, id: String) async throws -> ConnectedAccount {
        try await service.connectedAccount(id: id)
    }

    /// `accounts enable|disable`: the account as it is afterwards.
    package static func setEnabled(_ service: any ComposioService, id: String, enabled: Bool) async throws -> ConnectedAccount {
        try await service.setConnectedAccountEnabled(id: id, enabled: enabled)
        return try await service.connectedAccount(id: id)
    }

    package static func deleteAccount(_ service: any ComposioService, id: String) async throws {
        try await service.deleteConnectedAccount(id: id)
    }

    /// The status as people read it: a disabled account says so.
    package static func status(_ account: ConnectedAccount) -> String {
        account.isDisabled ? "\(account.status.rawValue) (disabled)" : account.status.rawValue
    }
}
