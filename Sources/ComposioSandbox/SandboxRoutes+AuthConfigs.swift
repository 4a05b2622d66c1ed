import ComposioAPI
import Foundation
import Hummingbird
import OnboardCore

/// Auth configs: list, get, create, PATCH (shared credentials), enable/disable, delete.
extension SandboxRoutes {
    @Sendable func listAuthConfigs(_ request: Request, context: SandboxRequestContext) async throws -> Response {
        let project = try context.requireProject()
        let query = request.uri.queryParameters
        let paging = try Paging(limit: query["limit"], cursor: query["cursor"], defaultLimit: 20, maximumLimit: 1000)
        let filter = AuthConfigFilter(
            search: query["search"].map(String.init),
            toolkitSlugs: Self.queryList(request, "toolkit_slug"),
            showDisabled: query["show_disabled"].map { $0.lowercased() == "true" } ?? false
        )
        let (records, total) = try await store.authConfigs(projectId: project.id, filter: filter, offset: paging.offset, limit: paging.limit)
        let counts = try await store.activeConnectionCounts(authConfigIds: records.map(\.id))
        let items = records.map { wire($0, connections: counts[$0.id] ?? 0) }
        return try JSONResponse.make(paging.page(items, total: total))
    }

    @Sendable func getAuthConfig(_ request: Request, context: SandboxRequestContext) async throws -> Response {
        let record = try await requireAuthConfig(context)
        let counts = try await store.activeConnectionCounts(authConfigIds: [record.id])
        return try JSONResponse.make(wire(record, connections: counts[record.id] ?? 0))
    }

    /// `POST /auth_configs`: `{toolkit:{slug}, auth_config:{type: use_composio_managed_auth |
    /// use_custom_auth, authScheme, name, credentials, shared_credentials}}`.
    @Sendable func createAuthConfig(_ request: Request, context: SandboxRequestContext) async throws -> Response {
        let project = try context.requireProject()
        let body = try await Self.decodeObject(request, context: context)
        guard case .object(let toolkitRef)? = body["toolkit"], let slug = toolkitRef["slug"]?.text, !slug.isEmpty else {
            throw SandboxError.badRequest("Missing required field: toolkit.slug", slug: "Request_MissingField", errors: ["toolkit.slug is required"])
        }
        guard let toolkit = SeedCatalog.toolkit(slug: slug) else {
            throw SandboxError.notFound("Toolkit \(slug)", slug: "Toolkit_NotFound")
        }
        var options: [String: JSONValue] = [:]
        if case .object(let given)? = body["auth_config"] { options = given }
        let managed = (options["type"]?.text ?? "use_composio_managed_auth") == "use_composio_managed_auth"
        let scheme: AuthScheme
        if managed {
            guard let first = toolkit.managedSchemes.first else {
                throw SandboxError.badRequest(
                    "Toolkit \(slug) has no Composio-managed auth", slug: "AuthConfig_BadRequest",
                    fix: "Create a custom auth config with auth_config.type use_custom_auth and an authScheme."
                )
            }
            scheme = first
        } else {
            guard let raw = options["authScheme"]?.text ?? options["auth_scheme"]?.text else {
                throw SandboxError.badRequest(
                    "Missing required field: auth_config.authScheme", slug: "Request_MissingField", errors: ["auth_config.authScheme is required"])
            }
            scheme = AuthScheme(rawValue: raw)
            guard toolkit.scheme(scheme) != nil else {
                throw SandboxError.badRequest(
                    "Toolkit \(slug) does not support \(scheme.rawValue)", slug: "AuthConfig_BadRequest",
                    fix: "Use one of: \(toolkit.schemes.map(\.mode.rawValue).joined(separator: ", "))."
                )
            }
        }
        let shared = Self.secrets(in: options["shared_credentials"])
        let stamp = now()
        let record = AuthConfigRecord(
            id: SandboxIdentifiers.make("ac"),
            uuid: UUID().uuidString.lowercased(),
            projectId: project.id,
            name: options["name"]?.text ?? "\(toolkit.name) \(scheme.displayName)",
            toolkitSlug: toolkit.slug,
            authScheme: scheme.rawValue,
            type: managed ? "default" : "custom",
            isEnabled: true,
            sharedCredentials: shared.isEmpty ? nil : try sealer.seal(shared),
            sharedFieldNames: shared.keys.sorted().joined(separator: ","),
            credentials: try sealer.seal(Self.secrets(in: options["credentials"])),
            createdAt: stamp,
            updatedAt: stamp
        )
        try await store.save(record)
        let reply: JSONValue = .object([
            "toolkit": .object(["slug": .string(toolkit.slug)]),
            "auth_config": .object([
                "id": .string(record.id),
                "auth_scheme": .string(record.authScheme),
                "is_composio_managed": .bool(managed),
            ]),
        ])
        return try JSONResponse.make(reply, status: .created)
    }

