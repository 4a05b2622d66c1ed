import ComposioAPI
import Foundation
import OnboardCore

/// What a connected account's `state.val` shows of its stored values, as the service does since
/// April 2026: every credential key with the value `REDACTED`, connection fields (subdomain,
/// region, base_url) as stored, and the keys the scheme's schema requires even when none was
/// stored (an OAuth account approved on the link page has an `access_token` somewhere).
enum CredentialRedaction {
    static let redacted = "REDACTED"

    /// Keys the published schema requires in `val` for ACTIVE and INACTIVE accounts, by scheme.
    static let requiredByScheme: [AuthScheme: [String]] = [
        .bearerToken: ["token"], .basic: ["username"], .basicWithJWT: ["username", "password"], .googleServiceAccount: ["credentials_json"],
        .serviceAccount: ["application_id", "installation_id", "private_key"], .billcomAuth: ["sessionId", "devKey"],
        .oauth2: ["access_token"], .oauth1: ["oauth_token", "oauth_token_secret"], .dcrOAuth: ["client_id", "access_token"],
    ]

    /// Keys the published schema requires in `val` for an account in `status`.
    static func requiredKeys(_ scheme: AuthScheme, status: ConnectionStatus) -> [String] {
        let credentialed = status == .active || status == .inactive || (scheme == .basicWithJWT && (status == .failed || status == .expired))
        return credentialed ? requiredByScheme[scheme] ?? [] : []
    }

    /// Keys that hold credentials whatever their toolkit calls secret.
    static let credentialKeys: Set<String> = [
        "generic_api_key", "api_key", "bearer_token", "basic_encoded", "token", "generic_token", "api_key_prefix", "generic_secret", "generic_id",
        "username", "password", "credentials_json", "application_id", "installation_id", "private_key", "sessionId", "devKey", "access_token",
        "refresh_token", "oauth_token", "oauth_token_secret", "client_id", "client_secret",
    ]

    /// The `val` keys and values to show for `values` stored under `scheme`.
    static func shown(_ values: [String: Secret], scheme: AuthScheme, status: ConnectionStatus, toolkit: SeedCatalog.Toolkit?) -> [String: String] {
        let secretFields = Set((toolkit?.scheme(scheme)?.fields ?? []).filter(\.isSecret).map(\.name))
        var shown: [String: String] = [:]
        for (name, value) in values {
            let secret = credentialKeys.contains(name) || secretFields.contains(name) || CredentialField.looksSecret(name: name)
            shown[name] = secret ? redacted : value.withRevealedValue { $0 }
        }
        for key in requiredKeys(scheme, status: status) where shown[key] == nil { shown[key] = redacted }
        return shown
    }
}
