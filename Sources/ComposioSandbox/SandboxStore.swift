import Foundation

/// Persistence for the sandbox, behind a protocol so routes are tested against any store.
protocol SandboxStore: Sendable {
    /// The project an API key digest belongs to, and whether the key is read-only.
    func project(forKeyDigest digest: String) async throws -> (project: ProjectRecord, readOnly: Bool)?
    /// A page of a project's auth configs, filtered, with the total before paging.
    func authConfigs(projectId: String, filter: AuthConfigFilter, offset: Int, limit: Int) async throws -> (items: [AuthConfigRecord], total: Int)
    func authConfig(projectId: String, id: String) async throws -> AuthConfigRecord?
    /// ACTIVE connected accounts per auth config id.
    func activeConnectionCounts(authConfigIds: [String]) async throws -> [String: Int]
    func insert(_ account: ConnectedAccountRecord) async throws
    func connectedAccount(projectId: String, id: String) async throws -> ConnectedAccountRecord?
}

/// What `GET /auth_configs` may narrow by.
struct AuthConfigFilter: Sendable {
    var search: String?
    var toolkitSlugs: [String]
    var showDisabled: Bool
}
