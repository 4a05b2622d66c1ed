import ComposioAPI
import Foundation
import Hummingbird
import OnboardCore

/// The sandbox's API: the same handlers under `/api/v3` and `/api/v3.1`.
struct SandboxRoutes: Sendable {
    let store: any SandboxStore
    let sealer: CredentialSealer
    let limiter: RateLimiter
    let authFailures: AuthFailureLimiter
    let now: @Sendable () -> Date
    /// How long an INITIATED account waits before it EXPIRES.
    var initiationLifetime: TimeInterval = 600
    /// `sandbox serve --public-url`: where browsers reach the link pages (behind a proxy that
    /// terminates TLS); nil to name the host the caller used.
    var publicURL: String? = nil

    static let prefixes = ["/api/v3", "/api/v3.1"]

    func register(on router: Router<SandboxRequestContext>) {
        for prefix in Self.prefixes {
            let group = router.group(RouterPath(prefix))
                .add(middleware: APIKeyMiddleware(store: store, failures: authFailures))
                .add(middleware: RateLimitMiddleware(limiter: limiter, now: now))
            group.get("auth/session/info", use: sessionInfo)
            group.get("auth_configs", use: listAuthConfigs)
            group.post("auth_configs", use: createAuthConfig)
            group.get("auth_configs/:id", use: getAuthConfig)
            group.patch("auth_configs/:id", use: patchAuthConfig)
            group.patch("auth_configs/:id/:status", use: setAuthConfigStatus)
            group.delete("auth_configs/:id", use: deleteAuthConfig)
            group.get("toolkits", use: listToolkits)
            group.get("toolkits/:slug", use: getToolkit)
            group.get("tools", use: listTools)
            group.get("connected_accounts", use: listConnectedAccounts)
            group.post("connected_accounts", use: createConnectedAccount)
            group.post("connected_accounts/link", use: createLink)
            group.get("connected_accounts/:id", use: getConnectedAccount)
            group.patch("connected_accounts/:id", use: patchConnectedAccount)
            group.patch("connected_accounts/:id/status", use: setConnectedAccountStatus)
            group.delete("connected_accounts/:id", use: deleteConnectedAccount)
            registerOrganisation(on: router, prefix: prefix)
        }
    }

    /// The hosted connect page a link's redirect_url points at: a person, not an API key. Served
    /// with headers that keep it out of frames, keep its URL (the token) out of Referer, and
    /// allow no script or outside resource.
    func registerLinkPages(on router: Router<SandboxRequestContext>) {
        let pages = router.group("link").add(middleware: LinkPageHeadersMiddleware())
        pages.get(":token", use: linkPage)
        pages.post(":token", use: linkDecision)
    }

    // MARK: helpers

    /// Decodes a JSON body; 422 with the decoder's path (never a value) when it does not fit.
    static func decodeBody<Body: Decodable>(_ request: Request, context: SandboxRequestContext) async throws -> Body {
        let buffer = try await request.body.collect(upTo: context.maxUploadSize)
        let data = Data(buffer.readableBytesView)
        guard !data.isEmpty else { throw SandboxError.unprocessable("The request body is empty; send a JSON object.") }
        do {
            return try JSONDecoder().decode(Body.self, from: data)
        } catch let DecodingError.keyNotFound(key, path) {
            let field = (path.codingPath + [key]).map(\.stringValue).joined(separator: ".")
            throw SandboxError.badRequest("Missing required field: \(field)", slug: "Request_MissingField", errors: ["\(field) is required"])
        } catch let DecodingError.typeMismatch(_, path), let DecodingError.valueNotFound(_, path) {
            let field = path.codingPath.map(\.stringValue).joined(separator: ".")
            throw SandboxError.unprocessable("Field \(field) has the wrong type.")
        } catch {
            throw SandboxError.unprocessable("The request body is not valid JSON.")
        }
    }

    static func commaList(_ value: Substring?) -> [String] {
        (value ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    /// A query array as the SDKs send it: comma-joined (`user_ids=a,b`), repeated, or with `[]`.
    static func queryList(_ request: Request, _ name: String) -> [String] {
        let query = request.uri.queryParameters
        return (query.getAll(name) + query.getAll(name + "[]")).flatMap { commaList(Substring($0)) }
    }

    /// A JSON body that must be an object; its keys are then read by hand.
    static func decodeObject(_ request: Request, context: SandboxRequestContext) async throws -> [String: JSONValue] {
        try await decodeBody(request, context: context)
    }

    static func timestamp(_ date: Date) -> String { UTCTimestamp.iso8601(date) }
}
