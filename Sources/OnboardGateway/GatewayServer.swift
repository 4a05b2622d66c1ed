import Foundation
import Logging
import NIOCore
import NIOPosix
import NIOSSH
import OnboardCore
import OnboardProcess
import OnboardStore
import Synchronization

/// The SSH gateway: one interactive session per connection, reached by typing an invite's token
/// as the user name; the session is onboard's wizard in a process of its own on a pty.
/// Everything else SSH offers (exec, subsystems, forwarding of ports, agents or X11, global
/// requests, a second channel) is refused.
package final class GatewayServer: Sendable {
    let hostKey: HostKey
    let store: any InviteStore
    let reporter: GatewayReporter
    /// What the gateway allows now: `changeLimits` (SIGHUP) replaces it; each connection takes
    /// the limits of the moment it is accepted and keeps them.
    private let currentLimits: Mutex<GatewayLimits>
    package var limits: GatewayLimits { currentLimits.withLock { $0 } }
    let launcher: any SessionLauncher
    let rateLimiter: ConnectionRateLimiter
    let sessions: SessionRegistry
    /// The running sessions operators may watch, by invite.
    let watches = WatchRegistry()
    /// This run, once it listens: `host:port` as operators reach it, and its lease in the store.
    private let listening = Mutex<SessionHolder?>(nil)
    var gatewayName: String { listening.withLock { $0?.name ?? "" } }
    /// This run's name and lease, once it listens.
    var holder: SessionHolder? { listening.withLock { $0 } }
    /// How long a run's lease lasts without a heartbeat; then its sessions are reconciled.
    let leaseTime: Duration
    /// Set by `onboard gateway drain` (through the control socket): drain as SIGTERM would.
    private let drainAsked = Mutex(false)
    let waiting: WaitingConnections
    /// The clock every limit and wait of the gateway reads.
    let clock: any Timekeeper
    /// The load balancers whose PROXY header names the client (empty: none is trusted).
    let trustedProxies: TrustedProxies
    /// What `--metrics` serves.
    package let metrics: GatewayMetrics
    /// `--operator-keys`: who may log in as `operator` to attach (no file: nobody).
    let operatorKeys: OperatorKeySource

    /// - Parameter deadLetter: where writes the stores keep refusing are kept, to be made at the
    ///   next start (nil: retried for as long as the gateway runs).
    package init(
        hostKey: HostKey, store: any InviteStore, audit: (any AuditSink)?, limits: GatewayLimits, launcher: any SessionLauncher, logger: Logger,
        source: String, deadLetter: String? = nil, trustedProxies: TrustedProxies = TrustedProxies(), clock: any Timekeeper = SystemTimekeeper(),
        metrics: GatewayMetrics = GatewayMetrics(), operatorKeys: OperatorKeySource = .none, leaseTime: Duration = .seconds(30)
    ) {
        self.leaseTime = leaseTime
        self.operatorKeys = operatorKeys
        self.clock = clock
        self.metrics = metrics
        self.trustedProxies = trustedProxies
        self.hostKey = hostKey
        self.store = store
        self.reporter = GatewayReporter(
            audit: audit, logger: logger, source: source,
            writer: StoreWriter(
                invites: store, audit: audit, logger: logger, deadLetter: deadLetter.map(DeadLetterFile.init(path:)), clock: clock, metrics: metrics),
            clock: clock, metrics: metrics)
        self.currentLimits = Mutex(limits)
        self.launcher = launcher
        self.rateLimiter = ConnectionRateLimiter(perMinute: limits.connectionsPerMinute)
        self.sessions = SessionRegistry(maximum: limits.maximumSessions)
        self.waiting = WaitingConnections(total: limits.maximumWaitingConnections, perAddress: limits.maximumWaitingPerAddress)
    }

    /// Applies `new` from now on: the rate and session caps at once, the times to connections
    /// accepted from now (sessions in flight keep the limits they started with, as sshd's
    /// do after a reload). Returns what changed, as `max-sessions 128 → 50`.
    @discardableResult
    package func changeLimits(_ new: GatewayLimits) -> [String] {
        let old = currentLimits.withLock { limits in
            defer { limits = new }
            return limits
        }
        rateLimiter.perMinute = new.connectionsPerMinute
        sessions.maximum = new.maximumSessions
        return new.changes(from: old)
    }

    /// The store the gateway reads invites from, for a caller that records where it listens.
    package var inviteStore: any InviteStore { store }

    /// How the gateway is asked to stop.
    package enum StopRequest: Equatable, Sendable {
        /// Stop accepting; let the sessions in flight finish (up to the drain timeout).
        case drain
        /// Hang every session up now.
        case immediately
    }

    /// Listens on `host:port` until `stopping` (polled) asks it to stop. A drain stops accepting
    /// and lets the sessions in flight finish, for at most `drainTimeout` (then each customer is
    /// told why before the hang-up), or until a second request says now; then every session is
    /// hung up and every record written before it returns.
    /// - Parameters:
    ///   - ready: called once listening, with the bound address (port 0 picks one).
    ///   - draining: called when a drain starts, with the sessions in flight.
    /// - Parameter controlSocket: where operators on this host attach, given the bound port
    ///   (nil: nowhere).
    package func run(
        host: String, port: Int, drainTimeout: Duration = .seconds(15 * 60), controlSocket: (@Sendable (Int) -> String)? = nil,
        ready: @Sendable (SocketAddress) -> Void,
        draining: @Sendable (Int) -> Void = { _ in }, stopping: @Sendable () -> StopRequest?
    ) async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let server = try await ServerBootstrap(group: group)
            .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(ChannelOptions.tcpOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { [self] channel in
                accept(channel)
            }
            .bind(host: host, port: port).get()
        let boundPort = server.localAddress?.port ?? port
        let holder = SessionHolder(name: "\(ProcessInfo.processInfo.hostName):\(boundPort)", lease: "lease_" + Invite.newId().dropFirst(4))
        listening.withLock { $0 = holder }
        let heartbeat = Task { await keepLease(holder) }
        var control: (channel: any Channel, path: String, identity: ControlSocket.Identity?)?
        if let controlSocket { control = try await bindControlSocket(group: group, path: controlSocket(boundPort)) }
        if let address = server.localAddress { ready(address) }
        reporter.writer.replayDeadLetters(logger: reporter.logger)
        var request: StopRequest?
        while request == nil {
            try? await clock.sleep(for: .milliseconds(200))
            request = stopping() ?? (drainAsked.withLock { $0 } ? .drain : nil)
        }
        // No new customer from here on: the balancer's health check fails and sends them elsewhere.
        // The control socket stays until the sessions are done: operators on this host can
        // still attach to one in flight, and a second `gateway drain` is answered.
        try? await server.close()
        metrics.startDraining()
        if request == .drain {
            draining(sessions.inFlight)
            let deadline = clock.now + drainTimeout
            while sessions.inFlight > 0, clock.now < deadline, stopping() != .immediately {
                try? await clock.sleep(for: .milliseconds(200))
            }
            if sessions.inFlight > 0 {
                sessions.stopAll(
                    notice: "The gateway is shutting down, so this session has ended. Run the same command again to start over.")
                for _ in 0..<50 where sessions.runningCount > 0 { try? await clock.sleep(for: .milliseconds(100)) }
            }
        }
        await sessions.hangUpAll(clock: clock)
        if let control {
            try? await control.channel.close()
            ControlSocket.remove(control.path, bound: control.identity)
        }
        // The last notices and exit statuses reach their clients before the event loop goes.
        try? await clock.sleep(for: .milliseconds(300))
        await reporter.writer.drain()
        // Every session's end is on record: the lease goes, nothing is left to reconcile.
        heartbeat.cancel()
        try? await store.endLease(holder)
        try? await group.shutdownGracefully()
    }

    /// Renews this run's lease a few times per lease time, and each time ends on record the
    /// sessions of runs whose lease ran out (a gateway killed, a machine gone): an invite with
    /// no account works again ("interrupted"), one with an account ends.
    private func keepLease(_ holder: SessionHolder) async {
        while !Task.isCancelled {
            do {
                try await store.renewLease(holder, at: clock.date)
                for invite in try await store.reconcile(deadAfter: leaseTime.inSeconds, at: clock.date, mine: holder) {
                    let usable = invite.accountId == nil
                    reporter.record(
                        .gatewaySessionInterrupted, address: invite.claimedFrom, invite: invite, accountId: invite.accountId,
                        message:
                            "Session \(invite.id) on \(invite.heldBy ?? "a gateway") was cut off (its gateway's lease ran out): \(usable ? "the invite works again" : "its account \(invite.accountId ?? "") stands; the session is recorded as ended")."
                    )
                }
            } catch {
                reporter.logger.warning("The lease could not be renewed or sessions reconciled: \(error)")
            }
            try? await clock.sleep(for: leaseTime / 3)
        }
    }

    /// Listens for operators on this host at `path`: owner-only from the moment it has the
    /// name (bound under a temporary name, tightened, then renamed).
    private func bindControlSocket(group: any EventLoopGroup, path: String) async throws -> (
        channel: any Channel, path: String, identity: ControlSocket.Identity?
    ) {
        let temporary = path + ".\(getpid()).new"
        let channel = try await ServerBootstrap(group: group)
            .childChannelInitializer { [self] channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(
                        OperatorAttachHandler(watches: watches, clock: clock, identify: ControlSocket.peer, elsewhere: whereIs, drain: askDrain))
                }
            }
            .bind(unixDomainSocketPath: temporary, cleanupExistingSocketFile: true).get()
        guard chmod(temporary, 0o600) == 0, rename(temporary, path) == 0 else {
            let reason = String(cString: strerror(errno))
            try? await channel.close()
            unlink(temporary)
            throw ControlSocketSetupError(description: "Cannot set up the control socket \(path): \(reason).")
        }
        return (channel, path, ControlSocket.identity(path))
    }

    /// `onboard gateway drain`: drains as the first SIGTERM does; the words say what follows.
    @Sendable private func askDrain() -> String {
        let already = drainAsked.withLock { asked in
            defer { asked = true }
            return asked
        }
        let inFlight = sessions.inFlight
        let name = gatewayName
        if already { return "The gateway at \(name) is already draining: \(inFlight) session\(inFlight == 1 ? "" : "s") in flight." }
        return inFlight == 0
            ? "The gateway at \(name) is stopping: no session in flight."
            : "The gateway at \(name) is draining: no new connections; \(inFlight) session\(inFlight == 1 ? "" : "s") in flight may finish, then it exits."
    }

    /// Where a session not on this gateway is, in words for an operator who asked for it here.
    @Sendable private func whereIs(_ inviteId: String) async -> String {
        guard let invite = try? await store.invite(id: inviteId) else {
            return "No session for \(inviteId) here, and the invite store could not be read to say where it is."
        }
        return AttachDirections.words(inviteId: inviteId, invite: invite, here: gatewayName, now: clock.date)
    }

    /// A new TCP connection. From a trusted balancer, its PROXY header first (the client's
    /// address is in it); from anywhere else, a PROXY header is refused. Then ``admit``.
    private func accept(_ channel: any Channel) -> EventLoopFuture<Void> {
        let peer = channel.remoteAddress
        let peerText = Self.describe(peer)
        let reporter = self.reporter
        return channel.eventLoop.makeCompletedFuture {
            if trustedProxies.contains(Self.host(peer)) {
                let reader = ProxyHeaderReader(
                    proceed: { [self] source in
                        // A LOCAL header (a health check) is the balancer's own connection.
                        try admit(channel, address: source?.description ?? peerText, host: source?.ip ?? Self.host(peer))
                    },
                    refuse: { why in
                        reporter.recordCap("proxy_header", address: peerText, message: "Closed \(peerText), a trusted balancer: \(why)")
                    })
                try channel.pipeline.syncOperations.addHandler(reader)
                return
            }
            let refusal = ProxyHeaderGuard {
                reporter.recordCap(
                    "proxy_header", address: peerText,
                    message: "Closed \(peerText): a PROXY header from an address not in --proxy-protocol-from (it could name any client)")
            }
            try channel.pipeline.syncOperations.addHandler(refusal)
            try admit(channel, address: peerText, host: Self.host(peer))
        }
    }

    /// The connection of a client at `address` (`host` without the port): the rate limit first
    /// (before any SSH), then the SSH handler with a login grace timer. Runs on the event loop;
    /// a throw closes the connection.
    private func admit(_ channel: any Channel, address: String, host: String) throws {
        // This connection's limits, kept for its life whatever a reload sets later.
        let limits = self.limits
        if case .refused(let first) = rateLimiter.admit(host, now: clock.now) {
            metrics.refusedConnection("rate")
            if first {
                reporter.record(
                    .gatewayLimitReached, address: address, errorCode: "rate",
                    message: "Connections from \(address) refused for the rest of this minute: more than \(limits.connectionsPerMinute) a minute.")
            }
            throw GatewayRefusal.rateLimited
        }
        // Connections without a session yet cost a descriptor each and have shown nothing: capped
        // in all and per address (an IPv6 client's whole /64 counts as one).
        let group = WaitingConnections.group(host)
        switch waiting.admit(group) {
        case .admitted: break
        case .refused(let why, let first):
            metrics.refusedConnection("waiting")
            if first {
                reporter.record(.gatewayLimitReached, address: address, errorCode: "waiting", message: "Connections from \(address) refused: \(why).")
            }
            throw GatewayRefusal.tooManyWaiting
        }
        let waiting = self.waiting
        let connection = ConnectionState(address: address) { waiting.release(group) }
        // Login grace runs from accept to a running session, whatever happens between: a
        // refused session, a closed channel or a client that just holds the connection.
        let grace = channel.eventLoop.scheduleTask(in: TimeAmount(limits.loginGrace)) { [reporter] in
            guard !connection.sessionStarted else { return }
            reporter.recordCap("login_grace", address: address, message: "Closed \(address): no session within the login grace time")
            channel.close(promise: nil)
        }
        channel.closeFuture.whenComplete { _ in
            grace.cancel()
            connection.closed()
        }
        let context = SessionContext(
            store: store, reporter: reporter, limits: limits, launcher: launcher, sessions: sessions, connection: connection, watches: watches,
            holder: { [weak self] in self?.holder }, hostKeyFingerprint: hostKey.fingerprint, clock: clock)
        do {
            var configuration = SSHServerConfiguration(
                hostKeys: [NIOSSHPrivateKey(ed25519Key: hostKey.privateKey)], userAuthDelegate: TokenLogin(connection, operatorKeys: operatorKeys))
            configuration.maxAuthAttempts = 6
            let handler = NIOSSHHandler(role: .server(configuration), allocator: channel.allocator) { child, type in
                // Only the one session channel: no port forwarding, no second session.
                guard case .session = type, connection.openSession() else {
                    return child.eventLoop.makeFailedFuture(GatewayRefusal.channelRefused)
                }
                return child.eventLoop.makeCompletedFuture { [self] in
                    if let entry = connection.operatorEntry {
                        guard let attach = launcher as? any AttachLauncher else { throw GatewayRefusal.channelRefused }
                        try child.pipeline.syncOperations.addHandler(
                            OperatorSessionHandler(
                                .init(
                                    entry: entry, address: address, launcher: attach, watches: watches, clock: clock, elsewhere: whereIs,
                                    logger: reporter.logger, connection: connection, sessions: sessions, metrics: metrics)))
                    } else {
                        try child.pipeline.syncOperations.addHandler(SessionHandler(context))
                    }
                }
            }
            try channel.pipeline.syncOperations.addHandlers([handler, CloseOnError()])
        }
    }

    static func describe(_ address: SocketAddress?) -> String {
        guard let address, let ip = address.ipAddress else { return "an unknown address" }
        let port = address.port.map(String.init) ?? "?"
        return ip.contains(":") ? "[\(ip)]:\(port)" : "\(ip):\(port)"
    }

    static func host(_ address: SocketAddress?) -> String { address?.ipAddress ?? "unknown" }
}

