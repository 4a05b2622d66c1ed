import ComposioAPI
import Foundation
import OnboardCore
import OnboardFeatures
import OnboardStore
import Synchronization

/// A ``ComposioService`` that writes the audit trail as it goes: every create, update, delete,
/// link and rotation, from the wizard, the plain mode and every command alike, is recorded (and
/// synced) before its caller hears the result. Reads pass straight through, except that a link's
/// account settling ACTIVE or FAILED is recorded once.
///
/// Names and ids only reach the trail: the request's values are never looked at here.
package final class AuditingService: ActionRecorder {
    private let base: any ComposioService
    private let log: any AuditSink
    private let actor: AuditEvent.Actor
    private let backend: String
    /// Set when the project is known without asking (the embedded sandbox); else read once.
    private let project = Mutex<String?>(nil)
    /// Toolkits of the auth configs seen, so each is read once.
    private let toolkits = Mutex<[String: String]>([:])
    /// Accounts started through a hosted link whose outcome is not recorded yet.
    private let pendingLinks = Mutex<[String: (authConfig: String, userId: String)]>([:])

    /// Where a record that is late is said (the wizard shows it above the spinner).
    private let lateNotices: RetryNotifier?
    /// The clock the "waiting to be recorded" notice waits on.
    private let clock: any Timekeeper

    package init(
        _ base: any ComposioService, log: any AuditSink, actor: AuditEvent.Actor, backend: String, project: String? = nil,
        lateNotices: RetryNotifier? = nil, clock: any Timekeeper = SystemTimekeeper()
    ) {
        self.lateNotices = lateNotices
        self.clock = clock
        self.base = base
        self.log = log
        self.actor = actor
        self.backend = backend
        self.project.withLock { $0 = project }
    }

    /// Appends one event; the caller's result waits for it.
    package func record(
        _ kind: AuditEvent.Kind, authConfig: String? = nil, toolkit: String? = nil, userId: String? = nil, accountId: String? = nil,
        status: String? = nil, errorCode: String? = nil, fields: [String]? = nil, counts: [String: Int]? = nil
    ) async throws {
        let event = AuditEvent(
            kind, actor: actor, backend: backend, project: await projectId(), authConfig: authConfig, toolkit: toolkit, userId: userId,
            accountId: accountId, status: status, errorCode: errorCode, fields: fields, counts: counts, version: OnboardVersion.current)
        // A record that takes more than 5 seconds (a gateway waiting out its database) is said on
        // the screen, so a person does not wonder why "connected" does not come.
        let notices = lateNotices
        let clock = self.clock
        let late = Task {
            try await clock.sleep(for: .seconds(5))
            notices?.notifyWaiting("The account is made; waiting for it to be recorded in the audit trail", for: .seconds(55))
        }
        defer { late.cancel() }
        do {
            try await log.record(event)
        } catch {
            throw CommandFailure("\(error.description) The action itself went through: \(kind.rawValue) \(accountId ?? authConfig ?? "").")
        }
    }

    /// The toolkit of `authConfig`, read once per config (create replies do not carry it).
    private func toolkit(of authConfig: String) async -> String? {
        if let known = toolkits.withLock({ $0[authConfig] }) { return known }
        guard let config = try? await base.authConfig(id: authConfig) else { return nil }
        toolkits.withLock { $0[authConfig] = config.toolkitSlug }
        return config.toolkitSlug
    }

    private func projectId() async -> String? {
        if let known = project.withLock({ $0 }) { return known }
        guard let info = try? await base.sessionInfo() else { return nil }
        project.withLock { $0 = info.id }
        return info.id
    }

    /// A short code for the trail: the kind of failure and the HTTP status, never its message
    /// (a server's words may quote what was sent).
    static func errorCode(_ error: any Error) -> String {
        guard let failure = (error as? APIError)?.failure else { return "error" }
        let kind =
            switch failure.kind {
            case .unauthorized: "unauthorized"
            case .forbidden: "forbidden"
            case .notFound: "not_found"
            case .invalidRequest: "invalid_request"
            case .rateLimited: "rate_limited"
            case .server: "server_error"
            case .network: "network"
            case .malformedReply: "malformed_reply"
            }
        return failure.httpStatus.map { "\(kind) (HTTP \($0))" } ?? kind
    }

    // MARK: writes, recorded

    package func createConnectedAccount(_ request: ConnectionRequest) async throws -> ConnectedAccount {
        let account: ConnectedAccount
        do {
            account = try await base.createConnectedAccount(request)
        } catch {
            try await record(
                .connectionFailed, authConfig: request.authConfigId, toolkit: await toolkit(of: request.authConfigId), userId: request.userId,
                errorCode: Self.errorCode(error), fields: request.values.keys.sorted())
            throw error
        }
        let failed = account.status.isTerminalFailure
        let toolkit = account.toolkitSlug.isEmpty ? await toolkit(of: request.authConfigId) : account.toolkitSlug
        try await record(
            failed ? .connectionFailed : .connectionCreated, authConfig: request.authConfigId, toolkit: toolkit, userId: request.userId,
            accountId: account.id, status: account.status.rawValue, fields: request.values.keys.sorted())
        return account
    }

    /// Records an event about an existing account, named by what `account` (read before the
    /// change, nil if it could not be) says of its config, toolkit and user.
    private func record(
        _ kind: AuditEvent.Kind, about account: ConnectedAccount?, id: String, status: String? = nil, errorCode: String? = nil, fields: [String]? = nil
    ) async throws {
        try await record(
            kind, authConfig: account?.authConfigId, toolkit: account?.toolkitSlug, userId: account?.userId, accountId: id, status: status,
            errorCode: errorCode, fields: fields)
    }

    package func updateConnectedAccount(id: String, scheme: AuthScheme, values: [String: Secret?], alias: String?) async throws -> ConnectionStatus {
        let account = try? await base.connectedAccount(id: id)
        let status: ConnectionStatus
        do {
            status = try await base.updateConnectedAccount(id: id, scheme: scheme, values: values, alias: alias)
        } catch {
            try await record(.connectionFailed, about: account, id: id, errorCode: Self.errorCode(error), fields: values.keys.sorted())
            throw error
        }
        try await record(.connectionUpdated, about: account, id: id, status: status.rawValue, fields: values.keys.sorted() + (alias == nil ? [] : ["alias"]))
        return status
    }

    package func setConnectedAccountEnabled(id: String, enabled: Bool) async throws {
        let account = try? await base.connectedAccount(id: id)
        try await base.setConnectedAccountEnabled(id: id, enabled: enabled)
        try await record(.connectionUpdated, about: account, id: id, status: enabled ? "ACTIVE" : "INACTIVE")
    }

    /// Reads the account first, so the record says whose account on which config went.
    package func deleteConnectedAccount(id: String) async throws {
        let account = try? await base.connectedAccount(id: id)
        try await base.deleteConnectedAccount(id: id)
        try await record(.connectionDeleted, about: account, id: id, status: account?.status.rawValue)
    }

    package func createLink(authConfigId: String, userId: String, callbackURL: String?, alias: String?) async throws -> HostedLink {
        let link = try await base.createLink(authConfigId: authConfigId, userId: userId, callbackURL: callbackURL, alias: alias)
        pendingLinks.withLock { $0[link.connectedAccountId] = (authConfigId, userId) }
        try await record(.linkCreated, authConfig: authConfigId, userId: userId, accountId: link.connectedAccountId, status: "INITIATED")
        return link
    }

    package func updateSharedCredentials(authConfigId: String, configType: String, values: [String: Secret]) async throws -> AuthConfigSummary {
        let updated = try await base.updateSharedCredentials(authConfigId: authConfigId, configType: configType, values: values)
        try await record(.authConfigRotated, authConfig: authConfigId, toolkit: updated.toolkitSlug, fields: values.keys.sorted())
        return updated
    }

    package func connectedAccount(id: String) async throws -> ConnectedAccount {
        let account = try await base.connectedAccount(id: id)
        if account.status == .active || account.status.isTerminalFailure,
            let pending = pendingLinks.withLock({ $0.removeValue(forKey: id) })
        {
            try await record(
                account.status == .active ? .connectionCreated : .connectionFailed, authConfig: pending.authConfig, toolkit: account.toolkitSlug,
                userId: pending.userId, accountId: id, status: account.status.rawValue)
        }
        return account
    }

    // MARK: reads, passed through

    package func sessionInfo() async throws -> ProjectInfo { try await base.sessionInfo() }
    package func listAuthConfigs(_ query: AuthConfigQuery) async throws -> AuthConfigPage { try await base.listAuthConfigs(query) }
    package func authConfig(id: String) async throws -> AuthConfigSummary { try await base.authConfig(id: id) }
    package func connectionFields(toolkit: String, scheme: AuthScheme) async throws -> [CredentialField] {
        try await base.connectionFields(toolkit: toolkit, scheme: scheme)
    }
    package func listConnectedAccounts(_ query: ConnectedAccountQuery) async throws -> ConnectedAccountPage {
        try await base.listConnectedAccounts(query)
    }
}
