import OnboardCore

/// Shared sample data for the wizard's tests.
enum Fixtures {
    static let sendgrid = AuthConfigSummary(id: "ac_sendgrid", name: "SendGrid", toolkitSlug: "sendgrid", authScheme: .apiKey)
    static let freshdesk = AuthConfigSummary(id: "ac_fresh", name: "Freshdesk", toolkitSlug: "freshdesk", authScheme: .apiKey)
    static let jira = AuthConfigSummary(id: "ac_jira", name: "Jira", toolkitSlug: "jira", authScheme: .basic)
    static let github = AuthConfigSummary(id: "ac_github", name: "GitHub", toolkitSlug: "github", authScheme: .oauth2)

    /// A filler API-key config for long lists.
    static func config(_ id: String, name: String) -> AuthConfigSummary {
        AuthConfigSummary(id: id, name: name, toolkitSlug: "demo", authScheme: .apiKey)
    }

    static let apiKeyField = CredentialField(name: "generic_api_key", displayName: "API Key", isRequired: true, isSecret: true)
    static let subdomainField = CredentialField(name: "subdomain", displayName: "Subdomain", isRequired: true, isSecret: false)
    static let regionField = CredentialField(name: "region", displayName: "Region", isRequired: false, defaultValue: "us", isSecret: false)

    static let unauthorized = ServiceFailure(kind: .unauthorized, message: "Invalid API key provided", suggestion: "Check COMPOSIO_API_KEY.", httpStatus: 401)
    static let serverDown = ServiceFailure(kind: .server, message: "The service failed (HTTP 503).", httpStatus: 503)

    static func account(_ id: String = "ca_1", _ status: ConnectionStatus, reason: String? = nil) -> ConnectedAccount {
        ConnectedAccount(id: id, status: status, statusReason: reason, toolkitSlug: "freshdesk", authConfigId: "ac_fresh", userId: "default")
    }
}
