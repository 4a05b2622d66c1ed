import Foundation
import Logging
import NIOCore
import OnboardCore
import OnboardGateway
import OnboardProcess
import OnboardStore

/// `onboard gateway serve` and `onboard gateway fingerprint`.
package enum GatewayCommands {
    package struct ServeOptions: Sendable {
        package var host: String
        package var port: Int
        package var limits: GatewayLimits
        package var baseURL: String?
        package var keyFile: String?
        package var auditLog: String?
        /// `--store postgres://...`: invites and the trail shared with other gateways.
        package var store: String?
        package init(host: String, port: Int, limits: GatewayLimits, baseURL: String?, keyFile: String?, auditLog: String?, store: String?) {
            self.store = store
            self.host = host
            self.port = port
            self.limits = limits
            self.baseURL = baseURL
            self.keyFile = keyFile
            self.auditLog = auditLog
        }
    }

    /// The host key, created on first use in the data directory.
    package static func hostKey(environment: [String: String] = ProcessEnvironment.current()) throws -> HostKey {
        do {
            return try HostKey.loadOrCreate(path: HostKey.defaultPath(dataDirectory: AppPaths.dataDirectory(environment: environment)))
        } catch {
            throw UsageError(error.description)
        }
    }

    /// Prints the host key's fingerprint, or its public line (for a `known_hosts` file).
    package static func fingerprint(publicKey: Bool, output: CommandOutput) throws {
        let key = try hostKey()
        output.out(publicKey ? key.publicLine() : key.fingerprint)
    }

    /// Runs the gateway until SIGINT or SIGTERM.
    package static func serve(_ options: ServeOptions, output: CommandOutput) async throws {
        let environment = ProcessEnvironment.current()
        let choice = try BackendChoice.from(environment: environment, baseURLOverride: options.baseURL, keyFile: options.keyFile)
        let launcher: WizardSessionLauncher
        switch choice {
        case .remoteNeedingKey(let url):
            throw UsageError(
                "The gateway needs the project's API key for \(url.host ?? url.absoluteString): set COMPOSIO_API_KEY or pass --api-key-file (customers never see it)."
            )
        case .remote(let url, let key, _):
            launcher = try WizardSessionLauncher(backend: (url, key), environment: environment)
        case .embeddedSandbox:
            launcher = try WizardSessionLauncher(backend: nil, environment: environment)
        }
        let key = try hostKey(environment: environment)
        let (store, audit, storeLabel) = try await StoreChoice.open(store: options.store, auditLog: options.auditLog, environment: environment)
        var logHandler = LineLogHandler.standardError(label: "onboard.gateway")
        logHandler.logLevel = .info
        let logger = Logger(label: "onboard.gateway", factory: { _ in logHandler })
        let hostName = ProcessInfo.processInfo.hostName
        let server = GatewayServer(
            hostKey: key, store: store, audit: audit, limits: options.limits, launcher: launcher, logger: logger,
            source: "gateway \(hostName):\(options.port)")
        SignalFlags.catchSignals([SIGINT, SIGTERM])
        let stop = Stopping()
        let reachable = isLoopback(host: options.host) ? "loopback only: customers on this machine" : "reachable from other machines"
        try await server.run(
            host: options.host, port: options.port,
            ready: { address in
                let port = address.port ?? options.port
                output.err("onboard gateway listening on \(options.host):\(port) (\(reachable)); sessions use \(choice.label).")
                output.err("Host key \(key.fingerprint). Customers compare it with what ssh shows on their first connect.")
                output.err("Invites and the audit trail: \(storeLabel).")
                output.err("Invite a customer: onboard invite create --auth-config ac_... --user-id ID   Stop: Ctrl-C.")
                let event = AuditEvent(
                    .gatewayStarted, actor: .currentUser, backend: choice.label, source: "gateway \(hostName):\(port)", version: OnboardVersion.current)
                Task {
                    try? await store.recordGateway(GatewayEndpoint(host: options.host, port: port, startedAt: Date()))
                    try? await audit?.record(event)
                }
            },
            shouldStop: {
                let signals = SignalFlags.take()
                if signals & (1 << SIGINT | 1 << SIGTERM) != 0 { stop.requested = true }
                return stop.requested
            })
        output.err("onboard gateway stopped; every session was hung up.")
        try? await audit?.record(AuditEvent(.gatewayStopped, actor: .currentUser, backend: choice.label, version: OnboardVersion.current))
    }
}

/// Set once a stop signal has been seen.
private final class Stopping: @unchecked Sendable {
    // Read and written only from the server's polling closure, one call at a time.
    var requested = false
}

/// Starts `onboard gateway session` for a claimed invite: the same binary, on the session's pty,
/// with an environment built here (never the gateway's own secrets) and the key on a pipe.
struct WizardSessionLauncher: SessionLauncher {
    let executable: String
    let backend: (url: URL, key: Secret)?
    let environment: [String: String]

    /// The gateway's variables a session may see: where onboard keeps its files, its theme and
    /// audit settings, the time zone, terminfo, and proxies that carry no password. Not the
    /// Composio key, not the sandbox's key, nothing else.
    static let inherited: Set<String> = [
        "PATH", "HOME", "USER", "LOGNAME", "TZ", "LANG", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CONFIG_HOME", "XDG_RUNTIME_DIR",
        "ONBOARD_THEME", "TERMINFO", "TERMINFO_DIRS", "HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy",
        "ALL_PROXY", "all_proxy", "NO_PROXY", "no_proxy",
    ]

    init(backend: (url: URL, key: Secret)?, environment: [String: String]) throws {
        var buffer = [CChar](repeating: 0, count: 4096)
        let length = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        guard length > 0 else { throw CommandFailure("Cannot find onboard's own executable to start sessions with.") }
        executable = String(decoding: buffer[..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        self.backend = backend
        self.environment = environment.filter { name, value in
            Self.inherited.contains(name) && !(name.lowercased().hasSuffix("proxy") && value.contains("@"))
        }
    }

    func start(_ request: SessionRequest) throws -> StartedSession {
        var environment = self.environment
        for (name, value) in request.environment { environment[name] = value }
        environment["TERM"] = request.term
        let report = try DescriptorHandOff.reportChannel()
        var passing = [report.theirs]
        var arguments = [
            executable, "gateway", "session", "--invite", request.invite.id, "--auth-config", request.invite.authConfig, "--user-id",
            request.invite.userId, "--peer", request.peer, "--report-fd", "3",
        ]
        var keyDescriptor: Int32?
        defer {
            close(report.theirs)
            if let keyDescriptor { close(keyDescriptor) }
        }
        do {
            if let backend {
                let descriptor = try backend.key.withRevealedValue { try DescriptorHandOff.pipe(holding: Array($0.utf8)) }
                keyDescriptor = descriptor
                passing.append(descriptor)
                arguments += ["--api-key-fd", "4", "--base-url", backend.url.absoluteString]
            }
            let child = try SessionChild.start(
                executable: executable, arguments: arguments, environment: environment, columns: request.columns, rows: request.rows, passing: passing)
            return StartedSession(child: child, report: report.ours)
        } catch {
            close(report.ours)
            throw error
        }
    }
}
