import Foundation

/// Persistence for the sandbox, behind a protocol so routes are tested against any store.
/// Every read is scoped to a project: another project's resources do not exist for it.
protocol SandboxStore: Sendable {
    /// The project an API key digest belongs to, and whether the key is read-only.
    func project(forKeyDigest digest: String) async throws -> (project: ProjectRecord, readOnly: Bool)?
    /// The organisation an org key digest belongs to.
    func organisation(forOrgKeyDigest digest: String) async throws -> String?
    func projects(orgId: String) async throws -> [ProjectRecord]
    /// Creates a project, with a new project key when asked (returned once).
    func createProject(name: String, orgId: String, withKey: Bool, now: Date) async throws -> (id: String, key: String?)

    /// A page of a project's auth configs, filtered, with the total before paging.
    func authConfigs(projectId: String, filter: AuthConfigFilter, offset: Int, limit: Int) async throws -> (items: [AuthConfigRecord], total: Int)
    func authConfig(projectId: String, id: String) async throws -> AuthConfigRecord?
    func save(_ config: AuthConfigRecord) async throws
    /// ACTIVE connected accounts per auth config id.
    func activeConnectionCounts(authConfigIds: [String]) async throws -> [String: Int]

    func connectedAccounts(projectId: String, filter: ConnectedAccountFilter, offset: Int, limit: Int) async throws -> (
        items: [ConnectedAccountRecord], total: Int
    )
    func connectedAccount(projectId: String, id: String) async throws -> ConnectedAccountRecord?
    func connectedAccount(linkToken: String) async throws -> ConnectedAccountRecord?
    func insert(_ account: ConnectedAccountRecord) async throws
    func save(_ account: ConnectedAccountRecord) async throws
    /// Saves a link's outcome only while its account is still INITIATED, in one transaction:
    /// of two posts of one link's form, exactly one completes it. False when it was not.
    func completeLink(_ account: ConnectedAccountRecord) async throws -> Bool
}

/// What `GET /auth_configs` may narrow by.
struct AuthConfigFilter: Sendable {
    var search: String?
    var toolkitSlugs: [String]
    var showDisabled: Bool
}

/// What `GET /connected_accounts` may narrow by, and its order.
struct ConnectedAccountFilter: Sendable {
    var userIds: [String] = []
    var authConfigIds: [String] = []
    var toolkitSlugs: [String] = []
    var statuses: [String] = []
    var ids: [String] = []
    /// `created_at` or `updated_at`.
    var orderBy = "created_at"
    var ascending = false
}
