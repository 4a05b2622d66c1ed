/// How a connected account authenticates (the contract's AuthScheme enum).
///
/// A struct over the raw string rather than an enum, so a scheme the server adds later decodes
/// and displays instead of failing the whole reply.
public struct AuthScheme: RawRepresentable, Hashable, Sendable, Codable, CustomStringConvertible {
    public let rawValue: String

    public init(rawValue: String) { self.rawValue = rawValue.uppercased() }

    public static let oauth2 = AuthScheme(rawValue: "OAUTH2")
    public static let oauth1 = AuthScheme(rawValue: "OAUTH1")
    public static let dcrOAuth = AuthScheme(rawValue: "DCR_OAUTH")
    public static let s2sOAuth2 = AuthScheme(rawValue: "S2S_OAUTH2")
    public static let apiKey = AuthScheme(rawValue: "API_KEY")
    public static let bearerToken = AuthScheme(rawValue: "BEARER_TOKEN")
    public static let basic = AuthScheme(rawValue: "BASIC")
    public static let basicWithJWT = AuthScheme(rawValue: "BASIC_WITH_JWT")
    public static let googleServiceAccount = AuthScheme(rawValue: "GOOGLE_SERVICE_ACCOUNT")
    public static let serviceAccount = AuthScheme(rawValue: "SERVICE_ACCOUNT")
    public static let noAuth = AuthScheme(rawValue: "NO_AUTH")
    public static let billcomAuth = AuthScheme(rawValue: "BILLCOM_AUTH")
    public static let calcomAuth = AuthScheme(rawValue: "CALCOM_AUTH")
    public static let saml = AuthScheme(rawValue: "SAML")

    /// Redirect-based schemes: their tokens cannot be imported, so they go through a hosted link.
    public var isRedirectBased: Bool {
        self == .oauth2 || self == .oauth1 || self == .dcrOAuth
    }

    /// Schemes whose accounts take new credentials in place (`PATCH /connected_accounts/{id}`):
    /// the service's list; OAuth and no-auth accounts reconnect instead.
    public var takesCredentialsInPlace: Bool {
        [.bearerToken, .apiKey, .basic, .basicWithJWT, .googleServiceAccount, .serviceAccount].contains(self)
    }

    public var description: String { rawValue }

    public init(from decoder: any Decoder) throws {
        self.init(rawValue: try decoder.singleValueContainer().decode(String.self))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}