struct ControlSocketSetupError: Error, CustomStringConvertible {
    let description: String
}

enum GatewayRefusal: Error {
    case rateLimited, channelRefused, tooManyWaiting
}

/// What one connection has said so far; read and written from its event loop and the auth
/// delegate, so behind a lock.
final class ConnectionState: Sendable {
    let address: String
    private let state = Mutex<(userName: String?, sessionOpened: Bool, sessionStarted: Bool, released: Bool)>((nil, false, false, false))
    /// Set when the connection logged in as an operator, with the key it used.
    private let operatorLogin = Mutex<OperatorKeys.Entry?>(nil)
    /// Gives back the connection's place among those waiting for a session, once.
    private let release: @Sendable () -> Void

    init(address: String, release: @escaping @Sendable () -> Void = {}) {
        self.address = address
        self.release = release
    }

    /// The connection is gone: its waiting place, if it still held one, is free.
    func closed() {
        if state.withLock({ first in
            defer { first.released = true }; return !first.released
        }) {
            release()
        }
    }

    var userName: String? {
        get { state.withLock { $0.userName } }
        set { state.withLock { $0.userName = newValue } }
    }

    var operatorEntry: OperatorKeys.Entry? {
        get { operatorLogin.withLock { $0 } }
        set { operatorLogin.withLock { $0 = newValue } }
    }

