import ComposioAPI
import Foundation
import GRDB
import OnboardCore

/// A project: the unit that owns API keys, auth configs and connected accounts.
struct ProjectRecord: SandboxRecord {
    static let databaseTableName = "project"
    var id: String
    var name: String
    var orgId: String
    var orgName: String
    var createdAt: Date

    enum CodingKeys: String, CodingKey {
        case id, name
        case orgId = "org_id"
        case orgName = "org_name"
        case createdAt = "created_at"
    }
}

/// An API key, stored only as its SHA-256 digest.
struct APIKeyRecord: SandboxRecord {
    static let databaseTableName = "api_key"
    var digest: String
    var projectId: String
    var name: String
    var readOnly: Bool
    var createdAt: Date

    enum CodingKeys: String, CodingKey {
        case digest, name
        case projectId = "project_id"
        case readOnly = "read_only"
        case createdAt = "created_at"
    }
}

/// An auth config. Shared credentials are sealed (AES-GCM) at rest.
struct AuthConfigRecord: SandboxRecord {
    static let databaseTableName = "auth_config"
    var id: String
    var uuid: String
    var projectId: String
    var name: String
    var toolkitSlug: String
    var authScheme: String
    /// "default" (Composio-managed) or "custom".
    var type: String
    var isEnabled: Bool
    var sharedCredentials: Data?
    /// Field names of the shared credentials, in clear, so listing needs no decryption.
    var sharedFieldNames: String
    /// Sealed `credentials` of a custom config (client ids and secrets); merged on PATCH.
    var credentials: Data?
    var isDeleted: Bool = false
    /// The PATCH-able settings kept as given (a JSON object): `tool_access_config`,
    /// `restrict_to_following_tools`, `scopes`, `user_scopes`, `proxy_config`,
    /// `is_enabled_for_tool_router`.
    var settings: String = "{}"
    var createdAt: Date
    var updatedAt: Date

    enum CodingKeys: String, CodingKey {
        case id, uuid, name, type, credentials, settings
        case isDeleted = "is_deleted"
        case projectId = "project_id"
        case toolkitSlug = "toolkit_slug"
        case authScheme = "auth_scheme"
        case isEnabled = "is_enabled"
        case sharedCredentials = "shared_credentials"
        case sharedFieldNames = "shared_field_names"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }
}

/// A connected account. Credentials are sealed (AES-GCM) at rest and never returned.
struct ConnectedAccountRecord: SandboxRecord {
    static let databaseTableName = "connected_account"
    var id: String
    var uuid: String
    var projectId: String
    var authConfigId: String
    var userId: String
    var toolkitSlug: String
    var authScheme: String
    var status: String
    var statusReason: String?
    var isDisabled: Bool
    var alias: String?
    var credentials: Data
    /// Set for accounts started through a hosted link: the token in its URL and when it lapses.
    var linkToken: String?
    var expiresAt: Date?
    var callbackURL: String?
    /// When the person on the link's page pressed "Ask for help" (the sandbox's page only).
    var helpRequestedAt: Date?
    var isDeleted: Bool = false
    var createdAt: Date
    var updatedAt: Date

    enum CodingKeys: String, CodingKey {
        case id, uuid, status, alias, credentials
        case linkToken = "link_token"
        case expiresAt = "expires_at"
        case callbackURL = "callback_url"
        case helpRequestedAt = "help_requested_at"
        case isDeleted = "is_deleted"
        case projectId = "project_id"
        case authConfigId = "auth_config_id"
        case userId = "user_id"
        case toolkitSlug = "toolkit_slug"
        case authScheme = "auth_scheme"
        case statusReason = "status_reason"
        case isDisabled = "is_disabled"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }
}

/// A sandbox table's record. Dates are stored as GRDB's own text format, written and read by
/// ``UTCTimestamp``: GRDB's default goes through `DateFormatter`, which loads ICU into every
/// process that touches the database (the wizard included).
protocol SandboxRecord: Codable, Sendable, FetchableRecord, PersistableRecord {}

extension SandboxRecord {
    static func databaseDateEncodingStrategy(for column: String) -> DatabaseDateEncodingStrategy {
        .custom { UTCTimestamp.storage($0) }
    }

    static func databaseDateDecodingStrategy(for column: String) -> DatabaseDateDecodingStrategy {
        .custom { value in String.fromDatabaseValue(value).flatMap(UTCTimestamp.parse) }
    }
}
