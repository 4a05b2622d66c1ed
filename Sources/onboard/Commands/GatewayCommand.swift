import ArgumentParser
import ComposioAPI
import Foundation
import OnboardCore
import OnboardFeatures
import OnboardGateway
import OnboardLive
import OnboardStore

/// `onboard gateway serve|drain|fingerprint`: the SSH gateway for operator-assisted setup.
struct GatewayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gateway",
        abstract: "Serve the wizard over SSH to customers holding an invite (onboard invite create).",
        discussion: """
            The customer types the ssh command an invite prints and enters their own credentials in \
            the wizard, on a pty in a process of its own; the operator sees the outcome, never a value.

            Examples:
              onboard gateway serve                          # 127.0.0.1:2222, the embedded sandbox
              onboard gateway serve --host 0.0.0.0 --port 2222
              COMPOSIO_API_KEY=... onboard gateway serve --host 0.0.0.0
              onboard gateway fingerprint
              onboard gateway drain                          # before a deploy: sessions finish, then it exits
            """,
        subcommands: [Serve.self, Drain.self, Fingerprint.self, Session.self]
    )

    struct Serve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "serve",
            abstract: "Listen for SSH logins by invite token (loopback by default).",
            discussion:
                "SIGHUP reads --limits and --operator-keys again without dropping anyone: sessions in flight keep their limits, new connections get the new ones.\n\nExamples:\n  onboard gateway serve\n  onboard gateway serve --host 0.0.0.0 --max-sessions 50 --idle-timeout 600\n  onboard gateway serve --limits /etc/onboard/gateway-limits.toml   # then: kill -HUP PID"
        )

        @Option(name: .long, help: "Address to listen on; anything but loopback is reachable from other machines.")
        var host = "127.0.0.1"

        @Option(name: .long, help: "Port to listen on (0 picks a free one and prints it).")
        var port = 2222

        @Option(name: .long, help: "Seconds from connecting to a running session before the connection is closed (default 60).")
        var loginGrace: Int?

        @Option(name: .long, help: "Seconds without input before a session ends (default 900).")
        var idleTimeout: Int?

        @Option(name: .long, help: "Seconds a session may last at most (default 3600).")
        var maxSessionLength: Int?

        @Option(name: .long, help: "Sessions at once; one more is told to try again later (default 128).")
        var maxSessions: Int?

        @Option(name: .long, help: "New connections a minute from one address (0: no limit; default 30).")
        var connectionsPerMinute: Int?

        @Option(
            name: .long,
            help: ArgumentHelp(
                "The limits above in a file (name = number, e.g. max-sessions = 50), read again on SIGHUP; a flag given here wins over the file.",
                valueName: "FILE"))
        var limits: String?

        @Option(name: .long, help: "Service base URL (overrides COMPOSIO_BASE_URL; used only with an API key).")
        var baseURL: String?

        @Option(name: .long, help: "Read the project API key from this file (mode 600), instead of COMPOSIO_API_KEY.")
        var apiKeyFile: String?

        @OptionGroup var audit: AuditLogOption

        @OptionGroup var store: StoreFlag

        @Option(name: .long, help: "When run as root: the user every session runs as (like sshd's privilege separation user).")
        var sessionUser: String?

        @Option(
            name: .long,
            help: ArgumentHelp(
                "Load balancers (addresses or networks, comma-separated) whose PROXY protocol header (v1 or v2) names the client; their connections must send one, and a header from anywhere else is refused.",
                valueName: "CIDR,..."))
        var proxyProtocolFrom: String?

        @Option(
            name: .long,
            help: "Seconds the sessions in flight may take to finish after Ctrl-C or SIGTERM (a second one ends them at once).")
        var drainTimeout = 15 * 60

        @Option(name: .long, help: ArgumentHelp("Serve /metrics (Prometheus) and /ready (for a load balancer's health check) here.", valueName: "HOST:PORT"))
        var metrics: String?

        @Option(
            name: .long,
            help: ArgumentHelp(
                "Operators' public keys (authorized_keys format; ed25519 or ECDSA) who may watch sessions over SSH: ssh -t -p PORT operator@HOST attach inv_...",
                valueName: "FILE"))
        var operatorKeys: String?

        @Option(
            name: .long,
            help: "Seconds without a heartbeat after which a gateway counts as gone and its sessions are reconciled by another (or by itself, restarted).")
        var leaseTime = 30

        func validate() throws {
            guard (0...65535).contains(port) else { throw ValidationError("--port must be between 0 and 65535.") }
            var check = GatewayLimits()
            for (setting, value) in limitFlags {
                do { try check.set(setting, to: value) } catch { throw ValidationError("--\(error)") }
            }
            guard (2...3600).contains(leaseTime) else { throw ValidationError("--lease-time takes 2 to 3600 seconds.") }
            guard drainTimeout >= 0 else { throw ValidationError("--drain-timeout must be 0 (end sessions at once) or more seconds.") }
            if let metrics {
                do { _ = try MetricsEndpoint.address(metrics) } catch { throw ValidationError("\(error)") }
            }
            if let proxyProtocolFrom {
                do { _ = try TrustedProxies(parsing: proxyProtocolFrom) } catch { throw ValidationError("--proxy-protocol-from: \(error)") }
            }
        }

        /// The limits given as flags, by setting.
        var limitFlags: [GatewayLimits.Setting: Int] {
            let given: [(GatewayLimits.Setting, Int?)] = [
                (.loginGrace, loginGrace), (.idleTimeout, idleTimeout), (.maxSessionLength, maxSessionLength), (.maxSessions, maxSessions),
                (.connectionsPerMinute, connectionsPerMinute),
            ]
            return Dictionary(uniqueKeysWithValues: given.compactMap { setting, value in value.map { (setting, $0) } })
        }

        func run() async throws {
            try await reportingErrors {
                try await GatewayCommands.serve(
                    .init(
                        host: host, port: port, limitFlags: limitFlags, limitsFile: limits, baseURL: baseURL, keyFile: apiKeyFile, auditLog: audit.auditLog,
                        store: store.store,
                        sessionUser: sessionUser, trustedProxies: try proxyProtocolFrom.map(TrustedProxies.init(parsing:)) ?? TrustedProxies(),
                        drainTimeout: .seconds(drainTimeout), metrics: try metrics.map(MetricsEndpoint.address), operatorKeys: operatorKeys,
                        leaseTime: .seconds(leaseTime)),
                    output: .standard)
            }
        }
    }

    struct Drain: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "drain",
            abstract: "Drain the gateway running on this host: no new connections, sessions in flight finish, then it exits.",
            discussion:
                "As a first SIGTERM does (a second SIGTERM to the gateway ends the sessions at once). Through the gateway's owner-only control socket, so run it as the gateway's user.\n\nExamples:\n  onboard gateway drain\n  onboard gateway drain --port 2223"
        )

        @Option(name: .long, help: "The gateway's port, when several run on this host.")
        var port: Int?

        func run() async throws {
            try await reportingErrors { try GatewayDrain.run(port: port, output: .standard) }
        }
    }

    struct Fingerprint: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "fingerprint",
            abstract: "Print the gateway's host key fingerprint (SHA256:..., as ssh shows it).",
            discussion: "Examples:\n  onboard gateway fingerprint\n  onboard gateway fingerprint --public-key   # for a known_hosts line")

        @Flag(name: .long, help: "Print the public key line (ssh-ed25519 AAAA...) instead.")
        var publicKey = false

        func run() async throws {
            try await reportingErrors { try GatewayCommands.fingerprint(publicKey: publicKey, output: .standard) }
        }
    }

    /// What the gateway runs on each session's pty; not for people. It takes no arguments: what
    /// it is for arrives on descriptor 4, the service key on 6, and it confines itself first.
    struct Session: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "session",
            abstract: "The wizard for one invite, as the gateway starts it on a session's pty.", shouldDisplay: false)

        func run() async throws {
            // Onboard.main runs a session before parsing (it must confine itself first); reaching
            // here means arguments the gateway never passes.
            throw ValidationError("Started by onboard gateway serve only, with no arguments.")
        }

        /// Reads what the gateway handed over and confines this process (synchronously, on the
        /// only thread there is).
        static func confine() throws -> GatewayBinding {
            do {
                return try GatewayBinding.startSession()
            } catch {
                printError("\(error)")
                throw ExitCode(error is UsageError ? 2 : 1)
            }
        }

        static func run(binding: GatewayBinding) async throws {
            let code = await WizardLauncher.run(
                .init(userId: binding.description.userId, authConfigId: binding.description.authConfig, session: binding))
            if code != 0 { throw ExitCode(code) }
        }
    }
}
