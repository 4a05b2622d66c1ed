import OnboardCore

/// A toolkit as `GET /toolkits/{slug}` returns it; what matters to onboard is
/// `auth_config_details[].fields.connected_account_initiation`.
package struct WireToolkit: Codable, Sendable {
    package var slug: String
    package var name: String?
    package var enabled: Bool?
    package var isLocalToolkit: Bool?
    package var composioManagedAuthSchemes: [String]?
    package var authConfigDetails: [WireAuthConfigDetail]?
    package var baseUrl: String?
    package var meta: WireToolkitMeta?
    package var deprecated: Deprecated?

    package struct Deprecated: Codable, Sendable {
        package var toolkitId: String
        package var rawProxyInfoByAuthSchemes: [JSONValue]
        package init(toolkitId: String, rawProxyInfoByAuthSchemes: [JSONValue] = []) {
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

    package init(
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
    package func initiationFields(for scheme: AuthScheme) -> [CredentialField]? {
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
package struct WireAuthConfigDetail: Codable, Sendable {
    package var mode: String
    package var name: String?
    package var fields: Fields?
    package var proxy: Proxy?

    package struct Fields: Codable, Sendable {
        package var authConfigCreation: WireFieldGroup?
        package var connectedAccountInitiation: WireFieldGroup?
        enum CodingKeys: String, CodingKey {
            case authConfigCreation = "auth_config_creation"
            case connectedAccountInitiation = "connected_account_initiation"
        }
        package init(authConfigCreation: WireFieldGroup, connectedAccountInitiation: WireFieldGroup) {
            self.authConfigCreation = authConfigCreation
            self.connectedAccountInitiation = connectedAccountInitiation
        }
    }

    package struct Proxy: Codable, Sendable {
        package var baseUrl: String
        enum CodingKeys: String, CodingKey { case baseUrl = "base_url" }
    }

    package init(mode: String, name: String, fields: Fields) {
        self.mode = mode
        self.name = name
        self.fields = fields
        self.proxy = nil
    }
}

/// Required and optional fields of one group.
package struct WireFieldGroup: Codable, Sendable {
    package var required: [WireField]?
    package var optional: [WireField]?
    package init(required: [WireField], optional: [WireField]) {
        self.required = required
        self.optional = optional
    }
}

/// One field declaration. `displayName` is camelCase on the wire.
package struct WireField: Codable, Sendable {
    package var name: String
    package var displayName: String?
    package var type: String?
    package var description: String?
    package var required: Bool?
    package var defaultValue: String?
    package var isSecret: Bool?
    package var userVisible: Bool?
    package var legacyTemplateName: String?

    enum CodingKeys: String, CodingKey {
        case name, displayName, type, description, required
        case defaultValue = "default"
        case isSecret = "is_secret"
        case userVisible = "user_visible"
        case legacyTemplateName = "legacy_template_name"
    }

    package init(
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

    package init(from decoder: any Decoder) throws {
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
    package func credentialField(required: Bool) -> CredentialField {
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
package struct WireToolkitMeta: Codable, Sendable {
    package struct Category: Codable, Sendable {
        package var name: String
        package var slug: String
        package init(name: String, slug: String) {
            self.name = name
            self.slug = slug
        }
    }

    package var createdAt: String?
    package var updatedAt: String?
    package var description: String?
    package var logo: String?
    package var appUrl: String?
    package var categories: [Category]?
    package var triggersCount: Int?
    package var toolsCount: Int?
    package var version: String?
    package var availableVersions: [String]?

    enum CodingKeys: String, CodingKey {
        case description, logo, categories, version
        case createdAt = "created_at"
        case updatedAt = "updated_at"
        case appUrl = "app_url"
        case triggersCount = "triggers_count"
        case toolsCount = "tools_count"
        case availableVersions = "available_versions"
    }

    package init(description: String, logo: String, appUrl: String?, categories: [Category], createdAt: String) {
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
