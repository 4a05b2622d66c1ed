import ComposioAPI
import Foundation
import OnboardCore

/// The toolkits the sandbox knows and the auth configs a new project starts with.
///
/// Field names follow the real toolkits (`generic_api_key`, `subdomain`, `token`, `username`,
/// `password`); `pattern` is the sandbox's own format check for `validate_credentials`.
enum SeedCatalog {
    struct Field: Sendable {
        var name: String
        var displayName: String
        var description: String
        var required: Bool = true
        var isSecret: Bool
        var defaultValue: String? = nil
        var pattern: String? = nil
    }

    struct Scheme: Sendable {
        var mode: AuthScheme
        var fields: [Field]
        var name: String { mode.displayName }
    }

    struct Toolkit: Sendable {
        var slug: String
        var name: String
        var description: String
        var category: String
        var appURL: String
        var schemes: [Scheme]
        var managedSchemes: [AuthScheme] = []
    }

    /// Auth configs every new project starts with: name, toolkit, scheme, enabled, type.
    static let authConfigs: [(name: String, toolkit: String, scheme: AuthScheme, enabled: Bool, type: String)] = [
        ("SendGrid (API key)", "sendgrid", .apiKey, true, "custom"),
        ("Tavily search", "tavily", .apiKey, true, "custom"),
        ("Freshdesk support desk", "freshdesk", .apiKey, true, "custom"),
        ("Firecrawl", "firecrawl", .apiKey, true, "custom"),
        ("PostHog analytics", "posthog", .apiKey, true, "custom"),
        ("Linear (personal key)", "linear", .bearerToken, true, "custom"),
        ("Jira Cloud", "jira", .basic, true, "custom"),
        ("OpenAI", "openai", .apiKey, true, "custom"),
        ("Stripe (restricted key)", "stripe", .apiKey, true, "custom"),
        ("Mailchimp audiences", "mailchimp", .apiKey, true, "custom"),
        ("Shopify store", "shopify", .apiKey, true, "custom"),
        ("Datadog", "datadog", .apiKey, true, "custom"),
        ("Notion workspace", "notion", .bearerToken, true, "custom"),
        ("Airtable bases", "airtable", .bearerToken, true, "custom"),
        ("Twilio SMS", "twilio", .basic, true, "custom"),
        ("ServiceNow ITSM", "servicenow", .basicWithJWT, true, "custom"),
        ("BigQuery (service account)", "google_bigquery", .googleServiceAccount, true, "custom"),
        ("Hacker News", "hackernews", .noAuth, true, "custom"),
        ("GitHub", "github", .oauth2, true, "default"),
        ("Slack", "slack", .oauth2, true, "default"),
        ("GitLab (own OAuth app)", "gitlab", .oauth2, true, "custom"),
        ("SendGrid (legacy, disabled)", "sendgrid", .apiKey, false, "custom"),
    ]

    /// The toolkit with `slug`: one of the catalog, or the hostile test toolkit, which only
    /// hostile auth configs (``Sandbox/seedHostile()``) name and no listing shows.
    static func toolkit(slug: String) -> Toolkit? {
        let lowered = slug.lowercased()
        if lowered == HostileSeed.toolkit.slug { return HostileSeed.toolkit }
        return toolkits.first { $0.slug == lowered }
    }
}

extension SeedCatalog.Toolkit {
    /// Since April 2026 every OAuth2 toolkit also takes an existing access token through a
    /// custom BEARER_TOKEN auth config ("injected as an alternative scheme alongside OAuth2"):
    /// the scheme is listed with one secret `token` field.
    var offeringBearerToken: SeedCatalog.Toolkit {
        guard schemes.contains(where: { $0.mode == .oauth2 }), !schemes.contains(where: { $0.mode == .bearerToken }) else { return self }
        var toolkit = self
        toolkit.schemes.append(
            SeedCatalog.Scheme(
                mode: .bearerToken,
                fields: [
                    SeedCatalog.Field(
                        name: "token", displayName: "Access token",
                        description: "An existing \(name) OAuth access token; it is sent as Authorization: Bearer and not refreshed by the service.",
                        isSecret: true)
                ]))
        return toolkit
    }

    /// The toolkit as `GET /toolkits/{slug}` returns it.
    var wire: WireToolkit {
        WireToolkit(
            slug: slug,
            name: name,
            composioManagedAuthSchemes: managedSchemes.map(\.rawValue),
            authConfigDetails: schemes.map { scheme in
                WireAuthConfigDetail(
                    mode: scheme.mode.rawValue,
                    name: scheme.name,
                    fields: .init(
                        authConfigCreation: WireFieldGroup(required: [], optional: []),
                        connectedAccountInitiation: WireFieldGroup(
                            required: scheme.fields.filter(\.required).map(\.wire),
                            optional: scheme.fields.filter { !$0.required }.map(\.wire)
                        )
                    )
                )
            },
            baseUrl: appURL,
            meta: WireToolkitMeta(
                description: description,
                logo: "https://logos.composio.dev/api/\(slug)",
                appUrl: appURL,
                categories: [.init(name: category, slug: category.lowercased().replacingOccurrences(of: " ", with: "-"))],
                createdAt: "2026-01-01T00:00:00.000Z"
            )
        )
    }

    func scheme(_ mode: AuthScheme) -> SeedCatalog.Scheme? {
        schemes.first { $0.mode == mode }
    }
}

extension SeedCatalog.Field {
    var wire: WireField {
        WireField(name: name, displayName: displayName, description: description, required: required, defaultValue: defaultValue, isSecret: isSecret)
    }
}

extension AuthScheme {
    /// How the service names the method in `auth_config_details[].name`.
    var displayName: String {
        switch self {
        case .apiKey: "API Key"
        case .bearerToken: "Bearer Token"
        case .basic: "Basic Auth"
        case .oauth2: "OAuth 2.0"
        case .oauth1: "OAuth 1.0"
        default: rawValue.replacingOccurrences(of: "_", with: " ").capitalized
        }
    }
}
