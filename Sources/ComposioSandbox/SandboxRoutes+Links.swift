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
            expiresAt: stamp.addingTimeInterval(initiationLifetime),
            callbackURL: callback,
            createdAt: stamp,
            updatedAt: stamp
        )
        try await store.insert(record)
        let reply: JSONValue = .object([
            "link_token": .string(token),
            "redirect_url": .string(linkURL(token: token, request: request)),
            "expires_at": .string(Self.timestamp(stamp.addingTimeInterval(initiationLifetime))),
            "connected_account_id": .string(record.id),
        ])
        return try JSONResponse.make(reply, status: .created)
    }

    /// The page a link points at: under `--public-url` when given; else on the host and port
    /// the caller used, http only for this machine (a page that takes secrets from a browser
    /// elsewhere is served behind TLS, so its URL says https).
    func linkURL(token: String, request: Request) -> String {
        if let publicURL { return publicURL.trimmingCharacters(in: CharacterSet(charactersIn: "/")) + "/link/\(token)" }
        let host = request.head.authority ?? "\(Sandbox.defaultHost):\(Sandbox.defaultPort)"
        return "\(isLoopback(authority: host) ? "http" : "https")://\(host)/link/\(token)"
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
        let record: ConnectedAccountRecord
        switch try await link(context) {
        case .page(let response): return response
        case .usable(let found): record = found
        }
        return LinkPage.form(for: record, inputs: try await inputs(record), csrf: csrfToken(record), now: now())
    }

    @Sendable func linkDecision(_ request: Request, context: SandboxRequestContext) async throws -> Response {
        var record: ConnectedAccountRecord
        switch try await link(context) {
        case .page(let response): return response
        case .usable(let found): record = found
        }
        let buffer = try await request.body.collect(upTo: 1 << 20)
        let form = LinkPage.parseForm(String(decoding: buffer.readableBytesView, as: UTF8.self))
        // A form posted from anywhere but this page (no token, or another link's) changes nothing.
        guard let csrf = form["csrf"], csrf == csrfToken(record) else {
            return LinkPage.message(
                "This form could not be used", "The page was out of date or did not come from this link. Open the link again and resubmit.",
                status: .forbidden)
        }
        var inputs = try await inputs(record)
        if form["decision"] == "help" {
            // Said to whoever sent the link (`invite watch` reads it from the account); the page
            // stays, with what was typed into plain fields, never secret ones.
            record.helpRequestedAt = now()
            try await store.save(record)
            for index in inputs.indices where !inputs[index].field.isSecret {
                inputs[index].value = (form[inputs[index].field.name] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
            }
            return LinkPage.form(
                for: record, inputs: inputs, csrf: csrfToken(record), now: now(),
                notice: "Your operator has been told you asked for help; they will get in touch. You can go on when ready.")
        }
        if form["decision"] == "approve" {
            for index in inputs.indices {
                let field = inputs[index].field
                let typed = (form[field.name] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
                if !field.isSecret { inputs[index].value = typed }
                if typed.isEmpty, field.required, !inputs[index].provided {
                    inputs[index].error = "Enter the \(field.displayName)."
                } else if typed.utf8.count > 64 << 10 {
                    inputs[index].error = "That is longer than any \(field.displayName) can be (64 KB at most)."
                }
            }
            let problems = inputs.filter { $0.error != nil }.count
            if problems > 0 {
                // Values typed into secret fields are not sent back: the person types them again.
                return LinkPage.form(
                    for: record, inputs: inputs, csrf: csrfToken(record), now: now(),
                    summary: problems == 1 ? "One field needs your attention." : "\(problems) fields need your attention.")
            }
            var values = try sealer.unseal(record.credentials)
            for input in inputs {
                let typed = (form[input.field.name] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
                if !typed.isEmpty { values[input.field.name] = Secret(typed) }
            }
            record.credentials = try sealer.seal(values)
            record.status = ConnectionStatus.active.rawValue
            record.statusReason = nil
        } else {
            record.status = ConnectionStatus.failed.rawValue
            record.statusReason = "Access was denied on the connect page"
        }
        record.updatedAt = now()
        // The same form posted twice (a double click, a replay): the first completes the link,
        // the second finds it used.
        guard try await store.completeLink(record) else {
            return LinkPage.message("This link was already used", "It was completed a moment ago. You can close this page.", status: .gone)
        }
        if let callback = record.callbackURL, var components = URLComponents(string: callback),
            ["http", "https"].contains(components.scheme?.lowercased() ?? "")
        {
            let outcome = record.status == ConnectionStatus.active.rawValue ? "success" : "failed"
            components.queryItems =
                (components.queryItems ?? []) + [
                    URLQueryItem(name: "status", value: outcome), URLQueryItem(name: "connected_account_id", value: record.id),
                ]
            if let target = components.url?.absoluteString {
                // A page that moves on, not a redirect: the form may post only to this server
                // (form-action 'self'), and browsers hold a form's redirects to that too.
                return LinkPage.onward(to: target, connected: record.status == ConnectionStatus.active.rawValue)
            }
        }
        return record.status == ConnectionStatus.active.rawValue
            ? LinkPage.done(record) : LinkPage.message("Not connected", "You cancelled, so nothing was connected. You can close this page.", status: .ok)
    }

    /// A link's account while it can still be completed, or the page that says why not.
    enum LinkLookup {
        case usable(ConnectedAccountRecord)
        case page(Response)
    }

    func link(_ context: SandboxRequestContext) async throws -> LinkLookup {
        let token = try context.parameters.require("token")
        guard let found = try await store.connectedAccount(linkToken: token) else {
            return .page(
                LinkPage.message(
                    "This link is not valid", "Check that the whole link was copied, or ask whoever sent it for a new one.", status: .notFound))
        }
        let record = try await expireIfDue(found)
        switch ConnectionStatus(rawValue: record.status) {
        case .initiated:
            return .usable(record)
        case .expired:
            return .page(LinkPage.message("This link has expired", "Links work for a limited time. Ask whoever sent it for a new one.", status: .gone))
        case .active:
            return .page(LinkPage.message("This link was already used", "The account is connected. You can close this page.", status: .gone))
        default:
            return .page(
                LinkPage.message("This link was already used", "It was cancelled. Ask whoever sent it for a new one if you want to connect.", status: .gone))
        }
    }

    /// The form's token: a MAC of the link's token under the sandbox's key, so only a page this
    /// server rendered for this link can post to it.
    func csrfToken(_ record: ConnectedAccountRecord) -> String {
        sealer.mac("csrf:" + (record.linkToken ?? record.id))
    }

    /// The scheme's fields, minus those the auth config's shared credentials cover; values from
    /// `connection_data` shown (non-secret) or marked as already provided (secret).
    func inputs(_ record: ConnectedAccountRecord) async throws -> [LinkPage.Input] {
        let scheme = AuthScheme(rawValue: record.authScheme)
        let prefilled = (try? sealer.unseal(record.credentials)) ?? [:]
        let config = try await store.authConfig(projectId: record.projectId, id: record.authConfigId)
        let shared = Set((config?.sharedFieldNames ?? "").split(separator: ",").map(String.init))
        let fields = (SeedCatalog.toolkit(slug: record.toolkitSlug)?.scheme(scheme)?.fields ?? []).filter { !shared.contains($0.name) }
        return fields.map { field in
            let given = prefilled[field.name]
            return LinkPage.Input(
                field: field, value: field.isSecret ? "" : given?.withRevealedValue { $0 } ?? field.defaultValue ?? "", provided: field.isSecret && given != nil
            )
        }
    }
}
