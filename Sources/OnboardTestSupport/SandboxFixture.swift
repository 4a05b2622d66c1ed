import ComposioAPI
import ComposioSandbox
import Logging
import OnboardCore

/// One in-memory sandbox for a test and a client on it, torn down after the test's body: in
/// process by default (no port, none of an HTTP stack's threads), over real HTTP on loopback
/// for what must cross a socket (dropped replies, timeouts, the HTTP client itself).
package enum SandboxFixture {
    /// How the client reaches the sandbox.
    package enum Wire: Sendable {
        case inProcess
        case http
    }

    /// A logger that drops everything.
    package static let quiet = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })

    package static func withClient(
        key: String = "ak_sandbox_fixture", options: SandboxOptions = SandboxOptions(rateLimit: 0), over wire: Wire = .inProcess,
        retry: RetryPolicy = .standard, logger: Logger = quiet, _ body: (ComposioClient) async throws -> Void
    ) async throws {
        let (sandbox, _) = try Sandbox.open(path: nil, initialAPIKey: key, options: options)
        let client: ComposioClient
        let stop: () async -> Void
        switch wire {
        case .inProcess:
            let transport = sandbox.inProcessTransport(logger: quiet)
            client = ComposioClient(
                baseURL: InProcessTransport.baseURL, apiKey: Secret(key), keySource: "test", transport: transport, retry: retry, logger: logger)
            stop = { await transport.shutdown() }
        case .http:
            let running = try await sandbox.start(logger: quiet)
            let transport = AsyncHTTPClientTransport(connectTimeout: .seconds(2), requestTimeout: .seconds(10))
            client = ComposioClient(baseURL: running.baseURL, apiKey: Secret(key), keySource: "test", transport: transport, retry: retry, logger: logger)
            stop = {
                await transport.shutdown()
                await running.stop()
            }
        }
        var failure: (any Error)?
        do { try await body(client) } catch { failure = error }
        await stop()
        if let failure { throw failure }
    }
}