    /// True once: the first session channel.
    func openSession() -> Bool {
        state.withLock {
            if $0.sessionOpened { return false }
            $0.sessionOpened = true
            return true
        }
    }

    /// True once the session's program runs: the login grace no longer applies, and the
    /// connection no longer counts as waiting.
    var sessionStarted: Bool {
        get { state.withLock { $0.sessionStarted } }
        set {
            state.withLock { $0.sessionStarted = newValue }
            if newValue { closed() }
        }
    }
}

/// The token is the user name; whatever the client authenticates with (OpenSSH sends `none`
/// first) is accepted, and the invite is checked when the session starts, where a refusal can be
/// explained in words (SSH's own banner is one text per server, sent before the name is known).
/// With `--operator-keys`, the user `operator` logs in with a listed key and nothing else.
final class TokenLogin: NIOSSHServerUserAuthenticationDelegate {
    let connection: ConnectionState
    let operatorKeys: OperatorKeySource
    init(_ connection: ConnectionState, operatorKeys: OperatorKeySource = .none) {
        self.connection = connection
        self.operatorKeys = operatorKeys
    }

    var supportedAuthenticationMethods: NIOSSHAvailableUserAuthenticationMethods {
        operatorKeys.isConfigured ? [.password, .publicKey] : .password
    }

