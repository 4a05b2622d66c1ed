import ComposioAPI
import Foundation
import HTTPTypes
import Hummingbird

/// Organisation endpoints behind `x-org-api-key`: list projects, create one (with a key).
/// `GET /org/projects`, the path a documentation page uses, answers as the published list does.
extension SandboxRoutes {
    func registerOrganisation(on router: Router<SandboxRequestContext>, prefix: String) {
        let middleware = OrgKeyMiddleware(store: store, failures: authFailures)
        let group = router.group(RouterPath(prefix + "/org/owner/project")).add(middleware: middleware)
        group.get("list", use: listProjects)
        group.post("new", use: createProject)
        router.group(RouterPath(prefix + "/org")).add(middleware: middleware).get("projects", use: listProjects)
    }

    @Sendable func listProjects(_ request: Request, context: SandboxRequestContext) async throws -> Response {
        let org = try context.requireOrganisation()
        let query = request.uri.queryParameters
        let paging = try Paging(limit: query["limit"], cursor: query["cursor"], defaultLimit: 20, maximumLimit: 100)
        let projects = try await store.projects(orgId: org).sorted { $0.createdAt > $1.createdAt }
        let items = projects.dropFirst(paging.offset).prefix(paging.limit).map { project in
            JSONValue.object([
                "id": .string(project.id), "nano_id": .string(project.id), "name": .string(project.name),
                "org_id": .string(project.orgId), "email": .string("owner@\(project.orgId).sandbox.invalid"),
                "created_at": .string(Self.timestamp(project.createdAt)), "updated_at": .string(Self.timestamp(project.createdAt)),
                "webhook_url": .null, "event_webhook_url": .null, "webhook_secret": .null, "webhook_version": .string("V3"),
                "deleted": .bool(false), "triggers_enabled": .bool(true),
            ])
        }
        // This list is under `data`, not `items` as every other list of the contract.
        let page = paging.page(Array(items), total: projects.count)
        return try JSONResponse.make(
            JSONValue.object([
                "data": .array(page.items), "next_cursor": page.nextCursor.map(JSONValue.string) ?? .null,
                "total_pages": .number(Double(page.totalPages ?? 1)), "current_page": .number(Double(page.currentPage ?? 1)),
                "total_items": .number(Double(page.totalItems ?? 0)),
            ]))
    }

    @Sendable func createProject(_ request: Request, context: SandboxRequestContext) async throws -> Response {
        let org = try context.requireOrganisation()
        let body = try await Self.decodeObject(request, context: context)
        guard let name = body["name"]?.text, !name.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw SandboxError.badRequest("Missing required field: name", slug: "Request_MissingField", errors: ["name is required"])
        }
        guard (3...75).contains(name.count), name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == "-") }) else {
            throw SandboxError.badRequest(
                "Project name must be 3 to 75 letters, digits, _ or -", slug: "Project_InvalidName", errors: ["name must match ^[a-zA-Z0-9_-]+$"])
        }
        guard try await !store.projects(orgId: org).contains(where: { $0.name == name }) else {
            throw SandboxError.badRequest("A project named \(name) already exists in this organization", slug: "Project_NameTaken")
        }
        let withKey = body["should_create_api_key"].map { $0 == .bool(true) } ?? false
        let created = try await store.createProject(name: name, orgId: org, withKey: withKey, now: now())
        // 200 with api_key null when none was asked for, as the published schema has it.
        let reply: [String: JSONValue] = ["id": .string(created.id), "name": .string(name), "api_key": created.key.map(JSONValue.string) ?? .null]
        return try JSONResponse.make(JSONValue.object(reply))
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
            if let address { failures.recordFailure(address, now: failures.clock.date) }
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
