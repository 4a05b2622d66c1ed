import Hummingbird
import Logging
import NIOCore

/// Per-request context: the project the API key resolved to.
struct SandboxRequestContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    /// Set by ``APIKeyMiddleware`` for every authenticated route.
    var project: ProjectRecord?
    var readOnly: Bool
    /// Set by ``OrgKeyMiddleware`` for organisation routes.
    var organisation: String?
    /// The connection, so fault injection can drop it without a reply.
    let channel: any Channel

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        channel = source.channel
        project = nil
        readOnly = false
        organisation = nil
    }

    func requireOrganisation() throws -> String {
        guard let organisation else { throw SandboxError.invalidAPIKey }
        return organisation
    }

    /// The authenticated project; routes behind the middleware can rely on it.
    func requireProject() throws -> ProjectRecord {
        guard let project else { throw SandboxError.invalidAPIKey }
        return project
    }
}
