import ArgumentParser
import ComposioSandbox
import Foundation
import Logging
import OnboardCore
import OnboardFeatures
import OnboardLive

/// `onboard sandbox ...`: the local Composio-compatible server and its data.
struct SandboxCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sandbox",
        abstract: "Run the local Composio-compatible API server, and manage its projects, keys and auth configs.",
        discussion: """
            Examples:
              ONBOARD_SANDBOX_API_KEY=ak_local_test onboard sandbox serve --port 9900 --db ./sandbox.sqlite
              onboard sandbox projects create "Acme staging"
              onboard sandbox keys create --read-only
            """,
        subcommands: [Serve.self, Projects.self, Keys.self, AuthConfigs.self, Check.self, SeedHostile.self]
    )

    /// `--db`, shared by every sandbox subcommand.
    struct DatabaseOption: ParsableArguments {
        @Option(name: .long, help: "SQLite database path (default: $XDG_DATA_HOME/onboard/sandbox.sqlite).")
        var db: String?

        var path: String { db ?? AppPaths.sandboxDatabase() }

        /// Opens the database, printing the default project's key once if it was just created.
        func open(options: SandboxOptions = SandboxOptions()) throws -> Sandbox {
            let environmentKey = ProcessEnvironment.current()["ONBOARD_SANDBOX_API_KEY"]
            let opened: (sandbox: Sandbox, createdKey: String?)
            do {
                opened = try Sandbox.open(path: path, initialAPIKey: environmentKey, options: options)
            } catch {
                printError("\(error)")
                throw ExitCode(1)
            }
            if let key = opened.createdKey, environmentKey == nil {
                printError("Created \(path) with a default project (\(Sandbox.defaultProjectId)). Its API key, shown only this once:\n  \(key)")
            }
            return opened.sandbox
        }
    }

    struct Serve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "serve",
            abstract: "Serve the sandbox API in the foreground until Ctrl-C or SIGTERM.",
            discussion: """
                A new database is seeded with a project, 21 toolkits and their auth configs. Its API key is \
                ONBOARD_SANDBOX_API_KEY when set at creation, else a random key printed once.

                Examples:
                  ONBOARD_SANDBOX_API_KEY=ak_local_test onboard sandbox serve --port 9900 --db ./sandbox.sqlite
                  curl -H 'x-api-key: ak_local_test' http://127.0.0.1:9900/api/v3.1/auth_configs
                  onboard sandbox serve --rate-limit 0 --faults "500=0.2,429=0.1,drop=0.05,latency=20ms"
                  onboard sandbox serve --metrics 127.0.0.1:9465   # /metrics for Prometheus, by route and status
                """
        )

        @Option(name: .long, help: "Address to bind (loopback unless you mean to share it).")
        var host = Sandbox.defaultHost

        @Option(name: .long, help: "Port to listen on (0 picks a free one).")
        var port = Sandbox.defaultPort

        @Option(name: .long, help: "Requests per organisation per minute before 429 (0: no limit).")
        var rateLimit = 2000

        @Option(name: .long, help: "Inject faults for client tests, e.g. \"500=0.2,429=0.1,drop=0.05,latency=20ms\".")
        var faults: String?

        @Option(name: .long, help: "Seconds a hosted link (an INITIATED account) lasts before it EXPIRES (the service's: 600).")
        var linkLifetime = 600

        @Option(name: .long, help: "https://HOST[:PORT] browsers reach the link pages at, behind a proxy that terminates TLS.")
        var publicURL: String?

        @Option(name: .long, help: "Serve /metrics (Prometheus' text format: requests by route, method and status, latencies) and /ready on HOST:PORT.")
        var metrics: String?

        @OptionGroup var database: DatabaseOption

        func validate() throws {
            if let metrics { do { _ = try MetricsEndpoint.address(metrics) } catch { throw ValidationError("\(error)") } }
            guard (0...65535).contains(port) else { throw ValidationError("--port must be 0...65535.") }
            guard rateLimit >= 0 else { throw ValidationError("--rate-limit must be 0 or more.") }
            guard linkLifetime > 0 else { throw ValidationError("--link-lifetime must be a positive number of seconds.") }
            if let faults { do { _ = try FaultPlan(parsing: faults) } catch { throw ValidationError("--faults: \(error)") } }
            if let publicURL, URLComponents(string: publicURL)?.scheme?.lowercased() != "https" || URLComponents(string: publicURL)?.host == nil {
                throw ValidationError("--public-url takes an https:// URL (the proxy in front of the sandbox terminates TLS).")
            }
        }

        func run() async throws {
            let plan = try faults.map(FaultPlan.init(parsing:)) ?? .none
            let counted = try metrics.map { (address: try MetricsEndpoint.address($0), page: SandboxMetrics()) }
            let sandbox = try database.open(
                options: SandboxOptions(
                    rateLimit: rateLimit, faults: plan, linkLifetime: TimeInterval(linkLifetime), publicURL: publicURL, requestObserver: counted?.page))
            // One line per request on stderr, through the terminal sanitiser: paths come from clients.
            var logger = Logger(label: "onboard.sandbox") { LineLogHandler.standardError(label: $0) }
            logger.logLevel = .info
            // The endpoint's server says only what goes wrong: its "listening" line would read
            // like the sandbox's own.
            var quieter = logger
            quieter.logLevel = .warning
            let endpoint = counted.map { counted in
                MetricsEndpoint.start(counted.page, host: counted.address.host, port: counted.address.port, serverName: "onboard-sandbox", logger: quieter) {
                    printError("Metrics on http://\(MetricsEndpoint.hostInURL(counted.address.host)):\($0)/metrics; readiness on /ready.")
                }
            }
            defer { endpoint?.cancel() }
            let host = host
            let path = database.path
            try await sandbox.serve(host: host, port: port, logger: logger) { bound in
                printError("Sandbox listening on http://\(host):\(bound) (database \(path))")
            }
        }
    }

    struct Projects: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "projects",
            abstract: "List the sandbox's projects, or create one.",
            discussion: "Examples:\n  onboard sandbox projects\n  onboard sandbox projects create \"Acme staging\"",
            subcommands: [List.self, Create.self],
            defaultSubcommand: List.self
        )

        struct List: ParsableCommand {
            static let configuration = CommandConfiguration(
                commandName: "list",
                abstract: "List projects with their auth config counts.", discussion: "Example:\n  onboard sandbox projects list --db ./sandbox.sqlite")
            @OptionGroup var database: DatabaseOption
            func run() throws {
                for project in try database.open().projects() {
                    printOut("\(project.id)\t\(project.name)\t\(project.authConfigCount) auth configs")
                }
            }
        }

        struct Create: ParsableCommand {
            static let configuration = CommandConfiguration(
                commandName: "create",
                abstract: "Create a project; its API key is printed once.", discussion: "Example:\n  onboard sandbox projects create \"Acme staging\"")
            @Argument(help: "The project's name.") var name: String
            @OptionGroup var database: DatabaseOption
            func run() throws {
                let created = try database.open().createProject(name: name)
                printOut("Created project \(created.id). Its API key, shown only this once:\n  \(created.key)")
            }
        }
    }

    struct Keys: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "keys",
            abstract: "Issue API keys.",
            discussion: "Example:\n  onboard sandbox keys create --read-only",
            subcommands: [Create.self]
        )

        struct Create: ParsableCommand {
            static let configuration = CommandConfiguration(
                commandName: "create",
                abstract: "Issue a key for a project; printed once, stored as a digest.",
                discussion: "Examples:\n  onboard sandbox keys create\n  onboard sandbox keys create --read-only\n  onboard sandbox keys create --org")
            @Option(name: .long, help: "Project id (default: the default project).") var project = Sandbox.defaultProjectId
            @Flag(name: .long, help: "A key that may only read (writes get 403).") var readOnly = false
            @Flag(name: .long, help: "An organisation key (x-org-api-key) for the project endpoints instead.") var org = false
            @OptionGroup var database: DatabaseOption
            func run() throws {
                let sandbox = try database.open()
                if org {
                    printOut("New organisation key, shown only this once:\n  \(try sandbox.createOrgKey())")
                    return
                }
                let key = try sandbox.createKey(projectId: project, readOnly: readOnly)
                printOut("New \(readOnly ? "read-only " : "")key for \(project), shown only this once:\n  \(key)")
            }
        }
    }

    /// `onboard sandbox check`: every stored credential still opens with the key file.
    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "check",
            abstract: "Check that every stored credential decrypts with the database's key file.",
            discussion: "Exit 0 when all do; 1 with the ids of those that do not.\n\nExample:\n  onboard sandbox check --db ./sandbox.sqlite")
        @OptionGroup var database: DatabaseOption
        func run() throws {
            let check: Sandbox.CredentialCheck
            do {
                check = try database.open().verifyCredentials()
            } catch let error as ExitCode {
                throw error
            } catch {
                printError("\(error)")
                throw ExitCode(1)
            }
            guard check.unreadable.isEmpty else {
                printError(
                    "\(check.unreadable.count) stored credential\(check.unreadable.count == 1 ? "" : "s") do not decrypt with \(database.path).key: \(check.unreadable.joined(separator: ", ")). Was the key file replaced?"
                )
                throw ExitCode(1)
            }
            printOut("\(check.readable) stored credentials decrypt with \(database.path).key.")
        }
    }

    /// `onboard sandbox seed-hostile`: test data made to attack a terminal.
    struct SeedHostile: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "seed-hostile",
            abstract: "Add auth configs and accounts whose names, reasons and URLs try to drive the terminal (for testing).",
            discussion: """
                Names with clipboard writes (OSC 52), window titles, screen clears, C1 controls, bidi \
                overrides, 10 KB strings, wide and combining characters, a toolkit whose every text is \
                hostile, and accounts with hostile reasons and link URLs. onboard must show them all \
                defanged. Prints the new auth config ids.

                Example:
                  onboard sandbox seed-hostile --db ./hostile.sqlite
                """)
        @OptionGroup var database: DatabaseOption
        func run() throws {
            do {
                for id in try database.open().seedHostile() { printOut(id) }
            } catch let error as ExitCode {
                throw error
            } catch {
                printError("\(error)")
                throw ExitCode(1)
            }
        }
    }

    struct AuthConfigs: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "auth-configs",
            abstract: "Create auth configs on the seeded toolkits.",
            discussion: "Example:\n  onboard sandbox auth-configs create --toolkit stripe --name \"Stripe (billing)\"",
            subcommands: [Create.self]
        )

        struct Create: ParsableCommand {
            static let configuration = CommandConfiguration(
                commandName: "create",
                abstract: "Create an auth config and print its id.",
                discussion: "Example:\n  onboard sandbox auth-configs create --toolkit stripe --name \"Stripe (billing)\"")
            @Option(name: .long, help: "Toolkit slug: \(Sandbox.toolkitSlugs.joined(separator: ", ")).") var toolkit: String
            @Option(name: .long, help: "Auth scheme (default: the toolkit's first), e.g. API_KEY, BASIC.") var scheme: String?
            @Option(name: .long, help: "Display name.") var name: String?
            @Option(name: .long, help: "Project id (default: the default project).") var project = Sandbox.defaultProjectId
            @OptionGroup var database: DatabaseOption
            func run() throws {
                let sandbox = try database.open()
                do {
                    let id = try sandbox.createAuthConfig(projectId: project, toolkit: toolkit, scheme: scheme.map(AuthScheme.init(rawValue:)), name: name)
                    printOut(id)
                } catch let error as SandboxSetupError {
                    printError(error.description)
                    throw ExitCode(1)
                }
            }
        }
    }
}
