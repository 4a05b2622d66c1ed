/// How a connected account authenticates (the contract's AuthScheme enum).
///
/// A struct over the raw string rather than an enum, so a scheme the server adds later decodes
/// and displays instead of failing the whole reply.
package struct AuthScheme: RawRepresentable, Hashable, Sendable, Codable, CustomStringConvertible {
    package let rawValue: String

    package init(rawValue: String) { self.rawValue = rawValue.uppercased() }

    package static let oauth2 = AuthScheme(rawValue: "OAUTH2")
    package static let oauth1 = AuthScheme(rawValue: "OAUTH1")
    package static let dcrOAuth = AuthScheme(rawValue: "DCR_OAUTH")
    package static let s2sOAuth2 = AuthScheme(rawValue: "S2S_OAUTH2")
    package static let apiKey = AuthScheme(rawValue: "API_KEY")
    package static let bearerToken = AuthScheme(rawValue: "BEARER_TOKEN")
    package static let basic = AuthScheme(rawValue: "BASIC")
    package static let basicWithJWT = AuthScheme(rawValue: "BASIC_WITH_JWT")
    package static let googleServiceAccount = AuthScheme(rawValue: "GOOGLE_SERVICE_ACCOUNT")
    package static let serviceAccount = AuthScheme(rawValue: "SERVICE_ACCOUNT")
    package static let noAuth = AuthScheme(rawValue: "NO_AUTH")
    package static let billcomAuth = AuthScheme(rawValue: "BILLCOM_AUTH")
    package static let calcomAuth = AuthScheme(rawValue: "CALCOM_AUTH")
    package static let saml = AuthScheme(rawValue: "SAML")

    /// Redirect-based schemes: their tokens cannot be imported, so they go through a hosted link.
    package var isRedirectBased: Bool {
        self == .oauth2 || self == .oauth1 || self == .dcrOAuth
    }

    /// Schemes whose accounts take new credentials in place (`PATCH /connected_accounts/{id}`):
    /// the service's list; OAuth and no-auth accounts reconnect instead.
    package var takesCredentialsInPlace: Bool {
        [.bearerToken, .apiKey, .basic, .basicWithJWT, .googleServiceAccount, .serviceAccount].contains(self)
    }

    package var description: String { rawValue }

    package init(from decoder: any Decoder) throws {
        self.init(rawValue: try decoder.singleValueContainer().decode(String.self))
    }

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}