    func requestReceived(request: NIOSSHUserAuthenticationRequest, responsePromise: EventLoopPromise<NIOSSHUserAuthenticationOutcome>) {
        if operatorKeys.isConfigured, request.username == OperatorKeys.userName {
            // Public keys only (the library has checked the signature); `none` and passwords fail.
            guard case .publicKey(let offered) = request.request, let entry = operatorKeys.keys.entry(for: offered.publicKey) else {
                return responsePromise.succeed(.failure)
            }
            connection.userName = request.username
            connection.operatorEntry = entry
            return responsePromise.succeed(.success)
        }
        switch request.request {
        case .none, .password:
            connection.userName = request.username
            responsePromise.succeed(.success)
        default:
            responsePromise.succeed(.failure)
        }
    }
}

/// A connection whose SSH layer fails (a client speaking something else, a bad packet) is closed.
final class CloseOnError: ChannelInboundHandler, Sendable {
    typealias InboundIn = Any
    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}

/// Sessions running now, against the maximum; and the way to hang them all up on shutdown.
final class SessionRegistry: Sendable {
    /// Sessions at once; lowered by a reload, sessions beyond it keep running and no new one starts.
    var maximum: Int {
        get { cap.withLock { $0 } }
        set { cap.withLock { $0 = newValue } }
    }
    private let cap: Mutex<Int>
    struct Entry: Sendable {
        var child: SessionChild
        var stop: @Sendable (String) -> Void
    }
    private let running = Mutex<[ObjectIdentifier: Entry]>([:])
    private let reserved = Mutex<Int>(0)

