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

    static let toolkits: [Toolkit] = [
        Toolkit(
            slug: "sendgrid", name: "SendGrid", description: "Email delivery and marketing campaigns.",
            category: "Marketing", appURL: "https://sendgrid.com",
            schemes: [Scheme(mode: .apiKey, fields: [
                Field(name: "generic_api_key", displayName: "API Key",
                      description: "Create one under Settings > API Keys; it starts with SG.",
                      isSecret: true, pattern: #"^SG\.[A-Za-z0-9_\-]{10,}\.[A-Za-z0-9_\-]{10,}$"#),
            ])]
        ),
        Toolkit(
            slug: "tavily", name: "Tavily", description: "Search API built for AI agents.",
            category: "Search", appURL: "https://tavily.com",
            schemes: [Scheme(mode: .apiKey, fields: [
                Field(name: "generic_api_key", displayName: "API Key",
                      description: "Your Tavily API key (tvly-...).", isSecret: true, pattern: #"^tvly-[A-Za-z0-9]{8,}$"#),
            ])]
        ),
        Toolkit(
            slug: "freshdesk", name: "Freshdesk", description: "Customer support ticketing.",
            category: "Support", appURL: "https://freshdesk.com",
            schemes: [Scheme(mode: .apiKey, fields: [
                Field(name: "subdomain", displayName: "Subdomain",
                      description: "The part before .freshdesk.com in your help desk's address.",
                      isSecret: false, pattern: #"^[a-z0-9][a-z0-9\-]{0,62}$"#),
                Field(name: "generic_api_key", displayName: "API Key",
                      description: "Profile settings > View API key.", isSecret: true, pattern: #"^[A-Za-z0-9]{16,}$"#),
            ])]
        ),
        Toolkit(
            slug: "firecrawl", name: "Firecrawl", description: "Crawl and scrape websites into clean data.",
            category: "Developer tools", appURL: "https://firecrawl.dev",
            schemes: [Scheme(mode: .apiKey, fields: [
                Field(name: "full", displayName: "Base URL", description: "API base URL; keep the default unless self-hosting.",
                      isSecret: false, defaultValue: "https://api.firecrawl.dev", pattern: #"^https?://\S+$"#),
                Field(name: "generic_api_key", displayName: "API Key", description: "Your Firecrawl key (fc-...).",
                      isSecret: true, pattern: #"^fc-[A-Za-z0-9]{8,}$"#),
            ])]
        ),
        Toolkit(
            slug: "posthog", name: "PostHog", description: "Product analytics, feature flags and session replay.",
            category: "Analytics", appURL: "https://posthog.com",
            schemes: [Scheme(mode: .apiKey, fields: [
                Field(name: "generic_api_key", displayName: "Personal API Key", description: "Settings > Personal API keys (phx_...).",
                      isSecret: true, pattern: #"^phx_[A-Za-z0-9]{8,}$"#),
                Field(name: "region", displayName: "Region", description: "Cloud region of your project: us or eu.",
                      required: false, isSecret: false, defaultValue: "us", pattern: #"^(us|eu)$"#),
            ])]
        ),
        Toolkit(
            slug: "linear", name: "Linear", description: "Issue tracking for software teams.",
            category: "Productivity", appURL: "https://linear.app",
            schemes: [
                Scheme(mode: .bearerToken, fields: [
                    Field(name: "token", displayName: "Bearer Token", description: "A personal API key (lin_api_...).",
                          isSecret: true, pattern: #"^lin_api_[A-Za-z0-9]{8,}$"#),
                ]),
                Scheme(mode: .oauth2, fields: []),
            ],
            managedSchemes: [.oauth2]
        ),
        Toolkit(
            slug: "jira", name: "Jira", description: "Project and issue tracking by Atlassian.",
            category: "Productivity", appURL: "https://www.atlassian.com/software/jira",
            schemes: [Scheme(mode: .basic, fields: [
                Field(name: "subdomain", displayName: "Site", description: "The part before .atlassian.net.",
                      isSecret: false, pattern: #"^[a-z0-9][a-z0-9\-]{0,62}$"#),
                Field(name: "username", displayName: "Email", description: "The email you sign in to Atlassian with.",
                      isSecret: false, pattern: #"^[^@\s]+@[^@\s]+$"#),
                Field(name: "password", displayName: "API Token", description: "id.atlassian.com > Security > API tokens.",
                      isSecret: true),
            ])]
        ),
        Toolkit(
            slug: "github", name: "GitHub", description: "Code hosting and collaboration.",
            category: "Developer tools", appURL: "https://github.com",
            schemes: [Scheme(mode: .oauth2, fields: [])],
            managedSchemes: [.oauth2]
        ),
    ]

    /// Auth configs every new project starts with: name, toolkit, scheme, enabled, type.
    static let authConfigs: [(name: String, toolkit: String, scheme: AuthScheme, enabled: Bool, type: String)] = [
        ("SendGrid (API key)", "sendgrid", .apiKey, true, "custom"),
        ("Tavily search", "tavily", .apiKey, true, "custom"),
        ("Freshdesk support desk", "freshdesk", .apiKey, true, "custom"),
        ("Firecrawl", "firecrawl", .apiKey, true, "custom"),
        ("PostHog analytics", "posthog", .apiKey, true, "custom"),
        ("Linear (personal key)", "linear", .bearerToken, true, "custom"),
        ("Jira Cloud", "jira", .basic, true, "custom"),
        ("GitHub", "github", .oauth2, true, "default"),
        ("SendGrid (legacy, disabled)", "sendgrid", .apiKey, false, "custom"),
    ]

    static func toolkit(slug: String) -> Toolkit? {
        toolkits.first { $0.slug == slug.lowercased() }
    }
}

extension SeedCatalog.Toolkit {
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