    /// The settings a PATCH keeps as given; omitted ones stay, `null` (or `[]`) clears.
    static let patchableSettings = ["tool_access_config", "restrict_to_following_tools", "scopes", "user_scopes", "proxy_config", "is_enabled_for_tool_router"]

    /// `PATCH /auth_configs/{id}`: flat body discriminated by `type` (custom | default), a true
    /// PATCH since January 2026: `credentials` merged key by key, `shared_credentials` replaced
    /// (the contract says send the full map), every other field kept unless sent. A body wrapped
    /// in `auth_config` (as one documentation sample has it) is read the same way, and a missing
    /// `type` is the config's own.
    @Sendable func patchAuthConfig(_ request: Request, context: SandboxRequestContext) async throws -> Response {
        var record = try await requireAuthConfig(context)
        var body = try await Self.decodeObject(request, context: context)
        if body["type"] == nil, case .object(let wrapped)? = body["auth_config"] { body = wrapped }
        let type = body["type"]?.text ?? record.type
        guard type == record.type else {
            throw SandboxError.badRequest(
                "type \(type) does not match this auth config's type \(record.type)", slug: "AuthConfig_BadRequest",
                fix: "Send \"type\": \"\(record.type)\" for this auth config."
            )
        }
        if let name = body["name"]?.text, !name.isEmpty { record.name = name }
        if let given = body["credentials"] {
            var merged = try record.credentials.map(sealer.unseal) ?? [:]
            for (name, value) in Self.patch(given) {
                merged[name] = value
            }
            record.credentials = try sealer.seal(merged.compactMapValues { $0 })
        }
        var settings = Self.settings(record)
        for key in Self.patchableSettings {
            guard let value = body[key] else { continue }
            if case .null = value { settings.removeValue(forKey: key) } else { settings[key] = value }
        }
        record.settings = String(decoding: (try? JSONEncoder().encode(JSONValue.object(settings))) ?? Data("{}".utf8), as: UTF8.self)
        if let given = body["shared_credentials"] {
            let shared = Self.secrets(in: given)
            record.sharedCredentials = shared.isEmpty ? nil : try sealer.seal(shared)
            record.sharedFieldNames = shared.keys.sorted().joined(separator: ",")
        }
        record.updatedAt = now()
        try await store.save(record)
        return try JSONResponse.make(JSONValue.object(["success": .bool(true), "message": .string("Auth config updated")]))
    }

    /// `PATCH /auth_configs/{id}/ENABLED|DISABLED`.
    @Sendable func setAuthConfigStatus(_ request: Request, context: SandboxRequestContext) async throws -> Response {
        var record = try await requireAuthConfig(context)
        let status = try context.parameters.require("status").uppercased()
        guard status == "ENABLED" || status == "DISABLED" else {
            throw SandboxError.badRequest("status must be ENABLED or DISABLED", slug: "AuthConfig_BadRequest")
        }
        record.isEnabled = status == "ENABLED"
        record.updatedAt = now()
        try await store.save(record)
        return try JSONResponse.make(JSONValue.object([:]))
    }

