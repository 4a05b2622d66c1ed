import ComposioAPI
import Foundation
import HTTPTypes
import Hummingbird
import OnboardCore

/// Connected accounts: list, create, get, PATCH, enable/disable, delete.
extension SandboxRoutes {
    /// How long an INITIATED account waits for its person before it EXPIRES.
    static let expiredReason = "Connection initiation did not complete within 10 minutes"

    @Sendable func listConnectedAccounts(_ request: Request, context: SandboxRequestContext) async throws -> Response {
        let project = try context.requireProject()
        let query = request.uri.queryParameters
        let paging = try Paging(limit: query["limit"], cursor: query["cursor"], defaultLimit: 20, maximumLimit: 1000)
        var filter = ConnectedAccountFilter(
            userIds: Self.queryList(request, "user_ids"),
            authConfigIds: Self.queryList(request, "auth_config_ids"),
            toolkitSlugs: Self.queryList(request, "toolkit_slugs"),
            statuses: Self.queryList(request, "statuses").map { $0.uppercased() },
            ids: Self.queryList(request, "connected_account_ids")
        )
        if let orderBy = query["order_by"] {
            guard orderBy == "created_at" || orderBy == "updated_at" else {
                throw SandboxError.badRequest("order_by must be created_at or updated_at", slug: "Request_InvalidOrder")
            }
            filter.orderBy = String(orderBy)
        }
        if let direction = query["order_direction"] {
            guard direction == "asc" || direction == "desc" else {
                throw SandboxError.badRequest("order_direction must be asc or desc", slug: "Request_InvalidOrder")
            }
            filter.ascending = direction == "asc"
        }
        try await expireDue(projectId: project.id)
        let (records, total) = try await store.connectedAccounts(projectId: project.id, filter: filter, offset: paging.offset, limit: paging.limit)
        var items: [WireConnectedAccount] = []
        for record in records {
            items.append(wire(record, config: try await store.authConfig(projectId: project.id, id: record.authConfigId), request: request))
        }
        return try JSONResponse.make(paging.page(items, total: total))
    }

