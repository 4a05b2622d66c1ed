import OnboardCore

/// A toolkit as `GET /toolkits/{slug}` returns it; what matters to onboard is
/// `auth_config_details[].fields.connected_account_initiation`.
public struct WireToolkit: Codable, Sendable {
    public var slug: String
    public var name: String?
    public var enabled: Bool?
    public var isLocalToolkit: Bool?
    public var composioManagedAuthSchemes: [String]?
    public var authConfigDetails: [WireAuthConfigDetail]?
    public var baseUrl: String?
    public var meta: WireToolkitMeta?
    public var deprecated: Deprecated?

    public struct Deprecated: Codable, Sendable {
        public var toolkitId: String
        public var rawProxyInfoByAuthSchemes: [JSONValue]
        public init(toolkitId: String, rawProxyInfoByAuthSchemes: [JSONValue] = []) {
            self.toolkitId = toolkitId
            self.rawProxyInfoByAuthSchemes = rawProxyInfoByAuthSchemes
        }
    }

    enum CodingKeys: String, CodingKey {
        case slug, name, enabled, meta, deprecated
        case isLocalToolkit = "is_local_toolkit"
        case composioManagedAuthSchemes = "composio_managed_auth_schemes"
        case authConfigDetails = "auth_config_details"
        case baseUrl = "base_url"
    }

    public init(
        slug: String, name: String, composioManagedAuthSchemes: [String], authConfigDetails: [WireAuthConfigDetail],
        baseUrl: String?, meta: WireToolkitMeta
    ) {
        self.slug = slug
        self.name = name
        self.enabled = true
        self.isLocalToolkit = false
        self.composioManagedAuthSchemes = composioManagedAuthSchemes
        self.authConfigDetails = authConfigDetails
        self.baseUrl = baseUrl
        self.meta = meta
        self.deprecated = Deprecated(toolkitId: slug)
    }

    /// The fields a user provides to connect with `scheme`: required first, then optional,
    /// with `is_secret` taken from the server or, where missing, from the field's name.
    /// Nil when the toolkit does not offer that scheme.
    public func initiationFields(for scheme: AuthScheme) -> [CredentialField]? {
        guard let detail = authConfigDetails?.first(where: { AuthScheme(rawValue: $0.mode) == scheme }) else {
            return nil
        }
        let group = detail.fields?.connectedAccountInitiation
        let required = (group?.required ?? []).map { $0.credentialField(required: true) }
        let optional = (group?.optional ?? []).map { $0.credentialField(required: false) }
        return required + optional
    }
}

/// One auth method a toolkit offers, with the fields it needs.
public struct WireAuthConfigDetail: Codable, Sendable {
    public var mode: String
    public var name: String?
    public var fields: Fields?
    public var proxy: Proxy?

    public struct Fields: Codable, Sendable {
        public var authConfigCreation: WireFieldGroup?
        public var connectedAccountInitiation: WireFieldGroup?
        enum CodingKeys: String, CodingKey {
            case authConfigCreation = "auth_config_creation"
            case connectedAccountInitiation = "connected_account_initiation"
        }
        public init(authConfigCreation: WireFieldGroup, connectedAccountInitiation: WireFieldGroup) {
            self.authConfigCreation = authConfigCreation
            self.connectedAccountInitiation = connectedAccountInitiation
        }
    }

    public struct Proxy: Codable, Sendable {
        public var baseUrl: String
        enum CodingKeys: String, CodingKey { case baseUrl = "base_url" }
    }

    public init(mode: String, name: String, fields: Fields) {
        self.mode = mode
        self.name = name
        self.fields = fields
        self.proxy = nil
    }
}

/// Required and optional fields of one group.
public struct WireFieldGroup: Codable, Sendable {
    public var required: [WireField]?
    public var optional: [WireField]?
    public init(required: [WireField], optional: [WireField]) {
        self.required = required
        self.optional = optional
    }
}

/// One field declaration. `displayName` is camelCase on the wire.
public struct WireField: Codable, Sendable {
    public var name: String
    public var displayName: String?
    public var type: String?
    public var description: String?
    public var required: Bool?
    public var defaultValue: String?
    public var isSecret: Bool?
    public var userVisible: Bool?
    public var legacyTemplateName: String?

    enum CodingKeys: String, CodingKey {
        case name, displayName, type, description, required
        case defaultValue = "default"
        case isSecret = "is_secret"
        case userVisible = "user_visible"
        case legacyTemplateName = "legacy_template_name"
    }

    public init(
        name: String, displayName: String, type: String = "string", description: String, required: Bool,
        defaultValue: String? = nil, isSecret: Bool
    ) {
        self.name = name
        self.displayName = displayName
        self.type = type
        self.description = description
        self.required = required
        self.defaultValue = defaultValue
        self.isSecret = isSecret
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try container.decode(String.self, forKey: .name)
        displayName = try container.decodeIfPresent(String.self, forKey: .displayName)
        type = try container.decodeIfPresent(String.self, forKey: .type)
        description = try container.decodeIfPresent(String.self, forKey: .description)
        required = try container.decodeIfPresent(Bool.self, forKey: .required)
        // `default` is documented as string|null but numbers and booleans occur.
        defaultValue = try container.decodeIfPresent(JSONValue.self, forKey: .defaultValue)?.text
        isSecret = try container.decodeIfPresent(Bool.self, forKey: .isSecret)
        userVisible = try container.decodeIfPresent(Bool.self, forKey: .userVisible)
        legacyTemplateName = try container.decodeIfPresent(String.self, forKey: .legacyTemplateName)
    }

    /// The domain field; `required` comes from the list the field was in, as the SDKs do.
    public func credentialField(required: Bool) -> CredentialField {
        CredentialField(
            name: name,
            displayName: displayName ?? name,
            description: description ?? "",
            isRequired: required,
            defaultValue: defaultValue,
            isSecret: isSecret ?? CredentialField.looksSecret(name: name),
            isMultiline: CredentialField.looksMultiline(name: name, type: type)
        )
    }
}

/// Toolkit metadata (required by the contract; onboard shows only the description).
public struct WireToolkitMeta: Codable, Sendable {
    public struct Category: Codable, Sendable {
        public var name: String
        public var slug: String
        public init(name: String, slug: String) {
            self.name = name
            self.slug = slug
        }
    }

    public var createdAt: String?
    public var updatedAt: String?
    public var description: String?
    public var logo: String?
    public var appUrl: String?
    public var categories: [Category]?
    public var triggersCount: Int?
    public var toolsCount: Int?
    public var version: String?
    public var availableVersions: [String]?

    enum CodingKeys: String, CodingKey {
        case description, logo, categories, version
        case createdAt = "created_at"
        case updatedAt = "updated_at"
        case appUrl = "app_url"
        case triggersCount = "triggers_count"
        case toolsCount = "tools_count"
        case availableVersions = "available_versions"
    }

    public init(description: String, logo: String, appUrl: String?, categories: [Category], createdAt: String) {
        self.createdAt = createdAt
        self.updatedAt = createdAt
        self.description = description
        self.logo = logo
        self.appUrl = appUrl
        self.categories = categories
        self.triggersCount = 0
        self.toolsCount = 0
        self.version = "latest"
        self.availableVersions = ["latest"]
    }
}
