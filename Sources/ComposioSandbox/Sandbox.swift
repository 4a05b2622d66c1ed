import ComposioAPI
import Foundation
import Hummingbird
import Logging
import NIOCore
import OnboardCore
import OnboardFiles

/// The local Composio-compatible API server: a store, its sealing key and the routes.
///
/// `onboard` runs it in-process on a free loopback port when no Composio key is configured;
/// `onboard sandbox serve` runs it alone in the foreground.
package final class Sandbox: Sendable {
    let store: SQLiteSandboxStore
    let sealer: CredentialSealer
    let now: @Sendable () -> Date
    let options: SandboxOptions
    let limiter: RateLimiter
    /// Failed authentications per client address, checked before a key is looked up.
    let authFailures = AuthFailureLimiter()

    /// The default address, the one the official SDKs call "local".
    package static let defaultHost = "127.0.0.1"
    package static let defaultPort = 9900

    /// Opens the database at `path` (creating and seeding it when new), or an in-memory one.
    ///
    /// - Parameters:
    ///   - initialAPIKey: the default project's key when a new database is created; a random one
    ///     is made when nil.
    /// - Returns: the sandbox, and the key it created when the database was new (shown once).
    package static func open(
        path: String?, initialAPIKey: String? = nil, options: SandboxOptions = SandboxOptions(),
        now: @escaping @Sendable () -> Date = { SystemTimekeeper().date }
    ) throws -> (sandbox: Sandbox, createdKey: String?) {
        let store: SQLiteSandboxStore
        let sealer: CredentialSealer
        if let path {
            try SecureFile.makeDirectory(for: path, kind: "sandbox database")
            do {
                store = try SQLiteSandboxStore(path: path)
            } catch {
                throw SandboxSetupError("Cannot open the sandbox database \(path): \(error)")
            }
            sealer = try CredentialSealer(keyFile: path + ".key")
        } else {
            store = try SQLiteSandboxStore()
            sealer = CredentialSealer()
        }
        let sandbox = Sandbox(store: store, sealer: sealer, options: options, now: now)
        var createdKey: String?
        if try store.isEmpty() {
            let key = initialAPIKey.flatMap { $0.isEmpty ? nil : $0 } ?? SandboxIdentifiers.apiKey()
            if try sandbox.seed(apiKey: key) { createdKey = key }
        }
        return (sandbox, createdKey)
    }

    init(store: SQLiteSandboxStore, sealer: CredentialSealer, options: SandboxOptions, now: @escaping @Sendable () -> Date) {
        self.store = store
        self.sealer = sealer
        self.options = options
        self.limiter = RateLimiter(limit: options.rateLimit)
        self.now = now
    }

    /// The id of the project a new database starts with.
    package static let defaultProjectId = "pr_sandbox_default"

    /// Creates the default project, its key and the seeded auth configs; false when another
    /// process seeded the database first.
    @discardableResult
    func seed(apiKey: String) throws -> Bool {
        let stamp = now()
        let project = ProjectRecord(id: Self.defaultProjectId, name: "Sandbox project", orgId: "org_sandbox", orgName: "Sandbox", createdAt: stamp)
        let key = APIKeyRecord(digest: SandboxIdentifiers.digest(apiKey), projectId: project.id, name: "default", readOnly: false, createdAt: stamp)
        let configs = SeedCatalog.authConfigs.enumerated().map { index, seed in
            AuthConfigRecord(
                id: SandboxIdentifiers.make("ac"),
                uuid: UUID().uuidString.lowercased(),
                projectId: project.id,
                name: seed.name,
                toolkitSlug: seed.toolkit,
                authScheme: seed.scheme.rawValue,
                type: seed.type,
                isEnabled: seed.enabled,
                sharedCredentials: nil,
                sharedFieldNames: "",
                // Newest first in listings: seed order is the order people see.
                createdAt: stamp.addingTimeInterval(-Double(index)),
                updatedAt: stamp
            )
        }
        return try store.insertIfEmpty(project: project, key: key, authConfigs: configs)
    }

    /// Issues a fresh key for the default project that lives only as long as this process,
    /// replacing the one the previous embedded run used. The wizard uses it in-process, so no
    /// key is ever written to disk in clear.
    package func issueSessionKey() throws -> Secret {
        let key = SandboxIdentifiers.apiKey()
        let record = APIKeyRecord(
            digest: SandboxIdentifiers.digest(key), projectId: Self.defaultProjectId, name: Self.sessionKeyName, readOnly: false, createdAt: now())
        try store.database.write { db in
            // Other processes may be using their own session keys on this database right now;
            // only keys a killed process left behind long ago are removed.
            try db.execute(
                sql: "DELETE FROM api_key WHERE name = ? AND created_at < ?",
                arguments: [Self.sessionKeyName, UTCTimestamp.storage(now().addingTimeInterval(-86_400))])
            try record.insert(db)
        }
        return Secret(key)
    }

    /// Removes a key ``issueSessionKey()`` made, when its process is done with it.
    package func revokeSessionKey(_ key: Secret) throws {
        let digest = key.withRevealedValue { SandboxIdentifiers.digest($0) }
        try store.database.write { db in
            try db.execute(sql: "DELETE FROM api_key WHERE name = ? AND digest = ?", arguments: [Self.sessionKeyName, digest])
        }
    }

    static let sessionKeyName = "embedded session"

    /// The router with the error envelope and either every route (`sandbox serve`, `.router`
    /// tests, in process) or only the hosted link pages (the server a link starts for a browser:
    /// the API stays in process, out of reach of other users of the machine).
    func router(logger: Logger, linkPagesOnly: Bool = false) -> Router<SandboxRequestContext> {
        let router = Router(context: SandboxRequestContext.self)
        router.add(middleware: EnvelopeMiddleware(logger: logger, observer: options.requestObserver))
        router.add(middleware: FaultMiddleware(plan: options.faults))
        let routes = SandboxRoutes(
            store: store, sealer: sealer, limiter: limiter, authFailures: authFailures, now: now, initiationLifetime: options.linkLifetime,
            publicURL: options.publicURL)
        if !linkPagesOnly { routes.register(on: router) }
        routes.registerLinkPages(on: router)
        return router
    }

    /// The Hummingbird application bound to `host:port` (0 picks a free port).
    func application(
        host: String, port: Int, logger: Logger, linkPagesOnly: Bool = false, onRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) -> some ApplicationProtocol {
        Application(
            router: router(logger: logger, linkPagesOnly: linkPagesOnly),
            configuration: .init(address: .hostname(host, port: port), serverName: "onboard-sandbox"),
            onServerRunning: { channel in await onRunning(channel.localAddress?.port ?? port) },
            logger: logger
        )
    }

    /// Serves in the foreground until SIGINT or SIGTERM, then shuts down gracefully.
    package func serve(host: String, port: Int, logger: Logger, onRunning: @escaping @Sendable (Int) async -> Void) async throws {
        try await application(host: host, port: port, logger: logger, onRunning: onRunning).runService()
    }

    /// Starts serving in the background on a free loopback port; stop it with ``RunningSandbox/stop()``.
    /// - Parameter linkPagesOnly: serve the hosted link pages and nothing of the API.
    package func start(host: String = defaultHost, port: Int = 0, logger: Logger, linkPagesOnly: Bool = false) async throws -> RunningSandbox {
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        let app = application(host: host, port: port, logger: logger, linkPagesOnly: linkPagesOnly) { bound in continuation.yield(bound) }
        let task = Task {
            // If the server stops (or never starts), the wait for its port ends too.
            defer { continuation.finish() }
            try await app.run()
        }
        var iterator = ports.makeAsyncIterator()
        guard let bound = await iterator.next() else {
            task.cancel()
            throw SandboxSetupError("The sandbox did not start.")
        }
        return RunningSandbox(port: bound, host: host, task: task)
    }
}