    @Sendable func createConnectedAccount(_ request: Request, context: SandboxRequestContext) async throws -> Response {
        let project = try context.requireProject()
        let body: WireCreateConnectedAccountRequest = try await Self.decodeBody(request, context: context)
        let creation = try await ConnectionCreation.check(body, projectId: project.id, store: store)
        let alias = body.connection?.alias.flatMap { $0.isEmpty ? nil : $0 }
        try await requireFreeAlias(alias, projectId: project.id, userId: creation.userId, toolkit: creation.config.toolkitSlug, conflict: .badRequest)
        let stamp = now()
        let starting = creation.status == .initiated
        let token = starting ? SandboxIdentifiers.make("lt", length: 24) : nil
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
            alias: alias,
            credentials: try sealer.seal(creation.values),
            linkToken: token,
            expiresAt: starting ? stamp.addingTimeInterval(initiationLifetime) : nil,
            callbackURL: try Self.callbackURL(body.connection?.callbackUrl),
            createdAt: stamp,
            updatedAt: stamp
        )
        try await store.insert(record)
        let redirect = token.map { linkURL(token: $0, request: request) }
        let reply = WireCreateConnectedAccountResponse(
            id: record.id,
            connectionData: WireConnectionStateSummary(authScheme: record.authScheme, val: .init(status: creation.status, redirectUrl: redirect)),
            status: creation.status,
            redirectUrl: redirect,
            uuid: record.uuid,
            authConfigUuid: creation.config.uuid
        )
        return try JSONResponse.make(reply, status: .created)
    }

    @Sendable func getConnectedAccount(_ request: Request, context: SandboxRequestContext) async throws -> Response {
        let record = try await requireConnectedAccount(context)
        let config = try await store.authConfig(projectId: record.projectId, id: record.authConfigId)
        return try JSONResponse.make(wire(record, config: config, request: request))
    }

    /// `PATCH /connected_accounts/{id}`: `{alias?, connection?:{state:{authScheme, val:{...}}}}`;
    /// values set, `null` removes.
    @Sendable func patchConnectedAccount(_ request: Request, context: SandboxRequestContext) async throws -> Response {
        var record = try await requireConnectedAccount(context)
        let body = try await Self.decodeObject(request, context: context)
        guard body["alias"] != nil || body["connection"] != nil else {
            throw SandboxError.badRequest(
                "Nothing to update: send alias, connection.state.val, or both", slug: "ConnectedAccount_BadRequest",
                fix: "Send the credential keys to change inside connection.state.val (null removes one), or an alias.")
        }
        if let alias = body["alias"] {
            let wanted = alias.text.flatMap { $0.isEmpty ? nil : $0 }
            try await requireFreeAlias(
                wanted, projectId: record.projectId, userId: record.userId, toolkit: record.toolkitSlug, except: record.id, conflict: .conflict)
            record.alias = wanted
        }
        if case .object(let connection)? = body["connection"], case .object(let state)? = connection["state"] {
            let scheme = AuthScheme(rawValue: record.authScheme)
            guard scheme.takesCredentialsInPlace else {
                throw SandboxError.badRequest(
                    "The credentials of a \(scheme.rawValue) connection cannot be patched", slug: "ConnectedAccount_BadRequest",
                    fix:
                        "Only BEARER_TOKEN, API_KEY, BASIC, BASIC_WITH_JWT, GOOGLE_SERVICE_ACCOUNT and SERVICE_ACCOUNT connections take new credentials; reconnect OAuth accounts through a hosted link."
                )
            }
            if let sent = state["authScheme"]?.text, AuthScheme(rawValue: sent) != AuthScheme(rawValue: record.authScheme) {
                throw SandboxError.badRequest(
                    "state.authScheme \(sent) does not match the account's scheme \(record.authScheme)", slug: "ConnectedAccount_BadRequest"
                )
            }
            if let val = state["val"] {
                var values = try sealer.unseal(record.credentials)
                for (name, change) in Self.patch(val) where name != "status" {
                    values[name] = change
                }
                record.credentials = try sealer.seal(values.compactMapValues { $0 })
            }
        }
        record.updatedAt = now()
        try await store.save(record)
        return try JSONResponse.make(JSONValue.object(["id": .string(record.id), "status": .string(record.status), "success": .bool(true)]))
    }

    /// Refuses an alias another live account of the same user and toolkit holds: 400 on create
    /// and link (as the service answers), 409 on PATCH.
    func requireFreeAlias(
        _ alias: String?, projectId: String, userId: String, toolkit: String, except: String? = nil, conflict: HTTPResponse.Status
    ) async throws {
        guard let alias else { return }
        let filter = ConnectedAccountFilter(userIds: [userId], toolkitSlugs: [toolkit])
        let (records, _) = try await store.connectedAccounts(projectId: projectId, filter: filter, offset: 0, limit: 10_000)
        guard records.contains(where: { $0.alias == alias && $0.id != except }) else { return }
        var error = SandboxError(
            status: conflict, message: "Alias \"\(alias)\" is already in use by another connection for this entity",
            code: conflict == .conflict ? 409 : 600, slug: conflict == .conflict ? "ConnectedAccount_DuplicateAlias" : "ConnectedAccount_BadRequest",
            suggestedFix: "Choose an alias this user has not given another \(toolkit) connection.")
        // A 409 usually means "retry"; this one does not.
        error.headers = [HTTPField.Name("x-should-retry")!: "false"]
        throw error
    }

    /// `PATCH /connected_accounts/{id}/status` `{enabled: bool}`: disabled accounts are INACTIVE.
    @Sendable func setConnectedAccountStatus(_ request: Request, context: SandboxRequestContext) async throws -> Response {
        var record = try await requireConnectedAccount(context)
        let body = try await Self.decodeObject(request, context: context)
        guard case .bool(let enabled)? = body["enabled"] else {
            throw SandboxError.badRequest("Missing required field: enabled", slug: "Request_MissingField", errors: ["enabled (true or false) is required"])
        }
        record.isDisabled = !enabled
        if enabled, record.status == ConnectionStatus.inactive.rawValue {
            record.status = ConnectionStatus.active.rawValue
            record.statusReason = nil
        } else if !enabled, record.status == ConnectionStatus.active.rawValue {
            record.status = ConnectionStatus.inactive.rawValue
            record.statusReason = "Connection status updated by user"
        }
        record.updatedAt = now()
        try await store.save(record)
        return try JSONResponse.make(JSONValue.object(["success": .bool(true)]))
    }

    /// `DELETE /connected_accounts/{id}`: a soft delete.
    @Sendable func deleteConnectedAccount(_ request: Request, context: SandboxRequestContext) async throws -> Response {
        var record = try await requireConnectedAccount(context)
        record.isDeleted = true
        record.updatedAt = now()
        try await store.save(record)
        return try JSONResponse.make(JSONValue.object(["success": .bool(true)]))
    }

    func requireConnectedAccount(_ context: SandboxRequestContext) async throws -> ConnectedAccountRecord {
        let project = try context.requireProject()
        let id = try context.parameters.require("id")
        guard let record = try await store.connectedAccount(projectId: project.id, id: id) else {
            throw SandboxError(
                status: .notFound, message: "No connected account found", code: 1803, slug: "ConnectedAccount_NotFound",
                suggestedFix: "Check the connected account id (ca_...) and that it belongs to this project."
            )
        }
        return try await expireIfDue(record)
    }

    /// An INITIATED account past its deadline becomes EXPIRED when next read.
    func expireIfDue(_ record: ConnectedAccountRecord) async throws -> ConnectedAccountRecord {
        guard record.status == ConnectionStatus.initiated.rawValue, let deadline = record.expiresAt, deadline <= now() else { return record }
        var expired = record
        expired.status = ConnectionStatus.expired.rawValue
        expired.statusReason = Self.expiredReason
        expired.updatedAt = now()
        try await store.save(expired)
        return expired
    }

    /// Expires every overdue INITIATED account of a project before a listing.
    func expireDue(projectId: String) async throws {
        let filter = ConnectedAccountFilter(statuses: [ConnectionStatus.initiated.rawValue])
        let (pending, _) = try await store.connectedAccounts(projectId: projectId, filter: filter, offset: 0, limit: 10_000)
        for record in pending { _ = try await expireIfDue(record) }
    }

    func wire(_ record: ConnectedAccountRecord, config: AuthConfigRecord?, request: Request) -> WireConnectedAccount {
        let status = ConnectionStatus(rawValue: record.status)
        let redirect = status == .initiated ? record.linkToken.map { linkURL(token: $0, request: request) } : nil
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
            state: WireConnectionStateSummary(
                authScheme: record.authScheme,
                val: .init(
                    status: status, redirectUrl: redirect,
                    fields: CredentialRedaction.shown(
                        (try? sealer.unseal(record.credentials)) ?? [:], scheme: AuthScheme(rawValue: record.authScheme), status: status,
                        toolkit: SeedCatalog.toolkit(slug: record.toolkitSlug)))),
            createdAt: Self.timestamp(record.createdAt),
            updatedAt: Self.timestamp(record.updatedAt),
            uuid: record.uuid,
            linkHelpRequestedAt: record.helpRequestedAt.map(Self.timestamp)
        )
    }
}
