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
    /// The connection, so fault injection can drop it without a reply (none in process).
    let channel: (any Channel)?

    init(source: ApplicationRequestContextSource) {
        self.init(source: source, channel: source.channel)
    }

    /// A request served in this process (``InProcessTransport``): no connection.
    init(logger: Logger) {
        self.init(source: InProcessSource(logger: logger), channel: nil)
    }

    private init(source: some RequestContextSource, channel: (any Channel)?) {
        coreContext = .init(source: source)
        self.channel = channel
        project = nil
        readOnly = false
        organisation = nil
    }

    private struct InProcessSource: RequestContextSource {
        let logger: Logger
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
