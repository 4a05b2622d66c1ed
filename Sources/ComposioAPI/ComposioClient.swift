import Foundation
import Logging
import OnboardCore

/// ``ComposioService`` over HTTP: builds the contract's requests, decodes its replies, retries
/// what is safe to retry, and turns every failure into an ``APIError``.
///
/// Reads (and idempotent writes) are retried by ``RetryPolicy``. A create is never blindly
/// retried: after an ambiguous failure the client lists the user's accounts on that auth config
/// and adopts the one its request made, so one call never makes two accounts.
package struct ComposioClient: ComposioService {
    package let baseURL: URL
    private let apiKey: Secret
    private let keySource: String
    private let transport: any HTTPTransport
    /// `/api/v3.1` by default; `/api/v3` for servers that only have the frozen version.
    package let pathPrefix: String
    private let retry: RetryPolicy
    private let logger: Logger
    private let sleep: @Sendable (Duration) async throws -> Void
    /// The clock retries wait on and attempts are timed with.
    private let clock: any Timekeeper
    private let jitter: @Sendable () -> Double
    /// Hears about each wait before a retry (for a visible countdown).
    package let retryNotifier: RetryNotifier

    /// - Parameters:
    ///   - keySource: where the key came from ("COMPOSIO_API_KEY", a file), named when it is rejected.
    ///   - logger: receives one debug line per attempt (method, path, status, time); never
    ///     headers, queries or bodies.
    ///   - clock: what retries wait on and attempts are timed with.
    ///   - sleep, jitter: injected so tests run retries without waiting (sleep defaults to the clock's).
    package init(
        baseURL: URL, apiKey: Secret, keySource: String, transport: any HTTPTransport, pathPrefix: String = "/api/v3.1",
        retry: RetryPolicy = .standard, logger: Logger = Logger(label: "onboard.api", factory: { _ in SwiftLogNoOpLogHandler() }),
        clock: any Timekeeper = SystemTimekeeper(), sleep: (@Sendable (Duration) async throws -> Void)? = nil,
        jitter: @escaping @Sendable () -> Double = { Double.random(in: 0...1) }, retryNotifier: RetryNotifier = RetryNotifier()
    ) {
        self.clock = clock
        self.retryNotifier = retryNotifier
        self.baseURL = baseURL
        self.apiKey = apiKey
        self.keySource = keySource
        self.transport = transport
        self.pathPrefix = pathPrefix
        self.retry = retry
        self.logger = logger
        self.sleep = sleep ?? { try await clock.sleep(for: $0) }
        self.jitter = jitter
    }

    /// The same client with another key (e.g. one typed into the masked prompt).
    package func with(apiKey: Secret, keySource: String = "the key you entered") -> ComposioClient {
        ComposioClient(
            baseURL: baseURL, apiKey: apiKey, keySource: keySource, transport: transport, pathPrefix: pathPrefix, retry: retry,
            logger: logger, clock: clock, sleep: sleep, jitter: jitter, retryNotifier: retryNotifier
        )
    }

    // MARK: project and auth configs

    package func sessionInfo() async throws -> ProjectInfo {
        let wire: WireSessionInfo = try await fetch("check the API key", "GET", "/auth/session/info")
        guard let project = wire.project, let id = project.nanoId ?? project.id else {
            throw APIError.malformed(operation: "check the API key", status: 200)
        }
        return ProjectInfo(id: id, name: project.name ?? id, organisationName: project.org?.name)
    }

    package func listAuthConfigs(_ query: AuthConfigQuery) async throws -> AuthConfigPage {
        var items: [URLQueryItem] = [URLQueryItem(name: "limit", value: String(query.limit))]
        if let search = query.search, !search.isEmpty { items.append(URLQueryItem(name: "search", value: search)) }
        if let slug = query.toolkitSlug { items.append(URLQueryItem(name: "toolkit_slug", value: slug)) }
        if query.showDisabled { items.append(URLQueryItem(name: "show_disabled", value: "true")) }
        if let cursor = query.cursor { items.append(URLQueryItem(name: "cursor", value: cursor)) }
        let page: WirePage<WireAuthConfig> = try await fetch("list auth configs", "GET", "/auth_configs", query: items)
        return AuthConfigPage(items: page.items.map(\.summary), nextCursor: page.nextCursor, totalItems: page.totalItems)
    }

    package func authConfig(id: String) async throws -> AuthConfigSummary {
        let wire: WireAuthConfig = try await fetch("read auth config \(id)", "GET", "/auth_configs/\(Self.segment(id))")
        return wire.summary
    }

    package func updateSharedCredentials(authConfigId: String, configType: String, values: [String: Secret]) async throws -> AuthConfigSummary {
        let body = try JSONEncoder().encode(WirePatchAuthConfig(type: configType, sharedCredentials: WireSecretMap(values)))
        // A PATCH that replaces the whole map is idempotent: safe to retry.
        _ = try await send(
            "update the shared credentials of \(authConfigId)", "PATCH", "/auth_configs/\(Self.segment(authConfigId))", body: body, retrying: true)
        return try await authConfig(id: authConfigId)
    }

    package func connectionFields(toolkit: String, scheme: AuthScheme) async throws -> [CredentialField] {
        let operation = "read the fields of \(toolkit)"
        let wire: WireToolkit = try await fetch(operation, "GET", "/toolkits/\(Self.segment(toolkit))", query: [URLQueryItem(name: "version", value: "latest")])
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

    // MARK: connected accounts

    package func listConnectedAccounts(_ query: ConnectedAccountQuery) async throws -> ConnectedAccountPage {
        var items = [
            URLQueryItem(name: "limit", value: String(query.limit)),
            URLQueryItem(name: "order_by", value: "created_at"),
            URLQueryItem(name: "order_direction", value: query.newestFirst ? "desc" : "asc"),
        ]
        // Arrays go comma-joined, as the official clients send them.
        if !query.userIds.isEmpty { items.append(URLQueryItem(name: "user_ids", value: query.userIds.joined(separator: ","))) }
        if !query.authConfigIds.isEmpty { items.append(URLQueryItem(name: "auth_config_ids", value: query.authConfigIds.joined(separator: ","))) }
        if !query.toolkitSlugs.isEmpty { items.append(URLQueryItem(name: "toolkit_slugs", value: query.toolkitSlugs.joined(separator: ","))) }
        if !query.statuses.isEmpty { items.append(URLQueryItem(name: "statuses", value: query.statuses.map(\.rawValue).joined(separator: ","))) }
        if let cursor = query.cursor { items.append(URLQueryItem(name: "cursor", value: cursor)) }
        let page: WirePage<WireConnectedAccount> = try await fetch("list connected accounts", "GET", "/connected_accounts", query: items)
        return ConnectedAccountPage(items: page.items.map(\.account), nextCursor: page.nextCursor, totalItems: page.totalItems)
    }

    package func connectedAccount(id: String) async throws -> ConnectedAccount {
        let wire: WireConnectedAccount = try await fetch("read connected account \(id)", "GET", "/connected_accounts/\(Self.segment(id))")
        return wire.account
    }

    package func createConnectedAccount(_ request: ConnectionRequest) async throws -> ConnectedAccount {
        let operation = "create the connected account"
        let body = try JSONEncoder().encode(WireCreateConnectedAccountRequest(request))
        return try await createOnce(
            operation, "/connected_accounts", body: body, userId: request.userId, authConfigId: request.authConfigId, baseline: request.knownAccountIds
        ) { response in
            let created = try decode(WireCreateConnectedAccountResponse.self, response, operation).account(
                authConfigId: request.authConfigId, userId: request.userId)
            // The create reply carries no status_reason: read the account to say why it failed.
            guard created.status.isTerminalFailure, let full = try? await connectedAccount(id: created.id) else { return created }
            return full
        } adopt: { account in
            var adopted = account
            adopted.userId = adopted.userId ?? request.userId
            return adopted
        }
    }

    package func updateConnectedAccount(id: String, scheme: AuthScheme, values: [String: Secret?], alias: String?) async throws -> ConnectionStatus {
        let connection = values.isEmpty ? nil : WirePatchConnectedAccount.Connection(state: .init(authScheme: scheme.rawValue, val: WireSecretMap(values)))
        let body = try JSONEncoder().encode(WirePatchConnectedAccount(connection: connection, alias: alias))
        // A PATCH that sets values is idempotent: safe to retry.
        let reply = try await send("update connected account \(id)", "PATCH", "/connected_accounts/\(Self.segment(id))", body: body, retrying: true)
        return (try? JSONDecoder().decode(WirePatchReply.self, from: reply.body).status ?? nil) ?? .active
    }

    package func setConnectedAccountEnabled(id: String, enabled: Bool) async throws {
        let body = try JSONEncoder().encode(WireAccountStatusChange(enabled: enabled))
        _ = try await send(
            "\(enabled ? "enable" : "disable") connected account \(id)", "PATCH", "/connected_accounts/\(Self.segment(id))/status", body: body,
            retrying: true)
    }

    package func deleteConnectedAccount(id: String) async throws {
        do {
            _ = try await send("delete connected account \(id)", "DELETE", "/connected_accounts/\(Self.segment(id))", retrying: true)
        } catch let error as APIError where error.failure.kind == .notFound && error.retriedAfterAmbiguity {
            // An earlier attempt's reply was lost but it did delete the account.
            return
        }
    }

    package func createLink(authConfigId: String, userId: String, callbackURL: String?, alias: String?) async throws -> HostedLink {
        let operation = "create a connect link"
        let body = try JSONEncoder().encode(WireCreateLink(authConfigId: authConfigId, userId: userId, callbackUrl: callbackURL, alias: alias))
        return try await createOnce(operation, "/connected_accounts/link", body: body, userId: userId, authConfigId: authConfigId) { response in
            let wire = try decode(WireLinkResponse.self, response, operation)
            return HostedLink(
                connectedAccountId: wire.connectedAccountId, redirectURL: wire.redirectUrl, expiresAt: wire.expiresAt.flatMap(Self.parseTimestamp))
        } adopt: { account in
            guard let redirect = account.redirectURL else { return nil }
            return HostedLink(connectedAccountId: account.id, redirectURL: redirect, expiresAt: nil)
        }
    }

    /// POSTs something that makes a connected account, never making two: an ambiguous failure
    /// (no reply, or a 5xx) is followed by listing the user's accounts on the auth config, and an
    /// account that was not there before is adopted instead of posting again. Only failures
    /// that certainly made nothing are retried, by policy.
    private func createOnce<Made>(
        _ operation: String, _ path: String, body: Data, userId: String, authConfigId: String, baseline known: Set<String>? = nil,
        decode made: (HTTPResponse) async throws -> Made, adopt: (ConnectedAccount) -> Made?
    ) async throws -> Made {
        let baseline: Set<String>
        if let known { baseline = known } else { baseline = try await accountIds(userId: userId, authConfigId: authConfigId) }
        let started = clock.now
        var attempt = 0
        while true {
            let failure: APIError
            do {
                return try await made(try await send(operation, "POST", path, body: body, retrying: false))
            } catch let error as APIError {
                failure = error
            }
            if failure.mayHaveApplied {
                let new = try await accountIds(userId: userId, authConfigId: authConfigId).subtracting(baseline)
                if let id = new.sorted().last, let adopted = adopt(try await connectedAccount(id: id)) {
                    logger.debug("adopted \(id) after an ambiguous failure to \(operation)")
                    return adopted
                }
            }
            guard
                case .retry(let delay) = retry.decide(
                    attempt: attempt, outcome: failure.outcome, jitter: jitter(), now: clock.date, elapsed: clock.now - started)
            else { throw failure }
            announce(operation, delay, failure)
            try await sleep(delay)
            attempt += 1
        }
    }

    /// Every account id the user has on the auth config (all pages).
    func accountIds(userId: String, authConfigId: String) async throws -> Set<String> {
        Set(try await allConnectedAccounts(ConnectedAccountQuery(userIds: [userId], authConfigIds: [authConfigId])).map(\.id))
    }

    // MARK: transport

    /// A retried GET decoded as `Reply`.
    private func fetch<Reply: Decodable>(_ operation: String, _ method: String, _ path: String, query: [URLQueryItem] = []) async throws -> Reply {
        let response = try await send(operation, method, path, query: query, retrying: true)
        return try decode(Reply.self, response, operation)
    }

    private func decode<Reply: Decodable>(_ type: Reply.Type, _ response: HTTPResponse, _ operation: String) throws -> Reply {
        do {
            return try JSONDecoder().decode(Reply.self, from: response.body)
        } catch {
            throw APIError.malformed(operation: operation, status: response.status)
        }
    }

    /// Sends one request, retrying by policy when `retrying`; returns a 2xx reply or throws.
    private func send(
        _ operation: String, _ method: String, _ path: String, query: [URLQueryItem] = [], body: Data? = nil, retrying: Bool
    ) async throws -> HTTPResponse {
        let request = makeRequest(method, path, query: query, body: body)
        let first = clock.now
        var attempt = 0
        var sawAmbiguity = false
        while true {
            let started = clock.now
            var error: APIError
            do {
                let response = try await transport.send(request)
                logger.debug(
                    "\(method) \(pathPrefix)\(path) \(response.status) \((clock.now - started).formattedMilliseconds) (attempt \(attempt + 1))")
                if (200..<300).contains(response.status) { return response }
                error = APIError.from(response: response, operation: operation, keySource: keySource)
                var headers = response.headers
                // 409 is retried as a write-lease conflict, but a taken alias stays taken.
                if response.status == 409, headers["x-should-retry"] == nil, error.failure.message.lowercased().contains("alias") {
                    headers["x-should-retry"] = "false"
                }
                error.outcome = .reply(status: response.status, headers: headers)
            } catch let transportError as HTTPTransportError {
                logger.debug("\(method) \(pathPrefix)\(path) no reply \((clock.now - started).formattedMilliseconds) (attempt \(attempt + 1))")
                error = APIError.network(operation: operation, baseURL: baseURL, transportError)
            }
            error.retriedAfterAmbiguity = sawAmbiguity
            guard retrying,
                case .retry(let delay) = retry.decide(attempt: attempt, outcome: error.outcome, jitter: jitter(), now: clock.date, elapsed: clock.now - first)
            else { throw error }
            sawAmbiguity = sawAmbiguity || error.mayHaveApplied
            announce(operation, delay, error)
            try await sleep(delay)
            attempt += 1
        }
    }

    private func announce(_ operation: String, _ delay: Duration, _ failure: APIError) {
        var rateLimited = false
        if case .rateLimited = failure.failure.kind { rateLimited = true }
        retryNotifier.notify(RetryNotifier.Notice(operation: operation, delay: delay, rateLimited: rateLimited))
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

    /// An ISO 8601 timestamp, with or without fractional seconds.
    static func parseTimestamp(_ text: String) -> Date? { UTCTimestamp.parse(text) }

    /// Percent-encodes an id or slug for use as one path segment.
    static func segment(_ value: String) -> String {
        value.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(CharacterSet(charactersIn: "/"))) ?? value
    }
}

extension Duration {
    /// "12 ms", for trace lines.
    var formattedMilliseconds: String {
        let (seconds, attoseconds) = components
        return "\(seconds * 1000 + attoseconds / 1_000_000_000_000_000) ms"
    }
}
