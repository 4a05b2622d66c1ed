import OnboardCore

/// An auth config as the service sends it (items of `GET /auth_configs`, body of a GET by id).
///
/// Everything but `id` is optional on decode so a reply missing a field still lists.
public struct WireAuthConfig: Codable, Sendable {
    public struct ToolkitRef: Codable, Sendable {
        public var slug: String
        public var logo: String?
        public init(slug: String, logo: String?) {
            self.slug = slug
            self.logo = logo
        }
    }

    public struct ToolAccessConfig: Codable, Sendable {
        public var toolsForConnectedAccountCreation: [String]?
        public var toolsAvailableForExecution: [String]?
        enum CodingKeys: String, CodingKey {
            case toolsForConnectedAccountCreation = "tools_for_connected_account_creation"
            case toolsAvailableForExecution = "tools_available_for_execution"
        }
        public init(toolsForConnectedAccountCreation: [String]? = [], toolsAvailableForExecution: [String]? = []) {
            self.toolsForConnectedAccountCreation = toolsForConnectedAccountCreation
            self.toolsAvailableForExecution = toolsAvailableForExecution
        }
    }

    public var id: String
    public var uuid: String?
    public var type: String?
    public var toolkit: ToolkitRef?
    public var name: String?
    public var authScheme: AuthScheme?
    public var isComposioManaged: Bool?
    public var credentials: [String: JSONValue]?
    public var sharedCredentials: [String: JSONValue]?
    public var status: String?
    public var createdBy: String?
    public var createdAt: String?
    public var lastUpdatedAt: String?
    public var noOfConnections: Double?
    public var expectedInputFields: [JSONValue]?
    public var toolAccessConfig: ToolAccessConfig?
    public var isEnabledForToolRouter: Bool?
    public var restrictToFollowingTools: [String]?
    public var proxyConfig: JSONValue?
    public var scopes: JSONValue?
    public var userScopes: JSONValue?

    enum CodingKeys: String, CodingKey {
        case id, uuid, type, toolkit, name, credentials, status
        case authScheme = "auth_scheme"
        case isComposioManaged = "is_composio_managed"
        case sharedCredentials = "shared_credentials"
        case createdBy = "created_by"
        case createdAt = "created_at"
        case lastUpdatedAt = "last_updated_at"
        case noOfConnections = "no_of_connections"
        case expectedInputFields = "expected_input_fields"
        case toolAccessConfig = "tool_access_config"
        case isEnabledForToolRouter = "is_enabled_for_tool_router"
        case restrictToFollowingTools = "restrict_to_following_tools"
        case proxyConfig = "proxy_config"
        case scopes
        case userScopes = "user_scopes"
    }

    public init(
        id: String, uuid: String, type: String, toolkit: ToolkitRef, name: String, authScheme: AuthScheme,
        isComposioManaged: Bool, credentials: [String: JSONValue], sharedCredentials: [String: JSONValue],
        status: String, createdBy: String, createdAt: String, lastUpdatedAt: String, noOfConnections: Int
    ) {
        self.id = id
        self.uuid = uuid
        self.type = type
        self.toolkit = toolkit
        self.name = name
        self.authScheme = authScheme
        self.isComposioManaged = isComposioManaged
        self.credentials = credentials
        self.sharedCredentials = sharedCredentials
        self.status = status
        self.createdBy = createdBy
        self.createdAt = createdAt
        self.lastUpdatedAt = lastUpdatedAt
        self.noOfConnections = Double(noOfConnections)
        self.expectedInputFields = []
        self.toolAccessConfig = ToolAccessConfig()
        self.isEnabledForToolRouter = false
    }

    /// The wizard's view of it.
    public var summary: AuthConfigSummary {
        AuthConfigSummary(
            id: id,
            name: name ?? id,
            toolkitSlug: toolkit?.slug ?? "",
            authScheme: authScheme,
            isEnabled: (status ?? "ENABLED").uppercased() != "DISABLED",
            isComposioManaged: isComposioManaged ?? false,
            connectionCount: noOfConnections.map { Int($0) } ?? 0,
            sharedFieldNames: Set((sharedCredentials ?? [:]).keys)
        )
    }
}
