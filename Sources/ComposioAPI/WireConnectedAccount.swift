import OnboardCore

/// `state` of a connected account, decoded without its credentials: only the keys onboard
/// needs are read, so an echoed key never enters memory from a reply.
package struct WireConnectionStateSummary: Codable, Sendable {
    package struct Val: Codable, Sendable {
        package var status: ConnectionStatus?
        package var redirectUrl: String?
        package var error: String?
        package var errorDescription: String?
        enum CodingKeys: String, CodingKey {
            case status, redirectUrl, error
            case errorDescription = "error_description"
        }
        /// The account's other `val` keys, as a server writes them: credential keys with the
        /// value `REDACTED`, connection fields (subdomain, region) as stored. Encoded only: a
        /// client decodes no `val` key but the ones above, so no echoed credential is kept.
        package var fields: [String: String] = [:]

        package init(status: ConnectionStatus?, redirectUrl: String? = nil, fields: [String: String] = [:]) {
            self.status = status
            self.redirectUrl = redirectUrl
            self.fields = fields
        }

        package init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            status = try container.decodeIfPresent(ConnectionStatus.self, forKey: .status)
            redirectUrl = try container.decodeIfPresent(String.self, forKey: .redirectUrl)
            error = try container.decodeIfPresent(String.self, forKey: .error)
            errorDescription = try container.decodeIfPresent(String.self, forKey: .errorDescription)
        }

        package func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: WireConnectionValues.Key.self)
            for (name, value) in fields where CodingKeys(stringValue: name) == nil {
                try container.encode(value, forKey: WireConnectionValues.Key(stringValue: name))
            }
            try container.encodeIfPresent(status, forKey: WireConnectionValues.Key(stringValue: "status"))
            try container.encodeIfPresent(redirectUrl, forKey: WireConnectionValues.Key(stringValue: "redirectUrl"))
            try container.encodeIfPresent(error, forKey: WireConnectionValues.Key(stringValue: "error"))
            try container.encodeIfPresent(errorDescription, forKey: WireConnectionValues.Key(stringValue: "error_description"))
        }
    }

    package var authScheme: String?
    package var val: Val?

    package init(authScheme: String, val: Val) {
        self.authScheme = authScheme
        self.val = val
    }
}

