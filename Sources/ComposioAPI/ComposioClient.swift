import Foundation
import OnboardCore

/// ``ComposioService`` over HTTP: builds the contract's requests, decodes its replies and turns
/// every failure into an ``APIError``.
public struct ComposioClient: ComposioService {
    public let baseURL: URL
    private let apiKey: Secret
    private let keySource: String
    private let transport: any HTTPTransport
    /// `/api/v3.1` by default; `/api/v3` for servers that only have the frozen version.
    public let pathPrefix: String

    /// - Parameters:
    ///   - keySource: where the key came from ("COMPOSIO_API_KEY", "the sandbox key file"),
    ///     named in the message when the key is rejected.
    public init(baseURL: URL, apiKey: Secret, keySource: String, transport: any HTTPTransport, pathPrefix: String = "/api/v3.1") {
        self.baseURL = baseURL
        self.apiKey = apiKey
        self.keySource = keySource
        self.transport = transport
        self.pathPrefix = pathPrefix
    }

    public func listAuthConfigs(_ query: AuthConfigQuery) async throws -> AuthConfigPage {
        var items: [URLQueryItem] = [URLQueryItem(name: "limit", value: String(query.limit))]
        if let search = query.search, !search.isEmpty { items.append(URLQueryItem(name: "search", value: search)) }
        if let slug = query.toolkitSlug { items.append(URLQueryItem(name: "toolkit_slug", value: slug)) }
        if query.showDisabled { items.append(URLQueryItem(name: "show_disabled", value: "true")) }
        if let cursor = query.cursor { items.append(URLQueryItem(name: "cursor", value: cursor)) }
        let page: WirePage<WireAuthConfig> = try await call("list auth configs", "GET", "/auth_configs", query: items)
        return AuthConfigPage(items: page.items.map(\.summary), nextCursor: page.nextCursor, totalItems: page.totalItems)
    }

    public func connectionFields(toolkit: String, scheme: AuthScheme) async throws -> [CredentialField] {
        let operation = "read the fields of \(toolkit)"
        let wire: WireToolkit = try await call(operation, "GET", "/toolkits/\(pathComponent(toolkit))", query: [URLQueryItem(name: "version", value: "latest")])
        guard let fields = wire.initiationFields(for: scheme) else {
            throw APIError(
                operation: operation,
                failure: ServiceFailure(
                    kind: .notFound,
                    message: "The toolkit \(toolkit) has no \(scheme.rawValue) auth method.",
                    suggestion: "Choose an auth config whose scheme the toolkit supports."
                )
            )
        }
        return fields
    }

    public func createConnectedAccount(_ request: ConnectionRequest) async throws -> ConnectedAccount {
        let body = try JSONEncoder().encode(WireCreateConnectedAccountRequest(request))
        let reply: WireCreateConnectedAccountResponse = try await call("create the connected account", "POST", "/connected_accounts", body: body)
        return reply.account(authConfigId: request.authConfigId, userId: request.userId)
    }

    public func connectedAccount(id: String) async throws -> ConnectedAccount {
        let wire: WireConnectedAccount = try await call("read connected account \(id)", "GET", "/connected_accounts/\(pathComponent(id))")
        return wire.account
    }

    /// Sends one request and decodes a 2xx reply as `Reply`.
    private func call<Reply: Decodable>(
        _ operation: String, _ method: String, _ path: String, query: [URLQueryItem] = [], body: Data? = nil
    ) async throws -> Reply {
        let request = makeRequest(method, path, query: query, body: body)
        let response: HTTPResponse
        do {
            response = try await transport.send(request)
        } catch let error as HTTPTransportError {
            throw APIError.network(operation: operation, baseURL: baseURL, error)
        }
        guard (200..<300).contains(response.status) else {
            throw APIError.from(response: response, operation: operation, keySource: keySource)
        }
        do {
            return try JSONDecoder().decode(Reply.self, from: response.body)
        } catch {
            throw APIError.malformed(operation: operation, status: response.status)
        }
    }

    func makeRequest(_ method: String, _ path: String, query: [URLQueryItem], body: Data?) -> HTTPRequest {
        var components = URLComponents(url: baseURL, resolvingAgainstBaseURL: false) ?? URLComponents()
        let basePath = components.path.hasSuffix("/") ? String(components.path.dropLast()) : components.path
        components.percentEncodedPath = basePath + pathPrefix + path
        components.queryItems = query.isEmpty ? nil : query
        var headers = [
            "accept": "application/json",
            "user-agent": "onboard/\(OnboardVersion.current)",
        ]
        apiKey.withRevealedValue { headers["x-api-key"] = $0 }
        if body != nil { headers["content-type"] = "application/json" }
        return HTTPRequest(method: method, url: components.url ?? baseURL, headers: headers, body: body)
    }

    /// Percent-encodes an id or slug for use as one path segment.
    private func pathComponent(_ value: String) -> String {
        value.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(CharacterSet(charactersIn: "/"))) ?? value
    }
}
