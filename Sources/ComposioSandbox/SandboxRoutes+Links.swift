import ComposioAPI
import Foundation
import Hummingbird
import OnboardCore

/// Hosted connect links: `POST /connected_accounts/link` starts an INITIATED account whose
/// `redirect_url` is a page this sandbox serves, where a person approves (entering any fields
/// the scheme needs) or denies. The account then turns ACTIVE or FAILED, or EXPIRES after 10 min.
extension SandboxRoutes {
    @Sendable func createLink(_ request: Request, context: SandboxRequestContext) async throws -> Response {
        let project = try context.requireProject()
        let body = try await Self.decodeObject(request, context: context)
        let missing = ["auth_config_id", "user_id"].filter { (body[$0]?.text ?? "").isEmpty }
        guard missing.isEmpty else {
            throw SandboxError.badRequest(
                "Missing required fields: \(missing.joined(separator: ", "))", slug: "Request_MissingField",
                errors: missing.map { "\($0) is required" }
            )
        }
        let configId = body["auth_config_id"]?.text ?? ""
        let callback = try Self.callbackURL(body["callback_url"]?.text)
        guard let config = try await store.authConfig(projectId: project.id, id: configId) else {
            throw SandboxError.notFound("Auth config \(configId)", slug: "AuthConfig_NotFound")
        }
        guard config.isEnabled else {
            throw SandboxError.badRequest("Auth config \(configId) is disabled", slug: "AuthConfig_Disabled", fix: "Enable the auth config, or choose another.")
        }
        let alias = body["alias"]?.text.flatMap { $0.isEmpty ? nil : $0 }
        let userId = body["user_id"]?.text ?? ""
        try await requireFreeAlias(alias, projectId: project.id, userId: userId, toolkit: config.toolkitSlug, conflict: .badRequest)
        let stamp = now()
        let token = SandboxIdentifiers.make("lt", length: 24)
        let record = ConnectedAccountRecord(
            id: SandboxIdentifiers.make("ca"),
            uuid: UUID().uuidString.lowercased(),
            projectId: project.id,
            authConfigId: config.id,
            userId: body["user_id"]?.text ?? "",
            toolkitSlug: config.toolkitSlug,
            authScheme: config.authScheme,
            status: ConnectionStatus.initiated.rawValue,
            statusReason: nil,
            isDisabled: false,
            alias: alias,
            credentials: try sealer.seal(Self.secrets(in: body["connection_data"])),
            linkToken: token,
            expiresAt: stamp.addingTimeInterval(Self.initiationLifetime),
            callbackURL: callback,
            createdAt: stamp,
            updatedAt: stamp
        )
        try await store.insert(record)
        let reply: JSONValue = .object([
            "link_token": .string(token),
            "redirect_url": .string(linkURL(token: token, request: request)),
            "expires_at": .string(Self.timestamp(stamp.addingTimeInterval(Self.initiationLifetime))),
            "connected_account_id": .string(record.id),
        ])
        return try JSONResponse.make(reply, status: .created)
    }

    /// The page a link points at, on the host and port the caller used.
    func linkURL(token: String, request: Request) -> String {
        let host = request.head.authority ?? "\(Sandbox.defaultHost):\(Sandbox.defaultPort)"
        return "http://\(host)/link/\(token)"
    }

    /// A `callback_url` as given, nil when blank; anything but an http(s) URL is refused (the
    /// link page redirects the person there: no javascript:, data: or file: URLs).
    static func callbackURL(_ text: String?) throws -> String? {
        guard let text, !text.isEmpty else { return nil }
        guard let url = URLComponents(string: text), ["http", "https"].contains(url.scheme?.lowercased() ?? ""), url.host != nil else {
            throw SandboxError.badRequest(
                "callback_url must be an http(s) URL", slug: "Request_InvalidCallbackUrl", errors: ["callback_url must start with https:// or http://"])
        }
        return text
    }

    @Sendable func linkPage(_ request: Request, context: SandboxRequestContext) async throws -> Response {
        let record = try await requireLink(context)
        return LinkPage.response(for: record, fields: pendingFields(record), problem: nil, now: now())
    }

    @Sendable func linkDecision(_ request: Request, context: SandboxRequestContext) async throws -> Response {
        var record = try await requireLink(context)
        guard record.status == ConnectionStatus.initiated.rawValue else {
            return LinkPage.response(for: record, fields: [], problem: nil, now: now())
        }
        let buffer = try await request.body.collect(upTo: context.maxUploadSize)
        let form = LinkPage.parseForm(String(decoding: buffer.readableBytesView, as: UTF8.self))
        let fields = pendingFields(record)
        if form["decision"] == "approve" {
            let missing = fields.filter { $0.required && (form[$0.name] ?? "").isEmpty }
            if !missing.isEmpty {
                var page = LinkPage.response(
                    for: record, fields: fields, problem: "Fill in: \(missing.map(\.displayName).joined(separator: ", ")).", now: now())
                page.status = .badRequest
                return page
            }
            var values = try sealer.unseal(record.credentials)
            for field in fields { if let value = form[field.name], !value.isEmpty { values[field.name] = Secret(value) } }
            record.credentials = try sealer.seal(values)
            record.status = ConnectionStatus.active.rawValue
            record.statusReason = nil
        } else {
            record.status = ConnectionStatus.failed.rawValue
            record.statusReason = "Access was denied on the connect page"
        }
        record.updatedAt = now()
        try await store.save(record)
        if let callback = record.callbackURL, var components = URLComponents(string: callback),
            ["http", "https"].contains(components.scheme?.lowercased() ?? "")
        {
            let outcome = record.status == ConnectionStatus.active.rawValue ? "success" : "failed"
            components.queryItems =
                (components.queryItems ?? []) + [
                    URLQueryItem(name: "status", value: outcome), URLQueryItem(name: "connected_account_id", value: record.id),
                ]
            if let target = components.url?.absoluteString {
                return Response(status: .seeOther, headers: [.location: target])
            }
        }
        return LinkPage.response(for: record, fields: [], problem: nil, now: now())
    }

    func requireLink(_ context: SandboxRequestContext) async throws -> ConnectedAccountRecord {
        let token = try context.parameters.require("token")
        guard let record = try await store.connectedAccount(linkToken: token) else {
            throw SandboxError.notFound("Link", slug: "Link_NotFound")
        }
        return try await expireIfDue(record)
    }

    /// The fields the person still has to enter: the scheme's, minus prefilled and shared ones.
    func pendingFields(_ record: ConnectedAccountRecord) -> [SeedCatalog.Field] {
        let scheme = AuthScheme(rawValue: record.authScheme)
        let prefilled = Set((try? sealer.unseal(record.credentials))?.keys.map { $0 } ?? [])
        return (SeedCatalog.toolkit(slug: record.toolkitSlug)?.scheme(scheme)?.fields ?? []).filter { !prefilled.contains($0.name) }
    }
}
