import OnboardCore

/// What to list: a page of auth configs, optionally narrowed.
public struct AuthConfigQuery: Equatable, Sendable {
    public var search: String?
    public var toolkitSlug: String?
    public var showDisabled: Bool
    public var limit: Int
    public var cursor: String?

    /// The contract caps auth config pages at 50 since mid-2026.
    public static let maximumLimit = 50

    public init(search: String? = nil, toolkitSlug: String? = nil, showDisabled: Bool = false, limit: Int = maximumLimit, cursor: String? = nil) {
        self.search = search
        self.toolkitSlug = toolkitSlug
        self.showDisabled = showDisabled
        self.limit = min(limit, Self.maximumLimit)
        self.cursor = cursor
    }
}

/// What to list: connected accounts narrowed by user, config, toolkit or status.
public struct ConnectedAccountQuery: Equatable, Sendable {
    public var userIds: [String]
    public var authConfigIds: [String]
    public var toolkitSlugs: [String]
    public var statuses: [ConnectionStatus]
    public var limit: Int
    public var cursor: String?
    /// Newest first unless false.
    public var newestFirst: Bool

    public init(
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
public protocol ComposioService: Sendable {
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
    public func createLink(authConfigId: String, userId: String, callbackURL: String?) async throws -> HostedLink {
        try await createLink(authConfigId: authConfigId, userId: userId, callbackURL: callbackURL, alias: nil)
    }

    /// Changes some credential values, nothing else.
    @discardableResult
    public func updateConnectedAccount(id: String, scheme: AuthScheme, values: [String: Secret?]) async throws -> ConnectionStatus {
        try await updateConnectedAccount(id: id, scheme: scheme, values: values, alias: nil)
    }

    /// Every connected account the query matches, following `next_cursor` through all pages.
    public func allConnectedAccounts(_ query: ConnectedAccountQuery) async throws -> [ConnectedAccount] {
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
