import ComposioAPI
import Foundation
import Hummingbird

/// Toolkits: the seeded catalog, the same for every project.
extension SandboxRoutes {
    @Sendable func getToolkit(_ request: Request, context: SandboxRequestContext) async throws -> Response {
        _ = try context.requireProject()
        let slug = try context.parameters.require("slug")
        guard let toolkit = SeedCatalog.toolkit(slug: slug) else {
            throw SandboxError.notFound("Toolkit \(slug)", slug: "Toolkit_NotFound")
        }
        return try JSONResponse.make(toolkit.wire)
    }

    /// `GET /toolkits`: the catalog, optionally by `category` or `search`, paged by cursor.
    @Sendable func listToolkits(_ request: Request, context: SandboxRequestContext) async throws -> Response {
        _ = try context.requireProject()
        let query = request.uri.queryParameters
        let paging = try Paging(limit: query["limit"], cursor: query["cursor"], defaultLimit: 50, maximumLimit: 1000)
        var toolkits = SeedCatalog.toolkits
        if let category = query["category"]?.lowercased() {
            toolkits = toolkits.filter { $0.category.lowercased().replacingOccurrences(of: " ", with: "-") == category || $0.category.lowercased() == category }
        }
        if let search = query["search"]?.lowercased(), !search.isEmpty {
            toolkits = toolkits.filter { $0.slug.contains(search) || $0.name.lowercased().contains(search) }
        }
        let page = toolkits.dropFirst(paging.offset).prefix(paging.limit).map(\.wire)
        return try JSONResponse.make(paging.page(Array(page), total: toolkits.count))
    }

    /// `GET /tools`: the sandbox executes no tools, so every toolkit has none; the page is empty
    /// but valid, which is what a key check (`?toolkit_slug=github&limit=5`) needs.
    @Sendable func listTools(_ request: Request, context: SandboxRequestContext) async throws -> Response {
        _ = try context.requireProject()
        let query = request.uri.queryParameters
        let paging = try Paging(limit: query["limit"], cursor: query["cursor"], defaultLimit: 20, maximumLimit: 1000)
        if let slug = query["toolkit_slug"], !slug.isEmpty, SeedCatalog.toolkit(slug: String(slug)) == nil {
            throw SandboxError.notFound("Toolkit \(slug)", slug: "Toolkit_NotFound")
        }
        let empty: [JSONValue] = []
        return try JSONResponse.make(paging.page(empty, total: 0))
    }
}
