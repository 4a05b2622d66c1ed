import ComposioAPI
import Foundation
import Hummingbird
import OnboardCore

/// The sandbox's API: the same handlers under `/api/v3` and `/api/v3.1`.
struct SandboxRoutes: Sendable {
    let store: any SandboxStore
    let sealer: CredentialSealer
    let now: @Sendable () -> Date

    static let prefixes = ["/api/v3", "/api/v3.1"]

    func register(on router: Router<SandboxRequestContext>) {
        for prefix in Self.prefixes {
            let group = router.group(RouterPath(prefix)).add(middleware: APIKeyMiddleware(store: store))
            group.get("auth_configs", use: listAuthConfigs)
            group.get("auth_configs/:id", use: getAuthConfig)
            group.get("toolkits/:slug", use: getToolkit)
            group.post("connected_accounts", use: createConnectedAccount)
            group.get("connected_accounts/:id", use: getConnectedAccount)
        }
    }

    // MARK: auth configs

    @Sendable func listAuthConfigs(_ request: Request, context: SandboxRequestContext) async throws -> Response {
        let project = try context.requireProject()
        let query = request.uri.queryParameters
        let paging = try Paging(limit: query["limit"], cursor: query["cursor"], defaultLimit: 20, maximumLimit: 1000)
        let filter = AuthConfigFilter(
            search: query["search"].map(String.init),
            toolkitSlugs: Self.commaList(query["toolkit_slug"]),
            showDisabled: query["show_disabled"].map { $0.lowercased() == "true" } ?? false
        )
        let (records, total) = try await store.authConfigs(projectId: project.id, filter: filter, offset: paging.offset, limit: paging.limit)
        let counts = try await store.activeConnectionCounts(authConfigIds: records.map(\.id))
        let items = records.map { wire($0, connections: counts[$0.id] ?? 0) }
        return try JSONResponse.make(paging.page(items, total: total))
    }

    @Sendable func getAuthConfig(_ request: Request, context: SandboxRequestContext) async throws -> Response {
        let project = try context.requireProject()
        let id = try context.parameters.require("id")
        guard let record = try await store.authConfig(projectId: project.id, id: id) else {
            throw SandboxError.notFound("Auth config \(id)", slug: "AuthConfig_NotFound")
        }
        let counts = try await store.activeConnectionCounts(authConfigIds: [id])
        return try JSONResponse.make(wire(record, connections: counts[id] ?? 0))
    }

    func wire(_ record: AuthConfigRecord, connections: Int) -> WireAuthConfig {
        let shared = record.sharedFieldNames.split(separator: ",").map(String.init)
        return WireAuthConfig(
            id: record.id,
            uuid: record.uuid,
            type: record.type,
            toolkit: .init(slug: record.toolkitSlug, logo: "https://logos.composio.dev/api/\(record.toolkitSlug)"),
            name: record.name,
            authScheme: AuthScheme(rawValue: record.authScheme),
            isComposioManaged: record.type == "default",
            credentials: [:],
            sharedCredentials: Dictionary(uniqueKeysWithValues: shared.map { ($0, JSONValue.string("REDACTED")) }),
            status: record.isEnabled ? "ENABLED" : "DISABLED",
            createdBy: "sandbox",
            createdAt: Self.timestamp(record.createdAt),
            lastUpdatedAt: Self.timestamp(record.updatedAt),
            noOfConnections: connections
        )
    }

    // MARK: toolkits

    @Sendable func getToolkit(_ request: Request, context: SandboxRequestContext) async throws -> Response {
        _ = try context.requireProject()
        let slug = try context.parameters.require("slug")
        guard let toolkit = SeedCatalog.toolkit(slug: slug) else {
            throw SandboxError.notFound("Toolkit \(slug)", slug: "Toolkit_NotFound")
        }
        return try JSONResponse.make(toolkit.wire)
    }

    // MARK: connected accounts

    @Sendable func createConnectedAccount(_ request: Request, context: SandboxRequestContext) async throws -> Response {
        let project = try context.requireProject()
        let body: WireCreateConnectedAccountRequest = try await Self.decodeBody(request, context: context)
        let creation = try await ConnectionCreation.check(body, projectId: project.id, store: store)
        let stamp = now()
        let record = ConnectedAccountRecord(
            id: SandboxIdentifiers.make("ca"),
            uuid: UUID().uuidString.lowercased(),
            projectId: project.id,
            authConfigId: creation.config.id,
            userId: creation.userId,
            toolkitSlug: creation.config.toolkitSlug,
            authScheme: creation.config.authScheme,
            status: creation.status.rawValue,
            statusReason: creation.statusReason,
            isDisabled: false,
            alias: body.connection?.alias,
            credentials: try sealer.seal(creation.values),
            createdAt: stamp,
            updatedAt: stamp
        )
        try await store.insert(record)
        let reply = WireCreateConnectedAccountResponse(
            id: record.id,
            connectionData: WireConnectionStateSummary(authScheme: record.authScheme, val: .init(status: creation.status)),
            status: creation.status,
            redirectUrl: nil,
            uuid: record.uuid,
            authConfigUuid: creation.config.uuid
        )
        return try JSONResponse.make(reply, status: .created)
    }

    @Sendable func getConnectedAccount(_ request: Request, context: SandboxRequestContext) async throws -> Response {
        let project = try context.requireProject()
        let id = try context.parameters.require("id")
        guard let record = try await store.connectedAccount(projectId: project.id, id: id) else {
            throw SandboxError(
                status: .notFound, message: "No connected account found", code: 1803, slug: "ConnectedAccount_NotFound",
                suggestedFix: "Check the connected account id (ca_...) and that it belongs to this project."
            )
        }
        let config = try await store.authConfig(projectId: project.id, id: record.authConfigId)
        return try JSONResponse.make(wire(record, config: config))
    }

    func wire(_ record: ConnectedAccountRecord, config: AuthConfigRecord?) -> WireConnectedAccount {
        let status = ConnectionStatus(rawValue: record.status)
        return WireConnectedAccount(
            id: record.id,
            alias: record.alias,
            userId: record.userId,
            status: status,
            statusReason: record.statusReason,
            isDisabled: record.isDisabled,
            toolkitSlug: record.toolkitSlug,
            authConfig: .init(
                id: record.authConfigId,
                authScheme: record.authScheme,
                isComposioManaged: config?.type == "default",
                isDisabled: !(config?.isEnabled ?? true)
            ),
            state: WireConnectionStateSummary(authScheme: record.authScheme, val: .init(status: status)),
            createdAt: Self.timestamp(record.createdAt),
            updatedAt: Self.timestamp(record.updatedAt),
            uuid: record.uuid
        )
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

    static func timestamp(_ date: Date) -> String {
        Date.ISO8601FormatStyle(includingFractionalSeconds: true).format(date)
    }
}
