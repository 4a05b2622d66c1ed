import ArgumentParser
import ComposioSandbox
import Foundation
import Logging
import OnboardApp

/// `onboard sandbox ...`: the local Composio-compatible server.
struct SandboxCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sandbox",
        abstract: "Run the local Composio-compatible API server.",
        subcommands: [Serve.self]
    )

    struct Serve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Serve the sandbox API in the foreground until Ctrl-C.",
            discussion: """
                A new database is seeded with a project, toolkits and auth configs. Its API key is \
                ONBOARD_SANDBOX_API_KEY when set at creation, else a random key printed once.

                Example:
                  ONBOARD_SANDBOX_API_KEY=ak_local_test onboard sandbox serve --port 9900 --db ./sandbox.sqlite
                  curl -H 'x-api-key: ak_local_test' http://127.0.0.1:9900/api/v3.1/auth_configs
                """
        )

        @Option(name: .long, help: "Address to bind (loopback unless you mean to share it).")
        var host = Sandbox.defaultHost

        @Option(name: .long, help: "Port to listen on (0 picks a free one).")
        var port = Sandbox.defaultPort

        @Option(name: .long, help: "SQLite database path (default: the user's data dir).")
        var db: String?

        func run() async throws {
            let path = db ?? AppPaths.sandboxDatabase()
            let opened: (sandbox: Sandbox, createdKey: String?)
            do {
                opened = try Sandbox.open(path: path, initialAPIKey: ProcessInfo.processInfo.environment["ONBOARD_SANDBOX_API_KEY"])
            } catch {
                FileHandle.standardError.write(Data("onboard: \(error)\n".utf8))
                throw ExitCode(1)
            }
            var logger = Logger(label: "onboard.sandbox")
            logger.logLevel = .info
            if let key = opened.createdKey, ProcessInfo.processInfo.environment["ONBOARD_SANDBOX_API_KEY"] == nil {
                FileHandle.standardError.write(Data("Created \(path) with a default project. Its API key, shown only this once:\n  \(key)\n".utf8))
            }
            let host = host
            try await opened.sandbox.serve(host: host, port: port, logger: logger) { bound in
                FileHandle.standardError.write(Data("Sandbox listening on http://\(host):\(bound) (database \(path))\n".utf8))
            }
        }
    }
}
