import Hummingbird
import Logging

/// Per-request context: the project the API key resolved to.
struct SandboxRequestContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    /// Set by ``APIKeyMiddleware`` for every authenticated route.
    var project: ProjectRecord?
    var readOnly: Bool

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        project = nil
        readOnly = false
    }

    /// The authenticated project; routes behind the middleware can rely on it.
    func requireProject() throws -> ProjectRecord {
        guard let project else { throw SandboxError.invalidAPIKey }
        return project
    }
}
