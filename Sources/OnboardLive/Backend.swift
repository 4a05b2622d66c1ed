import ComposioAPI
import ComposioSandbox
import Foundation
import Logging
import OnboardCore
import OnboardFeatures
import OnboardFiles
import OnboardStore

/// Which service onboard talks to, decided once at start.
package enum BackendChoice: Sendable {
    /// A real Composio (or compatible) service.
    case remote(baseURL: URL, apiKey: Secret, keySource: String)
    /// The sandbox, in this process, on a free loopback port.
    case embeddedSandbox(databasePath: String)
    /// A service was chosen (`COMPOSIO_BASE_URL`) but no key configured: ask for one, masked.
    case remoteNeedingKey(baseURL: URL)

    /// Composio when a key is configured (`COMPOSIO_API_KEY`, or a key file), else the sandbox.
    ///
    /// - Parameters:
    ///   - keyFile: `--api-key-file`, else `COMPOSIO_API_KEY_FILE`; refused when others can read it.
    package static func from(environment: [String: String], baseURLOverride: String? = nil, keyFile: String? = nil) throws -> BackendChoice {
        var key: Secret?
        var source = "COMPOSIO_API_KEY"
        if let value = environment["COMPOSIO_API_KEY"]?.trimmingCharacters(in: .whitespacesAndNewlines), !value.isEmpty {
            key = Secret(value)
        } else if let path = keyFile ?? environment["COMPOSIO_API_KEY_FILE"].flatMap({ $0.isEmpty ? nil : $0 }) {
            key = try KeyFile.read(path)
            source = "the key file \(path)"
        }
        let chosenURL = baseURLOverride ?? environment["COMPOSIO_BASE_URL"].flatMap { $0.isEmpty ? nil : $0 }
        guard key != nil || chosenURL != nil else {
            return .embeddedSandbox(databasePath: AppPaths.sandboxDatabase(environment: environment))
        }
        let text = chosenURL ?? "https://backend.composio.dev"
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), ["http", "https"].contains(scheme), url.host != nil else {
            throw UsageError(
                "The base URL \u{201C}\(text)\u{201D} is not an http(s) URL. Set COMPOSIO_BASE_URL (or --base-url) to e.g. https://backend.composio.dev.")
        }
        // The key travels in every request's header: in clear only to this machine.
        if scheme == "http", !isLoopback(host: url.host ?? "") {
            throw UsageError(
                "The base URL \u{201C}\(text)\u{201D} is plain http to another machine: the API key would cross the network unencrypted. Use https:// (e.g. https://backend.composio.dev); http:// is only for a loopback address such as http://127.0.0.1:9900."
            )
        }
        // A service but no key: the wizard asks for one, masked.
        guard let key else { return .remoteNeedingKey(baseURL: url) }
        return .remote(baseURL: url, apiKey: key, keySource: source)
    }
}

extension BackendChoice {
    /// What the header calls the backend: the host (and port), or "embedded sandbox".
    package var label: String {
        switch self {
        case .remote(let url, _, _), .remoteNeedingKey(let url):
            (url.host ?? url.absoluteString) + (url.port.map { ":\($0)" } ?? "")
        case .embeddedSandbox:
            "embedded sandbox"
        }
    }
}

/// A connected backend: the service to call, a label for the header, and how to let go of it.
package struct ConnectedBackend: Sendable {
    package let service: ComposioClient
    /// A client like `service` but with another key (the one the prompt collected).
    package func service(withKey key: Secret) -> ComposioClient { service.with(apiKey: key) }
    package let label: String
    /// Closes connections, or the link server the embedded sandbox may have started.
    let shutdown: @Sendable () async -> Void
    /// The embedded sandbox and the key this process was given, revoked on close.
    let embedded: (sandbox: Sandbox, key: Secret)?

    /// Opens the choice: starts the embedded sandbox when that is the choice.
    /// - Parameters:
    ///   - pacer: paces every request (a bulk import keeps under the rate limit).
    ///   - retry: how failed requests are retried: by default each keeps trying, with backoff,
    ///     for a minute.
    package static func connect(
        _ choice: BackendChoice, logger: Logger, environment: [String: String] = ProcessEnvironment.current(), pacer: RateLimitPacer? = nil,
        retry: RetryPolicy = .patient(.seconds(60))
    ) async throws -> ConnectedBackend {
        switch choice {
        case .remoteNeedingKey(let baseURL):
            // The key comes later, from the masked prompt; until then the client has none.
            return try await connect(
                .remote(baseURL: baseURL, apiKey: .empty, keySource: "the key you entered"), logger: logger, environment: environment, pacer: pacer,
                retry: retry)
        case .remote(let baseURL, let apiKey, let keySource):
            let proxy: ProxySettings?
            do {
                proxy = try ProxySettings.resolve(for: baseURL, environment: environment)
            } catch let error as ProxySettingsError {
                throw UsageError(error.description)
            }
            let transport = AsyncHTTPClientTransport(proxy: proxy)
            let client = ComposioClient(
                baseURL: baseURL, apiKey: apiKey, keySource: keySource, transport: paced(transport, pacer), retry: retry, logger: logger)
            return ConnectedBackend(service: client, label: choice.label, shutdown: { await transport.shutdown() }, embedded: nil)
        case .embeddedSandbox(let path):
            let (sandbox, _) = try Sandbox.open(path: path, initialAPIKey: environment["ONBOARD_SANDBOX_API_KEY"])
            let key = try sandbox.issueSessionKey()
            // Served in this process, with no port; the TUI owns the screen, so the sandbox logs nothing.
            let transport = sandbox.inProcessTransport(logger: Logger(label: "onboard.sandbox", factory: { _ in SwiftLogNoOpLogHandler() }))
            let client = ComposioClient(
                baseURL: InProcessTransport.baseURL, apiKey: key, keySource: "the embedded sandbox", transport: paced(transport, pacer),
                retry: retry, logger: logger)
            return ConnectedBackend(service: client, label: "embedded sandbox", shutdown: { await transport.shutdown() }, embedded: (sandbox, key))
        }
    }

    private static func paced(_ transport: any HTTPTransport, _ pacer: RateLimitPacer?) -> any HTTPTransport {
        pacer.map { PacedTransport(transport, pacer: $0) } ?? transport
    }

    /// The service front ends use: the client, wrapped to write the audit trail when one is kept.
    /// - Parameter actor: who acts: the OS user, or (in a gateway session) the invite and address.
    package func service(audit: (any AuditSink)?, client: ComposioClient? = nil, actor: AuditEvent.Actor = .currentUser) -> any ComposioService {
        let client = client ?? service
        guard let audit else { return client }
        let backend = embedded == nil ? label : "sandbox"
        return AuditingService(
            client, log: audit, actor: actor, backend: backend, project: embedded == nil ? nil : Sandbox.defaultProjectId,
            lateNotices: client.retryNotifier)
    }

    /// Closes connections, stops a link server and revokes the embedded sandbox's session key.
    package func close() async {
        await shutdown()
        if let embedded { try? embedded.sandbox.revokeSessionKey(embedded.key) }
    }
}
