import ComposioAPI
import Foundation
import HTTPTypes
import Hummingbird

/// Organisation endpoints behind `x-org-api-key`: list projects, create one (with a key).
extension SandboxRoutes {
    func registerOrganisation(on router: Router<SandboxRequestContext>, prefix: String) {
        let group = router.group(RouterPath(prefix + "/org/owner/project")).add(middleware: OrgKeyMiddleware(store: store, failures: authFailures))
        group.get("list", use: listProjects)
        group.post("new", use: createProject)
    }

    @Sendable func listProjects(_ request: Request, context: SandboxRequestContext) async throws -> Response {
        let org = try context.requireOrganisation()
        let query = request.uri.queryParameters
        let paging = try Paging(limit: query["limit"], cursor: query["cursor"], defaultLimit: 20, maximumLimit: 100)
        let projects = try await store.projects(orgId: org).sorted { $0.createdAt > $1.createdAt }
        let items = projects.dropFirst(paging.offset).prefix(paging.limit).map { project in
            JSONValue.object([
                "id": .string(project.id), "nano_id": .string(project.id), "name": .string(project.name),
                "org_id": .string(project.orgId), "created_at": .string(Self.timestamp(project.createdAt)),
            ])
        }
        return try JSONResponse.make(paging.page(Array(items), total: projects.count))
    }

    @Sendable func createProject(_ request: Request, context: SandboxRequestContext) async throws -> Response {
        let org = try context.requireOrganisation()
        let body = try await Self.decodeObject(request, context: context)
        guard let name = body["name"]?.text, !name.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw SandboxError.badRequest("Missing required field: name", slug: "Request_MissingField", errors: ["name is required"])
        }
        let withKey = body["should_create_api_key"].map { $0 == .bool(true) } ?? false
        let created = try await store.createProject(name: name, orgId: org, withKey: withKey, now: now())
        var reply: [String: JSONValue] = ["id": .string(created.id), "name": .string(name)]
        if let key = created.key { reply["api_key"] = .string(key) }
        return try JSONResponse.make(JSONValue.object(reply), status: .created)
    }
}

/// Resolves `x-org-api-key` to an organisation; 401 otherwise.
struct OrgKeyMiddleware: RouterMiddleware {
    typealias Context = SandboxRequestContext
    let store: any SandboxStore
    let failures: AuthFailureLimiter

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let address = try context.checkAuthenticationBudget(failures)
        guard let key = request.headers[HTTPField.Name("x-org-api-key")!], !key.isEmpty,
            let org = try await store.organisation(forOrgKeyDigest: SandboxIdentifiers.digest(key))
        else {
            if let address { failures.recordFailure(address, now: Date()) }
            throw SandboxError(
                status: .unauthorized, message: "Invalid organization API key provided", code: 401, slug: "Auth_InvalidOrgApiKey",
                suggestedFix: "Pass an organization API key in the x-org-api-key header."
            )
        }
        var context = context
        context.organisation = org
        return try await next(request, context)
    }
}
