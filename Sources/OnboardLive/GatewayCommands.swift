import ComposioSandbox
import Foundation
import Logging
import NIOCore
import OnboardCore
import OnboardFeatures
import OnboardFiles
import OnboardGateway
import OnboardProcess
import OnboardStore
import OnboardTUI

/// `onboard gateway serve` and `onboard gateway fingerprint`.
package enum GatewayCommands {
    package struct ServeOptions: Sendable {
        package var host: String
        package var port: Int
        /// The limits given as flags; they win over `--limits`.
        package var limitFlags: [GatewayLimits.Setting: Int]
        /// `--limits FILE`: read at start and on SIGHUP.
        package var limitsFile: String?
        package var baseURL: String?
        package var keyFile: String?
        package var auditLog: String?
        /// `--store postgres://...`: invites and the trail shared with other gateways.
        package var store: String?
        /// `--session-user NAME`: sessions run as this user (the gateway must be root).
        package var sessionUser: String?
        /// `--proxy-protocol-from CIDR,...`: the load balancers whose PROXY header is trusted.
        package var trustedProxies: TrustedProxies
        /// `--drain-timeout`: how long sessions in flight may finish after a stop signal.
        package var drainTimeout: Duration
        /// `--metrics HOST:PORT`: where `/metrics` and `/ready` are served (nil: nowhere).
        package var metrics: (host: String, port: Int)?
        /// `--operator-keys FILE`: who may attach over SSH.
        package var operatorKeys: String?
        /// `--lease-time`: how long a gateway may go without a heartbeat before it counts as gone.
        package var leaseTime: Duration
        package init(
            host: String, port: Int, limitFlags: [GatewayLimits.Setting: Int] = [:], limitsFile: String? = nil, baseURL: String?, keyFile: String?,
            auditLog: String?, store: String?,
            sessionUser: String? = nil, trustedProxies: TrustedProxies = TrustedProxies(), drainTimeout: Duration = .seconds(15 * 60),
            metrics: (host: String, port: Int)? = nil, operatorKeys: String? = nil, leaseTime: Duration = .seconds(30)
        ) {
            self.leaseTime = leaseTime
            self.operatorKeys = operatorKeys
            self.drainTimeout = drainTimeout
            self.metrics = metrics
            self.sessionUser = sessionUser
            self.trustedProxies = trustedProxies
            self.store = store
            self.host = host
            self.port = port
            self.limitFlags = limitFlags
            self.limitsFile = limitsFile
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

    /// Reads a file that sets what the gateway allows (`--operator-keys`, `--limits`): a regular
    /// file nobody else may write (as sshd's StrictModes asks), since whoever could write it
    /// would set what the gateway lets in.
    static func administratorFile(_ path: String, option: String, kind: String, maximumBytes: Int, risk: String) throws -> String {
        let data: Data
        do {
            data = try SecureFile.readRegular(path, kind: kind, maximumBytes: maximumBytes)
        } catch {
            throw UsageError("\(option): \(error)")
        }
        var info = stat()
        if stat(path, &info) == 0, info.st_mode & 0o022 != 0 {
            throw UsageError("\(option): \(path) is writable by others, who could \(risk). Run: chmod go-w \(path)")
        }
        return String(decoding: data, as: UTF8.self)
    }

    /// Reads `--operator-keys`.
    static func operatorKeys(_ path: String) throws -> OperatorKeys {
        let text = try administratorFile(
            path, option: "--operator-keys", kind: "operator keys file", maximumBytes: 1 << 20, risk: "add their own key")
        do {
            return try OperatorKeys(parsing: text)
        } catch {
            throw UsageError("--operator-keys: \(path): \(error)")
        }
    }

    /// The limits: the defaults, then `--limits`' file, then the flags.
    static func limits(_ options: ServeOptions) throws -> GatewayLimits {
        var file: [GatewayLimits.Setting: Int] = [:]
        if let path = options.limitsFile {
            let text = try administratorFile(
                path, option: "--limits", kind: "limits file", maximumBytes: GatewayLimitsFile.maximumBytes, risk: "lift the gateway's limits")
            file = try GatewayLimitsFile.parse(text, source: path)
        }
        return try GatewayLimitsFile.limits(file: file, flags: options.limitFlags)
    }

    /// SIGHUP: the limits file and the operator keys read again. A file that no longer reads
    /// changes nothing (the gateway keeps what it had, and says so); sessions in flight keep
    /// their limits either way.
    static func reload(_ options: ServeOptions, server: GatewayServer, operators: OperatorKeySource, logger: Logger) {
        if options.limitsFile != nil {
            do {
                let changed = server.changeLimits(try limits(options))
                logger.notice(
                    changed.isEmpty
                        ? "SIGHUP: limits read again; none changed."
                        : "SIGHUP: limits read again: \(changed.joined(separator: ", ")). New connections get them; sessions in flight keep theirs.")
            } catch {
                logger.error("SIGHUP: the limits were not changed: \(error)")
            }
        }
        if let count = operators.reload() {
            logger.notice("SIGHUP: operator keys read again: \(count) key\(count == 1 ? "" : "s").")
        } else if operators.isConfigured {
            logger.error("SIGHUP: the operator keys could not be read again; the ones read before still apply.")
        }
        if options.limitsFile == nil && !operators.isConfigured {
            logger.notice("SIGHUP: nothing to read again (no --limits, no --operator-keys).")
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
        let sessionUser = try Self.sessionUser(options.sessionUser, choice: choice)
        let launcher: WizardSessionLauncher
        switch choice {
        case .remoteNeedingKey(let url):
            throw UsageError(
                "The gateway needs the project's API key for \(url.host ?? url.absoluteString): set COMPOSIO_API_KEY or pass --api-key-file (customers never see it)."
            )
        case .remote(let url, let key, _):
            launcher = try WizardSessionLauncher(backend: (url, key), environment: environment, sessionUser: sessionUser)
        case .embeddedSandbox:
            launcher = try WizardSessionLauncher(backend: nil, environment: environment, sessionUser: sessionUser)
        }
        let key = try hostKey(environment: environment)
        let limits = try Self.limits(options)
        let (store, audit, storeLabel) = try await StoreChoice.open(store: options.store, auditLog: options.auditLog, environment: environment)
        let systemd = SystemdNotifier(environment: environment)
        var logHandler = LineLogHandler.standardError(label: "onboard.gateway", environment: environment)
        logHandler.logLevel = .info
        let logger = Logger(label: "onboard.gateway", factory: { _ in logHandler })
        let operators = try OperatorKeySource(path: options.operatorKeys, logger: logger, read: Self.operatorKeys)
        let hostName = ProcessInfo.processInfo.hostName
        let metrics = GatewayMetrics()
        // The endpoint's server says only what goes wrong: its "listening" line would read like
        // the gateway's own.
        var metricsLogger = logger
        metricsLogger.logLevel = .warning
        let metricsServer = options.metrics.map { address in
            MetricsEndpoint.start(metrics, host: address.host, port: address.port, logger: metricsLogger) { port in
                output.err("Metrics on http://\(MetricsEndpoint.hostInURL(address.host)):\(port)/metrics; readiness on /ready.")
            }
        }
        defer { metricsServer?.cancel() }
        let server = GatewayServer(
            hostKey: key, store: store, audit: audit, limits: limits, launcher: launcher, logger: logger,
            source: "gateway \(hostName):\(options.port)",
            deadLetter: SecureFile.directory(of: AuditLog.defaultPath(environment: environment)) + "/gateway-dead-letter.jsonl",
            trustedProxies: options.trustedProxies, metrics: metrics, operatorKeys: operators, leaseTime: options.leaseTime)
        SignalFlags.catchSignals([SIGINT, SIGTERM, SIGHUP])
        let stop = Stopping()
        let reachable = isLoopback(host: options.host) ? "loopback only: customers on this machine" : "reachable from other machines"
        let stateDirectory = AppPaths.stateDirectory(environment: environment)
        try SecureFile.makeDirectory(for: stateDirectory + "/gateway.sock", kind: "control socket")
        try await server.run(
            host: options.host, port: options.port, drainTimeout: options.drainTimeout,
            controlSocket: { port in ControlSocket.path(stateDirectory: stateDirectory, port: port) },
            ready: { address in
                let port = address.port ?? options.port
                output.err("onboard gateway listening on \(options.host):\(port) (\(reachable)); sessions use \(choice.label).")
                output.err("Host key \(key.fingerprint). Customers compare it with what ssh shows on their first connect.")
                output.err("Invites and the audit trail: \(storeLabel).")
                output.err(Self.confinementLine(sessionUser: options.sessionUser))
                if let path = options.limitsFile {
                    let listed = GatewayLimits.Setting.allCases.map { "\($0.rawValue) \(limits[$0])" }.joined(separator: ", ")
                    output.err("Limits: \(listed) (from \(path) and the flags; SIGHUP to pid \(getpid()) reads the file again).")
                }
                if !options.trustedProxies.isEmpty {
                    output.err(
                        "PROXY protocol headers are trusted from \(options.trustedProxies.listed.joined(separator: ", ")) only: their connections must send one; from anywhere else one is refused."
                    )
                }
                output.err("Watch a session from this host: onboard invite attach inv_... (through an owner-only socket in \(stateDirectory)).")
                if let path = operators.path {
                    output.err(
                        "Operators with a key in \(path) (\(operators.keys.entries.count) now; read again when it changes) watch from elsewhere: ssh -t -p \(port) operator@HOST attach inv_..."
                    )
                }
                output.err(
                    "Invite a customer: onboard invite create --auth-config ac_... --user-id ID   Stop: Ctrl-C or SIGTERM (sessions in flight finish first; again to end them now)."
                )
                systemd.notify(["READY=1", "STATUS=Listening on \(options.host):\(port); sessions use \(choice.label)."])
                let event = AuditEvent(
                    .gatewayStarted, actor: .currentUser, backend: choice.label, source: "gateway \(hostName):\(port)", version: OnboardVersion.current)
                Task {
                    try? await store.recordGateway(GatewayEndpoint(host: options.host, port: port, startedAt: SystemTimekeeper().date))
                    try? await audit?.record(event)
                }
            },
            draining: { inFlight in
                systemd.notify(["STOPPING=1", "STATUS=Draining: \(inFlight) session\(inFlight == 1 ? "" : "s") in flight."])
                output.err(
                    inFlight == 0
                        ? "Stopping: no session in flight."
                        : "Draining: no new connections; \(inFlight) session\(inFlight == 1 ? "" : "s") in flight may finish, for up to \(DurationText.words(options.drainTimeout)). Ctrl-C or SIGTERM again ends them now."
                )
            },
            stopping: {
                let signals = SignalFlags.take()
                if signals & (1 << SIGHUP) != 0 {
                    systemd.notify(["RELOADING=1", "MONOTONIC_USEC=\(SystemdNotifier.monotonicMicroseconds())"])
                    Self.reload(options, server: server, operators: operators, logger: logger)
                    systemd.notify(["READY=1", "STATUS=Limits and operator keys read again."])
                }
                if signals & (1 << SIGINT | 1 << SIGTERM) != 0 { stop.signals += 1 }
                switch stop.signals {
                case 0: return nil
                case 1: return .drain
                default: return .immediately
                }
            })
        output.err("onboard gateway stopped; every record is written.")
        try? await audit?.record(AuditEvent(.gatewayStopped, actor: .currentUser, backend: choice.label, version: OnboardVersion.current))
    }
}

extension GatewayCommands {
    /// `--session-user`: only for a gateway running as root, and only with a service (the
    /// embedded sandbox's database belongs to the gateway's user).
    static func sessionUser(_ name: String?, choice: BackendChoice) throws -> SessionUser? {
        guard let name else { return nil }
        guard geteuid() == 0 else {
            throw UsageError("--session-user needs the gateway to run as root (it is the user sessions become); without root, sessions run as you.")
        }
        guard let user = SessionUser.named(name) else {
            throw UsageError(
                "--session-user: there is no user \u{201C}\(TerminalText.sanitized(name))\u{201D} on this machine. Create one (useradd --system onboard-session) or name another."
            )
        }
        guard user.uid != 0 else { throw UsageError("--session-user must not be root: it is the user sessions run as instead of root.") }
        if case .embeddedSandbox = choice {
            throw UsageError(
                "--session-user needs a service (COMPOSIO_API_KEY, or --base-url and --api-key-file): the embedded sandbox's database is the gateway's own.")
        }
        return user
    }

    /// What the gateway says at start about how sessions are confined.
    static func confinementLine(sessionUser: String?) -> String {
        let abi = SessionConfinement.landlockABI
        let who =
            sessionUser.map { "as \($0)" } ?? (geteuid() == 0 ? "as root (pass --session-user to give them a user of their own)" : "as you")
        guard abi > 0 else {
            return
                "Sessions run \(who) with no new privileges and resource limits; this kernel has no Landlock, so no file rule holds them (the wizard's own rules still do)."
        }
        return
            "Sessions run \(who), confined: no new privileges, resource limits, Landlock (ABI \(abi)) leaving terminfo, locale and the sandbox's database only."
    }
}

/// Set once a stop signal has been seen.
private final class Stopping: @unchecked Sendable {
    // Read and written only from the server's polling closure, one call at a time.
    var signals = 0
}

/// Starts `onboard gateway session` for a claimed invite: the same binary, on the session's pty,
/// with an environment built here (never the gateway's own secrets), what it is for on one pipe
/// and the service's key on another.
struct WizardSessionLauncher: SessionLauncher, AttachLauncher {
    let executable: String
    let backend: (url: URL, key: Secret)?
    let environment: [String: String]
    /// With the embedded sandbox: its database, open for the gateway's life so that the files a
    /// session's confinement names (the database, its WAL and shared memory) are always there.
    let sandbox: Sandbox?
    /// `--session-user`: whom sessions run as when the gateway is root.
    let sessionUser: SessionUser?

    /// The gateway's variables a session may see: where onboard keeps its files, the time zone,
    /// terminfo, and proxies that carry no password. Not the Composio key, not the sandbox's
    /// key, no path a session would be refused (a theme is kept by name only).
    static let inherited: Set<String> = [
        "PATH", "HOME", "USER", "LOGNAME", "TZ", "LANG", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CONFIG_HOME", "XDG_RUNTIME_DIR",
        "ONBOARD_THEME", "TERMINFO", "TERMINFO_DIRS", "HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy",
        "ALL_PROXY", "all_proxy", "NO_PROXY", "no_proxy",
    ]

    init(backend: (url: URL, key: Secret)?, environment: [String: String], sessionUser: SessionUser? = nil) throws {
        self.sessionUser = sessionUser
        var buffer = [CChar](repeating: 0, count: 4096)
        let length = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        guard length > 0 else { throw CommandFailure("Cannot find onboard's own executable to start sessions with.") }
        executable = String(decoding: buffer[..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        self.backend = backend
        self.environment = environment.filter { name, value in
            guard Self.inherited.contains(name) else { return false }
            if name.lowercased().hasSuffix("proxy") { return !value.contains("@") }
            if name == "ONBOARD_THEME" { return !value.contains("/") }
            return true
        }
        sandbox = backend == nil ? try Sandbox.open(path: AppPaths.sandboxDatabase(environment: environment), initialAPIKey: nil).0 : nil
    }

    /// `onboard invite attach INVITE` for an operator who came over SSH, attaching through its
    /// descriptor 3 (the id was checked to be one: letters, digits and `_`).
    func startAttach(_ request: AttachRequest) throws -> (child: SessionChild, gateway: Int32) {
        var environment = self.environment
        for (name, value) in request.environment { environment[name] = value }
        environment["TERM"] = request.term
        let link = try DescriptorHandOff.reportChannel()
        defer { close(link.theirs) }
        do {
            let child = try SessionChild.start(
                executable: executable,
                arguments: [executable, "invite", "attach", request.invite, "--gateway-descriptor", "3"]
                    + (sessionUser.map { ["--become", "\($0.uid):\($0.gid)"] } ?? []),
                environment: environment, columns: request.columns, rows: request.rows, passing: [link.theirs], owner: sessionUser)
            return (child, link.ours)
        } catch {
            close(link.ours)
            throw error
        }
    }

    func start(_ request: SessionRequest) throws -> StartedSession {
        var environment = self.environment
        for (name, value) in request.environment { environment[name] = value }
        environment["TERM"] = request.term
        let description = SessionDescription(
            invite: request.invite.id, authConfig: request.invite.authConfig, userId: request.invite.userId, peer: request.peer,
            existing: request.invite.existing, baseURL: backend?.url.absoluteString, user: sessionUser, greeting: request.greeting,
            hostKey: request.hostKey)
        let report = try DescriptorHandOff.reportChannel()
        let operators: (ours: Int32, theirs: Int32)
        do {
            operators = try DescriptorHandOff.reportChannel()
        } catch {
            close(report.ours)
            close(report.theirs)
            throw error
        }
        var handed: [Int32] = []
        defer {
            close(report.theirs)
            for descriptor in handed { close(descriptor) }
        }
        do {
            handed.append(try DescriptorHandOff.pipe(holding: try description.encoded()))
            handed.append(operators.theirs)
            if let backend {
                handed.append(try backend.key.withRevealedValue { try DescriptorHandOff.pipe(holding: Array($0.utf8)) })
            }
            // Descriptors 3 to 6 (SessionDescription's); nothing about the customer in argv.
            let child = try SessionChild.start(
                executable: executable, arguments: [executable, "gateway", "session"], environment: environment, columns: request.columns,
                rows: request.rows, passing: [report.theirs] + handed, owner: sessionUser)
            return StartedSession(child: child, report: report.ours, operators: operators.ours)
        } catch {
            close(report.ours)
            close(operators.ours)
            throw error
        }
    }
}
