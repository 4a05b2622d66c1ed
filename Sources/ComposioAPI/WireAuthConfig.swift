import OnboardCore

/// An auth config as the service sends it (items of `GET /auth_configs`, body of a GET by id).
///
/// Everything but `id` is optional on decode so a reply missing a field still lists.
package struct WireAuthConfig: Codable, Sendable {
    package struct ToolkitRef: Codable, Sendable {
        package var slug: String
        package var logo: String?
        package init(slug: String, logo: String?) {
            self.slug = slug
            self.logo = logo
        }
    }

    package struct ToolAccessConfig: Codable, Sendable {
        package var toolsForConnectedAccountCreation: [String]?
        package var toolsAvailableForExecution: [String]?
        enum CodingKeys: String, CodingKey {
            case toolsForConnectedAccountCreation = "tools_for_connected_account_creation"
            case toolsAvailableForExecution = "tools_available_for_execution"
        }
        package init(toolsForConnectedAccountCreation: [String]? = [], toolsAvailableForExecution: [String]? = []) {
            self.toolsForConnectedAccountCreation = toolsForConnectedAccountCreation
            self.toolsAvailableForExecution = toolsAvailableForExecution
        }
    }

    package var id: String
    package var uuid: String?
    package var type: String?
    package var toolkit: ToolkitRef?
    package var name: String?
    package var authScheme: AuthScheme?
    package var isComposioManaged: Bool?
    package var credentials: [String: JSONValue]?
    package var sharedCredentials: [String: JSONValue]?
    package var status: String?
    package var createdBy: String?
    package var createdAt: String?
    package var lastUpdatedAt: String?
    package var noOfConnections: Double?
    package var expectedInputFields: [JSONValue]?
    package var toolAccessConfig: ToolAccessConfig?
    package var isEnabledForToolRouter: Bool?
    package var restrictToFollowingTools: [String]?
    package var proxyConfig: JSONValue?
    package var scopes: JSONValue?
    package var userScopes: JSONValue?

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

    package init(
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
    package var summary: AuthConfigSummary {
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