    /// `DELETE /auth_configs/{id}`: a soft delete; it disappears from every read.
    @Sendable func deleteAuthConfig(_ request: Request, context: SandboxRequestContext) async throws -> Response {
        var record = try await requireAuthConfig(context)
        record.isDeleted = true
        record.updatedAt = now()
        try await store.save(record)
        return try JSONResponse.make(JSONValue.object([:]))
    }

    func requireAuthConfig(_ context: SandboxRequestContext) async throws -> AuthConfigRecord {
        let project = try context.requireProject()
        let id = try context.parameters.require("id")
        guard let record = try await store.authConfig(projectId: project.id, id: id) else {
            throw SandboxError.notFound("Auth config \(id)", slug: "AuthConfig_NotFound")
        }
        return record
    }

    /// The settings a PATCH stored, as a JSON object.
    static func settings(_ record: AuthConfigRecord) -> [String: JSONValue] {
        guard case .object(let object)? = try? JSONDecoder().decode(JSONValue.self, from: Data(record.settings.utf8)) else { return [:] }
        return object
    }

    func wire(_ record: AuthConfigRecord, connections: Int) -> WireAuthConfig {
        var wire = baseWire(record, connections: connections)
        let settings = Self.settings(record)
        if case .object(let access)? = settings["tool_access_config"] {
            let list = { (key: String) -> [String] in
                guard case .array(let items)? = access[key] else { return [] }
                return items.compactMap(\.text)
            }
            wire.toolAccessConfig = .init(
                toolsForConnectedAccountCreation: list("tools_for_connected_account_creation"),
                toolsAvailableForExecution: list("tools_available_for_execution"))
        }
        if case .array(let tools)? = settings["restrict_to_following_tools"] { wire.restrictToFollowingTools = tools.compactMap(\.text) }
        if case .bool(let flag)? = settings["is_enabled_for_tool_router"] { wire.isEnabledForToolRouter = flag }
        if case .object(var proxy)? = settings["proxy_config"] {
            // The proxy's auth key is a secret: shown as the service shows secrets.
            if proxy["proxy_auth_key"] != nil { proxy["proxy_auth_key"] = .string("REDACTED") }
            wire.proxyConfig = .object(proxy)
        }
        wire.scopes = settings["scopes"]
        wire.userScopes = settings["user_scopes"]
        return wire
    }

    private func baseWire(_ record: AuthConfigRecord, connections: Int) -> WireAuthConfig {
        let shared = record.sharedFieldNames.split(separator: ",").map(String.init)
        let credentialNames = ((try? record.credentials.map(sealer.unseal)) ?? nil)?.keys.sorted() ?? []
        return WireAuthConfig(
            id: record.id,
            uuid: record.uuid,
            type: record.type,
            toolkit: .init(slug: record.toolkitSlug, logo: "https://logos.composio.dev/api/\(record.toolkitSlug)"),
            name: record.name,
            authScheme: AuthScheme(rawValue: record.authScheme),
            isComposioManaged: record.type == "default",
            // Secrets are redacted on read, as the service does: names only.
            credentials: Dictionary(uniqueKeysWithValues: credentialNames.map { ($0, JSONValue.string("REDACTED")) }),
            sharedCredentials: Dictionary(uniqueKeysWithValues: shared.map { ($0, JSONValue.string("REDACTED")) }),
            status: record.isEnabled ? "ENABLED" : "DISABLED",
            createdBy: "sandbox",
            createdAt: Self.timestamp(record.createdAt),
            lastUpdatedAt: Self.timestamp(record.updatedAt),
            noOfConnections: connections
        )
    }

    /// String-valued entries of a JSON object, as secrets (numbers become their text).
    static func secrets(in value: JSONValue?) -> [String: Secret] {
        guard case .object(let object)? = value else { return [:] }
        return object.compactMapValues { $0.text.map(Secret.init) }
    }

    /// A partial update: a value sets, `null` removes.
    static func patch(_ value: JSONValue) -> [String: Secret?] {
        guard case .object(let object) = value else { return [:] }
        var changes: [String: Secret?] = [:]
        for (name, entry) in object {
            if case .null = entry { changes[name] = .some(nil) } else if let text = entry.text { changes[name] = Secret(text) }
        }
        return changes
    }
}