/// A sandbox serving in the background.
package struct RunningSandbox: Sendable {
    package let port: Int
    package let host: String
    let task: Task<Void, any Error>

    /// The base URL clients use, e.g. `http://127.0.0.1:40123`.
    package var baseURL: URL { URL(string: "http://\(host):\(port)")! }

    /// Stops serving.
    package func stop() async {
        task.cancel()
        _ = await task.result
    }
}

/// How a sandbox behaves beyond its data: the rate limit and injected faults.
package struct SandboxOptions: Sendable {
    /// Requests per organisation per minute; 0 turns limiting off. The service's Starter plan allows 2,000.
    package var rateLimit: Int
    package var faults: FaultPlan
    /// How long a hosted link (and any INITIATED account) lasts: 10 minutes, as the service's.
    package var linkLifetime: TimeInterval
    /// `--public-url https://...`: the base of the link pages' URLs, for a sandbox served
    /// beyond loopback behind a proxy that terminates TLS.
    package var publicURL: String?
    /// Told of every request answered (`sandbox serve --metrics`).
    package var requestObserver: (any SandboxRequestObserver)?

    package init(
        rateLimit: Int = 2000, faults: FaultPlan = .none, linkLifetime: TimeInterval = 600, publicURL: String? = nil,
        requestObserver: (any SandboxRequestObserver)? = nil
    ) {
        self.requestObserver = requestObserver
        self.publicURL = publicURL
        self.rateLimit = rateLimit
        self.faults = faults
        self.linkLifetime = linkLifetime
    }
}
