import ComposioAPI
import ComposioSandbox
import Foundation
import Logging
import OnboardCore

/// Which service the wizard talks to, decided once at start.
public enum BackendChoice: Sendable {
    /// A real Composio (or compatible) service.
    case remote(baseURL: URL, apiKey: Secret, keySource: String)
    /// The sandbox, in this process, on a free loopback port.
    case embeddedSandbox(databasePath: String)

    /// Composio when `COMPOSIO_API_KEY` is set, the embedded sandbox otherwise.
    public static func from(environment: [String: String], baseURLOverride: String? = nil) throws -> BackendChoice {
        if let key = environment["COMPOSIO_API_KEY"]?.trimmingCharacters(in: .whitespacesAndNewlines), !key.isEmpty {
            let text = baseURLOverride ?? environment["COMPOSIO_BASE_URL"] ?? "https://backend.composio.dev"
            guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), ["http", "https"].contains(scheme), url.host != nil else {
                throw UsageError("The base URL \u{201C}\(text)\u{201D} is not an http(s) URL. Set COMPOSIO_BASE_URL to e.g. https://backend.composio.dev.")
            }
            return .remote(baseURL: url, apiKey: Secret(key), keySource: "COMPOSIO_API_KEY")
        }
        return .embeddedSandbox(databasePath: AppPaths.sandboxDatabase(environment: environment))
    }
}

/// A connected backend: the service to call, a label for the header, and how to let go of it.
public struct ConnectedBackend: Sendable {
    public let service: ComposioClient
    public let label: String
    let transport: AsyncHTTPClientTransport
    let sandbox: RunningSandbox?

    /// Opens the choice: starts the embedded sandbox when that is the choice.
    public static func connect(_ choice: BackendChoice) async throws -> ConnectedBackend {
        let transport = AsyncHTTPClientTransport()
        switch choice {
        case .remote(let baseURL, let apiKey, let keySource):
            let client = ComposioClient(baseURL: baseURL, apiKey: apiKey, keySource: keySource, transport: transport)
            return ConnectedBackend(service: client, label: baseURL.host ?? baseURL.absoluteString, transport: transport, sandbox: nil)
        case .embeddedSandbox(let path):
            let (sandbox, _) = try Sandbox.open(path: path, initialAPIKey: ProcessInfo.processInfo.environment["ONBOARD_SANDBOX_API_KEY"])
            let key = try sandbox.issueSessionKey()
            // The TUI owns the screen: the in-process server logs nothing.
            let quiet = Logger(label: "onboard.sandbox", factory: { _ in SwiftLogNoOpLogHandler() })
            let running = try await sandbox.start(logger: quiet)
            let client = ComposioClient(baseURL: running.baseURL, apiKey: key, keySource: "the embedded sandbox", transport: transport)
            return ConnectedBackend(service: client, label: "sandbox \(running.host):\(running.port)", transport: transport, sandbox: running)
        }
    }

    /// Closes connections and stops the embedded sandbox.
    public func close() async {
        await transport.shutdown()
        await sandbox?.stop()
    }
}

/// A mistake in how onboard was invoked (exit code 2), with what to do instead.
public struct UsageError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
