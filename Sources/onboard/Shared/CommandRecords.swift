import OnboardCore

/// What `--json` prints: stable, snake_case shapes for scripts. Never a credential value.
enum CommandRecords {
    struct AuthConfig: Encodable {
        var id: String
        var name: String
        var toolkit: String
        var authScheme: String?
        var status: String
        var isComposioManaged: Bool
        var connectionCount: Int
        var sharedFields: [String]

        init(_ config: AuthConfigSummary) {
            id = config.id
            name = config.name
            toolkit = config.toolkitSlug
            authScheme = config.authScheme?.rawValue
            status = config.isEnabled ? "ENABLED" : "DISABLED"
            isComposioManaged = config.isComposioManaged
            connectionCount = config.connectionCount
            sharedFields = config.sharedFieldNames.sorted()
        }
    }

    struct Field: Encodable {
        var name: String
        var displayName: String
        var description: String
        var required: Bool
        var secret: Bool
        var multiline: Bool
        var `default`: String?

        init(_ field: CredentialField) {
            name = field.name
            displayName = field.displayName
            description = field.description
            required = field.isRequired
            secret = field.isSecret
            multiline = field.isMultiline
            self.default = field.isSecret ? nil : field.defaultValue
        }
    }

    struct Fields: Encodable {
        var authConfigId: String
        var toolkit: String
        var authScheme: String
        /// Fields each user provides, required first.
        var fields: [Field]
        /// Fields the auth config's shared credentials already provide.
        var sharedFields: [String]
    }

    struct Account: Encodable {
        var id: String
        var status: String
        var statusReason: String?
        var toolkit: String
        var authConfigId: String
        var userId: String?
        var redirectUrl: String?
        var alias: String?
        var isDisabled: Bool

        init(_ account: ConnectedAccount) {
            alias = account.alias
            isDisabled = account.isDisabled
            id = account.id
            status = account.status.rawValue
            statusReason = account.statusReason
            toolkit = account.toolkitSlug
            authConfigId = account.authConfigId
            userId = account.userId
            redirectUrl = account.status == .initiated ? account.redirectURL : nil
        }
    }

    struct Connected: Encodable {
        var account: Account
        /// Accounts deleted because this one replaced them.
        var replaced: [String]
        /// The wait ended before the status settled.
        var timedOut: Bool
    }

    struct Deleted: Encodable {
        var id: String
        var deleted: Bool
    }

    struct Rotated: Encodable {
        var authConfigId: String
        /// The shared-credential fields that were sent (never their values).
        var updatedFields: [String]
        /// The shared-credential fields the config has after the update, as read back.
        var sharedFields: [String]
    }
}