/// A connected account (`GET /connected_accounts/{id}` and list items).
package struct WireConnectedAccount: Codable, Sendable {
    package struct ToolkitRef: Codable, Sendable {
        package var slug: String
    }

    package struct AuthConfigRef: Codable, Sendable {
        package var id: String
        package var authScheme: String?
        package var isComposioManaged: Bool?
        package var isDisabled: Bool?
        enum CodingKeys: String, CodingKey {
            case id
            case authScheme = "auth_scheme"
            case isComposioManaged = "is_composio_managed"
            case isDisabled = "is_disabled"
        }
        package init(id: String, authScheme: String?, isComposioManaged: Bool?, isDisabled: Bool?) {
            self.id = id
            self.authScheme = authScheme
            self.isComposioManaged = isComposioManaged
            self.isDisabled = isDisabled
        }
    }

    package struct Deprecated: Codable, Sendable {
        package var labels: [String]
        package var uuid: String
    }

    package var id: String
    package var alias: String?
    package var wordId: String?
    package var userId: String?
    package var status: ConnectionStatus?
    package var statusReason: String?
    package var isDisabled: Bool?
    package var toolkit: ToolkitRef?
    package var authConfig: AuthConfigRef?
    package var state: WireConnectionStateSummary?
    package var createdAt: String?
    package var updatedAt: String?
    package var deprecated: Deprecated?
    /// onboard's sandbox only: when the person on the link's page asked for help (Composio's
    /// hosted page has no such button, and sends no such field).
    package var linkHelpRequestedAt: String?

    enum CodingKeys: String, CodingKey {
        case id, alias, status, toolkit, state, deprecated, data, params
        case wordId = "word_id"
        case userId = "user_id"
        case statusReason = "status_reason"
        case isDisabled = "is_disabled"
        case authConfig = "auth_config"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
        case linkHelpRequestedAt = "onboard_link_help_requested_at"
    }

    package init(
        id: String, alias: String?, userId: String, status: ConnectionStatus, statusReason: String?,
        isDisabled: Bool, toolkitSlug: String, authConfig: AuthConfigRef, state: WireConnectionStateSummary,
        createdAt: String, updatedAt: String, uuid: String, linkHelpRequestedAt: String? = nil
    ) {
        self.linkHelpRequestedAt = linkHelpRequestedAt
        self.id = id
        self.alias = alias
        self.wordId = nil
        self.userId = userId
        self.status = status
        self.statusReason = statusReason
        self.isDisabled = isDisabled
        self.toolkit = ToolkitRef(slug: toolkitSlug)
        self.authConfig = authConfig
        self.state = state
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.deprecated = Deprecated(labels: [], uuid: uuid)
    }

    package init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(String.self, forKey: .id)
        alias = try container.decodeIfPresent(String.self, forKey: .alias)
        wordId = try container.decodeIfPresent(String.self, forKey: .wordId)
        userId = try container.decodeIfPresent(String.self, forKey: .userId)
        status = try container.decodeIfPresent(ConnectionStatus.self, forKey: .status)
        statusReason = try container.decodeIfPresent(String.self, forKey: .statusReason)
        isDisabled = try container.decodeIfPresent(Bool.self, forKey: .isDisabled)
        toolkit = try container.decodeIfPresent(ToolkitRef.self, forKey: .toolkit)
        authConfig = try container.decodeIfPresent(AuthConfigRef.self, forKey: .authConfig)
        state = try container.decodeIfPresent(WireConnectionStateSummary.self, forKey: .state)
        createdAt = try container.decodeIfPresent(String.self, forKey: .createdAt)
        updatedAt = try container.decodeIfPresent(String.self, forKey: .updatedAt)
        deprecated = try container.decodeIfPresent(Deprecated.self, forKey: .deprecated)
        linkHelpRequestedAt = try? container.decodeIfPresent(String.self, forKey: .linkHelpRequestedAt)
        // `data` and `params` are deprecated and may echo credentials: never decoded.
    }

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encodeIfPresent(alias, forKey: .alias)
        try container.encodeIfPresent(wordId, forKey: .wordId)
        try container.encode(userId ?? "", forKey: .userId)
        try container.encode(status, forKey: .status)
        // Required by the contract, nullable: an explicit null when there is no reason.
        try container.encode(statusReason, forKey: .statusReason)
        try container.encode(isDisabled ?? false, forKey: .isDisabled)
        try container.encodeIfPresent(toolkit, forKey: .toolkit)
        try container.encodeIfPresent(authConfig, forKey: .authConfig)
        try container.encodeIfPresent(state, forKey: .state)
        try container.encodeIfPresent(createdAt, forKey: .createdAt)
        try container.encodeIfPresent(updatedAt, forKey: .updatedAt)
        try container.encodeIfPresent(deprecated, forKey: .deprecated)
        try container.encodeIfPresent(linkHelpRequestedAt, forKey: .linkHelpRequestedAt)
        try container.encode([String: JSONValue](), forKey: .data)
        try container.encode([String: JSONValue](), forKey: .params)
    }

    /// The wizard's view of it.
    package var account: ConnectedAccount {
        ConnectedAccount(
            id: id,
            status: status ?? state?.val?.status ?? .initializing,
            statusReason: statusReason,
            toolkitSlug: toolkit?.slug ?? "",
            authConfigId: authConfig?.id ?? "",
            userId: userId,
            redirectURL: state?.val?.redirectUrl,
            alias: alias,
            isDisabled: isDisabled ?? false,
            helpRequestedAt: linkHelpRequestedAt.flatMap(UTCTimestamp.parse)
        )
    }
}

/// The 201 body of `POST /connected_accounts`.
package struct WireCreateConnectedAccountResponse: Codable, Sendable {
    package struct Deprecated: Codable, Sendable {
        package var uuid: String
        package var authConfigUuid: String
    }

    package var id: String
    package var connectionData: WireConnectionStateSummary?
    package var status: ConnectionStatus?
    package var redirectUrl: String?
    package var redirectUri: String?
    package var deprecated: Deprecated?

    enum CodingKeys: String, CodingKey {
        case id, connectionData, status, deprecated
        case redirectUrl = "redirect_url"
        case redirectUri = "redirect_uri"
    }

    package init(id: String, connectionData: WireConnectionStateSummary, status: ConnectionStatus, redirectUrl: String?, uuid: String, authConfigUuid: String) {
        self.id = id
        self.connectionData = connectionData
        self.status = status
        self.redirectUrl = redirectUrl
        self.redirectUri = redirectUrl
        self.deprecated = Deprecated(uuid: uuid, authConfigUuid: authConfigUuid)
    }

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encodeIfPresent(connectionData, forKey: .connectionData)
        try container.encode(status, forKey: .status)
        try container.encode(redirectUrl, forKey: .redirectUrl)
        try container.encode(redirectUri, forKey: .redirectUri)
        try container.encodeIfPresent(deprecated, forKey: .deprecated)
    }

    /// The account as far as the create reply tells.
    package func account(authConfigId: String, userId: String) -> ConnectedAccount {
        ConnectedAccount(
            id: id,
            status: connectionData?.val?.status ?? status ?? .initializing,
            toolkitSlug: "",
            authConfigId: authConfigId,
            userId: userId,
            redirectURL: connectionData?.val?.redirectUrl ?? redirectUrl
        )
    }
}
