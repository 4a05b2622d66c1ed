import OnboardCore

/// What to list: a page of auth configs, optionally narrowed.
package struct AuthConfigQuery: Equatable, Sendable {
    package var search: String?
    package var toolkitSlug: String?
    package var showDisabled: Bool
    package var limit: Int
    package var cursor: String?

    /// The contract caps auth config pages at 50 since mid-2026.
    package static let maximumLimit = 50

    package init(search: String? = nil, toolkitSlug: String? = nil, showDisabled: Bool = false, limit: Int = maximumLimit, cursor: String? = nil) {
        self.search = search
        self.toolkitSlug = toolkitSlug
        self.showDisabled = showDisabled
        self.limit = min(limit, Self.maximumLimit)
        self.cursor = cursor
    }
}

/// What to list: connected accounts narrowed by user, config, toolkit or status.
package struct ConnectedAccountQuery: Equatable, Sendable {
    package var userIds: [String]
    package var authConfigIds: [String]
    package var toolkitSlugs: [String]
    package var statuses: [ConnectionStatus]
    package var limit: Int
    package var cursor: String?
    /// Newest first unless false.
    package var newestFirst: Bool

    package init(
        userIds: [String] = [], authConfigIds: [String] = [], toolkitSlugs: [String] = [], statuses: [ConnectionStatus] = [],
        limit: Int = 100, cursor: String? = nil, newestFirst: Bool = true
    ) {
        self.userIds = userIds
        self.authConfigIds = authConfigIds
        self.toolkitSlugs = toolkitSlugs
        self.statuses = statuses
        self.limit = limit
        self.cursor = cursor
        self.newestFirst = newestFirst
    }
}

/// Every operation the front ends need from a Composio-compatible service.
/// Failures are thrown as ``APIError``.
package protocol ComposioService: Sendable {
    /// The project the key belongs to; a 401/403 here means the key is unusable.
    func sessionInfo() async throws -> ProjectInfo
    /// One page of auth configs.
    func listAuthConfigs(_ query: AuthConfigQuery) async throws -> AuthConfigPage
    /// One auth config.
    func authConfig(id: String) async throws -> AuthConfigSummary
    /// Replaces an auth config's shared credentials, then reads the config back.
    func updateSharedCredentials(authConfigId: String, configType: String, values: [String: Secret]) async throws -> AuthConfigSummary
    /// The fields a user provides to connect `toolkit` with `scheme` (required, then optional).
    func connectionFields(toolkit: String, scheme: AuthScheme) async throws -> [CredentialField]
    /// One page of connected accounts.
    func listConnectedAccounts(_ query: ConnectedAccountQuery) async throws -> ConnectedAccountPage
    /// Creates a connected account from credentials; never creates two for one call.
    func createConnectedAccount(_ request: ConnectionRequest) async throws -> ConnectedAccount
    /// Reads one connected account.
    func connectedAccount(id: String) async throws -> ConnectedAccount
    /// Changes an account in place, keeping its id: some credential values (nil removes one;
    /// none sent leaves them alone) and/or its alias ("" clears it). Returns its status after.
    func updateConnectedAccount(id: String, scheme: AuthScheme, values: [String: Secret?], alias: String?) async throws -> ConnectionStatus
    /// Enables (ACTIVE) or disables (INACTIVE, kept but unusable) an account.
    func setConnectedAccountEnabled(id: String, enabled: Bool) async throws
    /// Deletes a connected account.
    func deleteConnectedAccount(id: String) async throws
    /// Starts a hosted connect link for `userId` on an auth config; `alias` names the account.
    func createLink(authConfigId: String, userId: String, callbackURL: String?, alias: String?) async throws -> HostedLink
}

extension ComposioService {
    /// A hosted connect link for an account without a name.
    package func createLink(authConfigId: String, userId: String, callbackURL: String?) async throws -> HostedLink {
        try await createLink(authConfigId: authConfigId, userId: userId, callbackURL: callbackURL, alias: nil)
    }

    /// Changes some credential values, nothing else.
    @discardableResult
    package func updateConnectedAccount(id: String, scheme: AuthScheme, values: [String: Secret?]) async throws -> ConnectionStatus {
        try await updateConnectedAccount(id: id, scheme: scheme, values: values, alias: nil)
    }

    /// Every connected account the query matches, following `next_cursor` through all pages.
    package func allConnectedAccounts(_ query: ConnectedAccountQuery) async throws -> [ConnectedAccount] {
        var query = query
        var accounts: [ConnectedAccount] = []
        repeat {
            let page = try await listConnectedAccounts(query)
            accounts += page.items
            query.cursor = page.nextCursor
        } while query.cursor != nil
        return accounts
    }
}