    init(maximum: Int) { cap = Mutex(maximum) }

    /// A place for one more session, or false at the maximum.
    func reserve() -> Bool {
        reserved.withLock {
            guard $0 < self.maximum else { return false }
            $0 += 1
            return true
        }
    }

    func release() { reserved.withLock { $0 = max(0, $0 - 1) } }

    /// A session's program started; `stop` ends it with a notice to its customer (a drain's timeout).
    func started(_ key: ObjectIdentifier, _ child: SessionChild, stop: @escaping @Sendable (String) -> Void) {
        running.withLock { $0[key] = Entry(child: child, stop: stop) }
    }
    func ended(_ key: ObjectIdentifier) { _ = running.withLock { $0.removeValue(forKey: key) } }

    /// Sessions whose program runs.
    var runningCount: Int { running.withLock { $0.count } }
    /// Sessions with a place: running, or between the shell request and their program's start.
    var inFlight: Int { reserved.withLock { $0 } }

    /// Ends every running session with `notice` said to its customer.
    func stopAll(notice: String) {
        for entry in running.withLock({ Array($0.values) }) { entry.stop(notice) }
    }

    /// SIGHUP to every session's program, then SIGKILL to those still there after 3 seconds.
    func hangUpAll(clock: any Timekeeper) async {
        let children = running.withLock { $0.values.map(\.child) }
        for child in children { child.signal(SIGHUP) }
        for _ in 0..<30 {
            if running.withLock({ $0.isEmpty }) { return }
            try? await clock.sleep(for: .milliseconds(100))
        }
        for child in running.withLock({ $0.values.map(\.child) }) { child.signal(SIGKILL) }
    }
}

extension TimeAmount {
    init(_ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        self = .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }
}
