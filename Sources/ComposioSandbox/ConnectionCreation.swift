import ComposioAPI
import Foundation
import OnboardCore

/// The rules `POST /connected_accounts` applies before anything is stored.
struct ConnectionCreation {
    var config: AuthConfigRecord
    var userId: String
    var values: [String: Secret]
    var status: ConnectionStatus
    var statusReason: String?

    static let tokenImportRefused = """
        OAuth tokens cannot be imported into an OAuth auth config. Connect the user through a hosted link \
        (POST /api/v3.1/connected_accounts/link), or import the access token through a BEARER_TOKEN auth config on the same toolkit.
        """
    static let tokenImportFix = """
        Connect the user through a hosted link (POST /api/v3.1/connected_accounts/link), or import the existing access token \
        through a BEARER_TOKEN auth config on the same toolkit (POST /api/v3.1/auth_configs with authScheme BEARER_TOKEN).
        """

    /// Keys that carry OAuth tokens in a create body's `val`.
    static let tokenKeys: Set<String> = ["access_token", "refresh_token", "id_token", "oauth_token", "oauth_token_secret"]

    /// API_KEY's typed credential keys that name the same thing: a toolkit that declares
    /// `generic_api_key` takes the value as `api_key` too, as the SDK helpers send it.
    static let apiKeyAliases = ["generic_api_key", "api_key"]

    static let managedOAuthRetired = """
        Creating connections on this endpoint for Composio-managed OAuth auth configs is no longer supported. \
        Use POST /api/v3/connected_accounts/link instead.
        """

    /// Checks a create body against the auth config and its toolkit; throws the contract's 400/404.
    static func check(_ body: WireCreateConnectedAccountRequest, projectId: String, store: any SandboxStore) async throws -> ConnectionCreation {
        let configId = body.authConfig.id.trimmingCharacters(in: .whitespaces)
        guard !configId.isEmpty else {
            throw SandboxError.badRequest("Missing required field: auth_config.id", slug: "Request_MissingField", errors: ["auth_config.id is required"])
        }
        guard let config = try await store.authConfig(projectId: projectId, id: configId) else {
            throw SandboxError.notFound("Auth config \(configId)", slug: "AuthConfig_NotFound")
        }
        guard config.isEnabled else {
            throw SandboxError.badRequest("Auth config \(configId) is disabled", slug: "AuthConfig_Disabled", fix: "Enable the auth config, or choose another.")
        }
        let userId = (body.connection?.userId ?? "").trimmingCharacters(in: .whitespaces)
        guard !userId.isEmpty else {
            throw SandboxError.badRequest(
                "Missing required field: connection.user_id", slug: "Request_MissingField", errors: ["connection.user_id is required"])
        }
        let scheme = AuthScheme(rawValue: config.authScheme)
        if scheme.isRedirectBased && config.type == "default" {
            throw SandboxError.badRequest(
                managedOAuthRetired, slug: "ConnectedAccount_BadRequest", fix: "Create a hosted link with POST /api/v3.1/connected_accounts/link.")
        }
        let state = body.connection?.state
        if let sent = state?.authScheme, AuthScheme(rawValue: sent) != scheme {
            throw SandboxError.badRequest(
                "state.authScheme \(sent) does not match the auth config's scheme \(scheme.rawValue)",
                slug: "ConnectedAccount_BadRequest"
            )
        }
        var values = state?.val.values ?? [:]
        let requested = state.map { ConnectionStatus(rawValue: $0.val.status.uppercased()) }
        if scheme.isRedirectBased {
            // Any OAuth config, Composio's or the customer's: tokens are not imported.
            guard requested != .active, values.keys.allSatisfy({ !tokenKeys.contains($0) }) else {
                throw SandboxError.badRequest(tokenImportRefused, slug: "ConnectedAccount_BadRequest", fix: tokenImportFix)
            }
            // INITIALIZING on a custom OAuth config starts the consent flow, as a link does.
            return ConnectionCreation(config: config, userId: userId, values: values, status: .initiated, statusReason: nil)
        }
        let fields = SeedCatalog.toolkit(slug: config.toolkitSlug)?.scheme(scheme)?.fields ?? []
        if scheme == .apiKey {
            for field in fields where apiKeyAliases.contains(field.name) && (values[field.name]?.isEmpty ?? true) {
                if let alias = apiKeyAliases.first(where: { $0 != field.name && !(values[$0]?.isEmpty ?? true) }) {
                    values[field.name] = values.removeValue(forKey: alias)
                }
            }
        }
        let shared = Set(config.sharedFieldNames.split(separator: ",").map(String.init))
        let missing = fields.filter { $0.required && !shared.contains($0.name) && (values[$0.name]?.isEmpty ?? true) }.map(\.name)
        guard missing.isEmpty else {
            throw SandboxError.badRequest(
                "Missing required fields: \(missing.joined(separator: ", "))",
                slug: "ConnectedAccount_MissingRequiredFields",
                errors: missing.map { "connection.state.val.\($0) is required" },
                fix: "Put each field of the toolkit's connected_account_initiation inside connection.state.val."
            )
        }
        var creation = ConnectionCreation(config: config, userId: userId, values: values, status: .active, statusReason: nil)
        if body.validateCredentials == true {
            let wrong = fields.filter { field in
                guard let pattern = field.pattern, let value = values[field.name] else { return false }
                return value.withRevealedValue { $0.range(of: pattern, options: .regularExpression) == nil }
            }
            if !wrong.isEmpty {
                creation.status = .failed
                creation.statusReason =
                    "Credential validation failed: \(wrong.map(\.displayName).joined(separator: ", ")) does not look valid for \(config.toolkitSlug)"
            }
        }
        return creation
    }
}
