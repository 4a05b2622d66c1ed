import OnboardCore

/// The toolkits the sandbox knows: real services' field names (`generic_api_key`, `subdomain`,
/// `token`, `username`, `password`, `credentials_json`) across every credential scheme, OAuth
/// and no-auth, with the sandbox's own format checks for `validate_credentials`.
extension SeedCatalog {
    /// The catalog as the service describes it: every OAuth2 toolkit also offers BEARER_TOKEN.
    static let toolkits: [Toolkit] = catalog.map(\.offeringBearerToken)

    /// The toolkits as written below.
    private static let catalog: [Toolkit] = [
        Toolkit(
            slug: "sendgrid", name: "SendGrid", description: "Email delivery and marketing campaigns.",
            category: "Marketing", appURL: "https://sendgrid.com",
            schemes: [
                Scheme(
                    mode: .apiKey,
                    fields: [
                        Field(
                            name: "generic_api_key", displayName: "API Key",
                            description: "Create one under Settings > API Keys; it starts with SG.",
                            isSecret: true, pattern: #"^SG\.[A-Za-z0-9_\-]{10,}\.[A-Za-z0-9_\-]{10,}$"#)
                    ])
            ]
        ),
        Toolkit(
            slug: "tavily", name: "Tavily", description: "Search API built for AI agents.",
            category: "Search", appURL: "https://tavily.com",
            schemes: [
                Scheme(
                    mode: .apiKey,
                    fields: [
                        Field(
                            name: "generic_api_key", displayName: "API Key",
                            description: "Your Tavily API key (tvly-...).", isSecret: true, pattern: #"^tvly-[A-Za-z0-9]{8,}$"#)
                    ])
            ]
        ),
        Toolkit(
            slug: "freshdesk", name: "Freshdesk", description: "Customer support ticketing.",
            category: "Support", appURL: "https://freshdesk.com",
            schemes: [
                Scheme(
                    mode: .apiKey,
                    fields: [
                        Field(
                            name: "subdomain", displayName: "Subdomain",
                            description: "The part before .freshdesk.com in your help desk's address.",
                            isSecret: false, pattern: #"^[a-z0-9][a-z0-9\-]{0,62}$"#),
                        Field(
                            name: "generic_api_key", displayName: "API Key",
                            description: "Profile settings > View API key.", isSecret: true, pattern: #"^[A-Za-z0-9]{16,}$"#),
                    ])
            ]
        ),
        Toolkit(
            slug: "firecrawl", name: "Firecrawl", description: "Crawl and scrape websites into clean data.",
            category: "Developer tools", appURL: "https://firecrawl.dev",
            schemes: [
                Scheme(
                    mode: .apiKey,
                    fields: [
                        Field(
                            name: "full", displayName: "Base URL", description: "API base URL; keep the default unless self-hosting.",
                            isSecret: false, defaultValue: "https://api.firecrawl.dev", pattern: #"^https?://\S+$"#),
                        Field(
                            name: "generic_api_key", displayName: "API Key", description: "Your Firecrawl key (fc-...).",
                            isSecret: true, pattern: #"^fc-[A-Za-z0-9]{8,}$"#),
                    ])
            ]
        ),
        Toolkit(
            slug: "posthog", name: "PostHog", description: "Product analytics, feature flags and session replay.",
            category: "Analytics", appURL: "https://posthog.com",
            schemes: [
                Scheme(
                    mode: .apiKey,
                    fields: [
                        Field(
                            name: "generic_api_key", displayName: "Personal API Key", description: "Settings > Personal API keys (phx_...).",
                            isSecret: true, pattern: #"^phx_[A-Za-z0-9]{8,}$"#),
                        Field(
                            name: "region", displayName: "Region", description: "Cloud region of your project: us or eu.",
                            required: false, isSecret: false, defaultValue: "us", pattern: #"^(us|eu)$"#),
                    ])
            ]
        ),
        Toolkit(
            slug: "linear", name: "Linear", description: "Issue tracking for software teams.",
            category: "Productivity", appURL: "https://linear.app",
            schemes: [
                Scheme(
                    mode: .bearerToken,
                    fields: [
                        Field(
                            name: "token", displayName: "Bearer Token", description: "A personal API key (lin_api_...).",
                            isSecret: true, pattern: #"^lin_api_[A-Za-z0-9]{8,}$"#)
                    ]),
                Scheme(mode: .oauth2, fields: []),
            ],
            managedSchemes: [.oauth2]
        ),
        Toolkit(
            slug: "jira", name: "Jira", description: "Project and issue tracking by Atlassian.",
            category: "Productivity", appURL: "https://www.atlassian.com/software/jira",
            schemes: [
                Scheme(
                    mode: .basic,
                    fields: [
                        Field(
                            name: "subdomain", displayName: "Site", description: "The part before .atlassian.net.",
                            isSecret: false, pattern: #"^[a-z0-9][a-z0-9\-]{0,62}$"#),
                        Field(
                            name: "username", displayName: "Email", description: "The email you sign in to Atlassian with.",
                            isSecret: false, pattern: #"^[^@\s]+@[^@\s]+$"#),
                        Field(
                            name: "password", displayName: "API Token", description: "id.atlassian.com > Security > API tokens.",
                            isSecret: true),
                    ])
            ]
        ),
        Toolkit(
            slug: "github", name: "GitHub", description: "Code hosting and collaboration.",
            category: "Developer tools", appURL: "https://github.com",
            schemes: [Scheme(mode: .oauth2, fields: [])],
            managedSchemes: [.oauth2]
        ),
        Toolkit(
            slug: "openai", name: "OpenAI", description: "Models for text, images and speech.",
            category: "AI", appURL: "https://platform.openai.com",
            schemes: [
                Scheme(
                    mode: .apiKey,
                    fields: [
                        Field(
                            name: "api_key", displayName: "API Key", description: "A project key from platform.openai.com (sk-...).",
                            isSecret: true, pattern: #"^sk-[A-Za-z0-9_\-]{16,}$"#),
                        Field(
                            name: "organization", displayName: "Organization ID", description: "Only if your key belongs to several organizations (org-...).",
                            required: false, isSecret: false, pattern: #"^org-[A-Za-z0-9]{8,}$"#),
                    ])
            ]
        ),
        Toolkit(
            slug: "stripe", name: "Stripe", description: "Payments, billing and invoicing.",
            category: "Finance", appURL: "https://stripe.com",
            schemes: [
                Scheme(
                    mode: .apiKey,
                    fields: [
                        Field(
                            name: "generic_api_key", displayName: "Secret Key",
                            description: "Developers > API keys (sk_live_... or sk_test_..., or a restricted rk_ key).",
                            isSecret: true, pattern: #"^(sk|rk)_(live|test)_[A-Za-z0-9]{10,}$"#)
                    ])
            ]
        ),
        Toolkit(
            slug: "mailchimp", name: "Mailchimp", description: "Email marketing and audiences.",
            category: "Marketing", appURL: "https://mailchimp.com",
            schemes: [
                Scheme(
                    mode: .apiKey,
                    fields: [
                        Field(
                            name: "generic_api_key", displayName: "API Key", description: "Account > Extras > API keys; ends with the data center, e.g. -us21.",
                            isSecret: true, pattern: #"^[a-f0-9]{32}-[a-z]{2}[0-9]{1,2}$"#),
                        Field(
                            name: "dc", displayName: "Data center", description: "The suffix of your API key, e.g. us21.",
                            isSecret: false, pattern: #"^[a-z]{2}[0-9]{1,2}$"#),
                    ])
            ]
        ),
        Toolkit(
            slug: "shopify", name: "Shopify", description: "Commerce platform for online stores.",
            category: "E-commerce", appURL: "https://shopify.com",
            schemes: [
                Scheme(
                    mode: .apiKey,
                    fields: [
                        Field(
                            name: "shop", displayName: "Shop", description: "Your store's myshopify.com name, without the domain.",
                            isSecret: false, pattern: #"^[a-z0-9][a-z0-9\-]{1,60}$"#),
                        Field(
                            name: "generic_api_key", displayName: "Admin API access token", description: "From a custom app (shpat_...).",
                            isSecret: true, pattern: #"^shpat_[a-f0-9]{32}$"#),
                    ])
            ]
        ),
        Toolkit(
            slug: "datadog", name: "Datadog", description: "Monitoring, logs and APM.",
            category: "Developer tools", appURL: "https://datadoghq.com",
            schemes: [
                Scheme(
                    mode: .apiKey,
                    fields: [
                        Field(
                            name: "api_key", displayName: "API Key", description: "Organization settings > API keys.", isSecret: true,
                            pattern: #"^[a-f0-9]{32}$"#),
                        Field(
                            name: "application_key", displayName: "Application Key", description: "Organization settings > Application keys.", isSecret: true,
                            pattern: #"^[a-f0-9]{40}$"#),
                        Field(
                            name: "region", displayName: "Site", description: "Your Datadog site: us1, us3, us5, eu1 or ap1.",
                            required: false, isSecret: false, defaultValue: "us1", pattern: #"^(us1|us3|us5|eu1|ap1)$"#),
                    ])
            ]
        ),
        Toolkit(
            slug: "notion", name: "Notion", description: "Docs, wikis and project notes.",
            category: "Productivity", appURL: "https://notion.so",
            schemes: [
                Scheme(
                    mode: .bearerToken,
                    fields: [
                        Field(
                            name: "token", displayName: "Internal integration secret",
                            description: "Settings > Connections > Develop integrations (ntn_... or secret_...).",
                            isSecret: true, pattern: #"^(ntn_|secret_)[A-Za-z0-9]{20,}$"#)
                    ])
            ]
        ),
        Toolkit(
            slug: "airtable", name: "Airtable", description: "Spreadsheet-database hybrid.",
            category: "Productivity", appURL: "https://airtable.com",
            schemes: [
                Scheme(
                    mode: .bearerToken,
                    fields: [
                        Field(
                            name: "token", displayName: "Personal access token", description: "Builder hub > Personal access tokens (pat...).",
                            isSecret: true, pattern: #"^pat[A-Za-z0-9.]{14,}$"#)
                    ])
            ]
        ),
        Toolkit(
            slug: "twilio", name: "Twilio", description: "SMS, voice and messaging APIs.",
            category: "Communication", appURL: "https://twilio.com",
            schemes: [
                Scheme(
                    mode: .basic,
                    fields: [
                        Field(
                            name: "username", displayName: "Account SID", description: "Console > Account info (AC...).",
                            isSecret: false, pattern: #"^AC[a-f0-9]{32}$"#),
                        Field(name: "password", displayName: "Auth Token", description: "Console > Account info.", isSecret: true, pattern: #"^[a-f0-9]{32}$"#),
                    ])
            ]
        ),
        Toolkit(
            slug: "servicenow", name: "ServiceNow", description: "IT service management.",
            category: "Support", appURL: "https://servicenow.com",
            schemes: [
                Scheme(
                    mode: .basicWithJWT,
                    fields: [
                        Field(
                            name: "instanceName", displayName: "Instance", description: "The part before .service-now.com.",
                            isSecret: false, pattern: #"^[a-z0-9][a-z0-9\-]{1,62}$"#),
                        Field(name: "username", displayName: "Username", description: "An integration user's name.", isSecret: false),
                        Field(name: "password", displayName: "Password", description: "That user's password.", isSecret: true),
                    ])
            ]
        ),
        Toolkit(
            slug: "google_bigquery", name: "Google BigQuery", description: "Serverless data warehouse.",
            category: "Data", appURL: "https://cloud.google.com/bigquery",
            schemes: [
                Scheme(
                    mode: .googleServiceAccount,
                    fields: [
                        Field(
                            name: "credentials_json", displayName: "Service account key (JSON)",
                            description: "IAM > Service accounts > Keys > Add key > JSON; paste the whole file or give its path.",
                            isSecret: true, pattern: #"^\s*\{[\s\S]*"type"\s*:\s*"service_account"[\s\S]*"private_key"[\s\S]*\}\s*$"#)
                    ])
            ]
        ),
        Toolkit(
            slug: "hackernews", name: "Hacker News", description: "Stories, comments and users from Hacker News.",
            category: "News", appURL: "https://news.ycombinator.com",
            schemes: [Scheme(mode: .noAuth, fields: [])]
        ),
        Toolkit(
            slug: "slack", name: "Slack", description: "Team messaging.",
            category: "Communication", appURL: "https://slack.com",
            schemes: [Scheme(mode: .oauth2, fields: [])],
            managedSchemes: [.oauth2]
        ),
        Toolkit(
            slug: "gitlab", name: "GitLab", description: "DevOps platform.",
            category: "Developer tools", appURL: "https://gitlab.com",
            schemes: [
                Scheme(
                    mode: .oauth2,
                    fields: [
                        Field(
                            name: "base_url", displayName: "GitLab URL", description: "For self-managed GitLab; keep the default for gitlab.com.",
                            required: false, isSecret: false, defaultValue: "https://gitlab.com", pattern: #"^https://\S+$"#)
                    ])
            ]
        ),
    ]

}
