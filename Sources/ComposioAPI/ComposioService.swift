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

/// Every operation the front ends need from a Composio-compatible service.
/// Failures are thrown as ``APIError``.
public protocol ComposioService: Sendable {
    /// One page of auth configs.
    func listAuthConfigs(_ query: AuthConfigQuery) async throws -> AuthConfigPage
    /// The fields a user provides to connect `toolkit` with `scheme` (required, then optional).
    func connectionFields(toolkit: String, scheme: AuthScheme) async throws -> [CredentialField]
    /// Creates a connected account from credentials.
    func createConnectedAccount(_ request: ConnectionRequest) async throws -> ConnectedAccount
    /// Reads one connected account.
    func connectedAccount(id: String) async throws -> ConnectedAccount
}
