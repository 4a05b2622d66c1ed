import Foundation
import NIOCore
import NIOPosix
import NIOSSH
import OnboardCore
import OnboardProcess
import OnboardStore
import Synchronization

/// What every session of a gateway shares.
struct SessionContext: Sendable {
    let store: any InviteStore
    let reporter: GatewayReporter
    let limits: GatewayLimits
    let launcher: any SessionLauncher
    let sessions: SessionRegistry
    let connection: ConnectionState
    /// The running sessions operators may watch.
    let watches: WatchRegistry
    /// This gateway run (`host:port` and its lease), recorded on the invites it claims: read at
    /// the claim, so a connection accepted before the run's lease was set claims with it too.
    let holder: @Sendable () -> SessionHolder?
    /// The host key's fingerprint, shown to the customer to compare with what ssh showed.
    let hostKeyFingerprint: String
    /// The clock the session's limits and timestamps are read from.
    var clock: any Timekeeper = SystemTimekeeper()

    /// Runs `body` (a store call) off the event loop; its result arrives on `loop`. A store that
    /// does not answer within 10 seconds counts as unreachable.
    func onStore<Value: Sendable>(_ loop: any EventLoop, _ body: @escaping @Sendable () async throws -> Value) -> EventLoopFuture<Value> {
        let promise = loop.makePromise(of: Value.self)
        promise.completeWithTask { try await Deadline.run(.seconds(10), timeout: { StoreTimeout() }, body) }
        return promise.futureResult
    }
}

extension SessionContext {
    /// Claims the invite whose token is `userName`, answering within 10 seconds. A claim that
    /// commits after the gateway stopped waiting is given back at once: the client was told the
    /// gateway could not check invites, so the invite must still work.
    func claim(
        on loop: any EventLoop, userName: String, address: String, at now: Date, timeout: Duration = .seconds(10)
    ) -> EventLoopFuture<InviteClaim> {
        let promise = loop.makePromise(of: InviteClaim.self)
        let store = self.store
        promise.completeWithTask {
            let work: @Sendable () async throws -> InviteClaim = {
                guard let token = InviteToken(candidate: userName) else { return .refused(.unknown, inviteId: nil) }
                return try await store.claim(tokenDigest: token.digest, from: address, at: now, holder: holder())
            }
            return try await Deadline.run(
                timeout, timeout: { StoreTimeout() },
                late: { claim in
                    if case .claimed(let invite) = claim {
                        giveBack(invite, claimedAt: now, why: "the claim was answered after the gateway stopped waiting")
                    }
                }, work)
        }
        return promise.futureResult
    }

    /// Gives a claimed invite back (its session never reached the customer), in order with the
    /// gateway's other writes and retried like them.
    func giveBack(_ invite: Invite, claimedAt: Date, why: String) {
        let logger = reporter.logger
        reporter.writer.enqueue(.release(invite: invite.id, claimedAt: claimedAt)) { released in
            logger.notice("Invite \(invite.id) \(released ? "given back" : "not given back (it moved on, or is kept to be given back later)"): \(why).")
        }
    }
}

struct StoreTimeout: Error, CustomStringConvertible {
    var description: String { "the store did not answer within 10 seconds" }
}

/// One SSH session channel, translating between SSH and the ``GatewaySession`` machine: channel
/// requests, the store's answers, the program's output and exit and the clock's ticks go in as
/// events; the actions that come out are carried out here (replies, the claim, the launch, the
/// pty, signals, the report). Bytes are relayed both ways with back-pressure (a slow link slows
/// the program, not the gateway's memory).
///
/// Nothing that crosses the channel is logged, kept or looked at: it goes to the pty and back.
final class SessionHandler: ChannelDuplexHandler {
    typealias InboundIn = SSHChannelData
    typealias OutboundIn = SSHChannelData
    typealias OutboundOut = SSHChannelData

    private let context: SessionContext
    private var machine: GatewaySession
    private var child: SessionChild?
    private var pty: (any Channel)?
    private var timer: RepeatedTask?
    /// The operators watching, once the program runs.
    private var watch: SessionWatch?
    /// The channel, for the actions that follow events from outside its pipeline.
    private var channel: (any Channel)?
    /// When the claim was asked for and answered, for the latency metrics.
    private var claimAskedAt: MonotonicInstant?
    private var claimAnsweredAt: MonotonicInstant?
    /// How long a hung-up program has before it is killed.
    static let killGrace: TimeAmount = .seconds(3)

    init(_ context: SessionContext) {
        self.context = context
        self.machine = GatewaySession(limits: context.limits)
    }

    func handlerAdded(context: ChannelHandlerContext) {
        channel = context.channel
        context.channel.setOption(ChannelOptions.allowRemoteHalfClosure, value: true).whenFailure { _ in }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        let request: SessionRequests.Request
        let wantReply: Bool
        switch event {
        case let pty as SSHChannelRequestEvent.PseudoTerminalRequest:
            request = .pseudoTerminal(
                term: pty.term, columns: pty.terminalCharacterWidth, rows: pty.terminalRowHeight, modeCount: pty.terminalModes.modeMapping.count)
            wantReply = pty.wantReply
        case let env as SSHChannelRequestEvent.EnvironmentRequest:
            request = .environment(name: env.name, value: env.value)
            wantReply = env.wantReply
        case let change as SSHChannelRequestEvent.WindowChangeRequest:
            request = .windowChange(columns: change.terminalCharacterWidth, rows: change.terminalRowHeight)
            wantReply = false
        case let shell as SSHChannelRequestEvent.ShellRequest:
            request = .shell
            wantReply = shell.wantReply
        case let exec as SSHChannelRequestEvent.ExecRequest:
            // One interactive session, nothing else: no commands, whatever they say.
            request = .other
            wantReply = exec.wantReply
        case let subsystem as SSHChannelRequestEvent.SubsystemRequest:
            request = .other
            wantReply = subsystem.wantReply
        case is SSHChannelRequestEvent.SignalRequest, is ChannelEvent:
            return
        default:
            return context.fireUserInboundEventTriggered(event)
        }
        send(.request(request, at: self.context.clock.now), wantReply: wantReply)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let message = unwrapInboundIn(data)
        guard case .channel = message.type, case .byteBuffer(let bytes) = message.data else { return }
        if machine.handle(.input(at: self.context.clock.now)).contains(.forwardInput) { pty?.writeAndFlush(bytes, promise: nil) }
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        // The client is slow to read: stop reading the program's output until it catches up.
        pty?.setOption(ChannelOptions.autoRead, value: context.channel.isWritable).whenFailure { _ in }
        context.fireChannelWritabilityChanged()
    }

    func channelInactive(context: ChannelHandlerContext) {
        // The client went away (closed, killed, network gone).
        send(.clientLeft)
        pty?.close(promise: nil)
        context.fireChannelInactive()
    }

    // MARK: the machine's actions

    /// Hands `event` to the machine and carries out what it says.
    private func send(_ event: GatewaySession.Event, wantReply: Bool = false) {
        for action in machine.handle(event) { perform(action, wantReply: wantReply) }
    }

    private func perform(_ action: GatewaySession.Action, wantReply: Bool) {
        guard let channel else { return }
        let shared = context
        let address = shared.connection.address
        let loopBound = NIOLoopBound(self, eventLoop: channel.eventLoop)
        switch action {
        case .reply(let success):
            guard wantReply else { return }
            if success {
                channel.triggerUserOutboundEvent(ChannelSuccessEvent(), promise: nil)
            } else {
                channel.triggerUserOutboundEvent(ChannelFailureEvent(), promise: nil)
            }
        case .report(let report):
            self.report(report, address: address)
        case .close:
            Self.closeConnection(channel)
        case .reservePlace:
            send(.placeReserved(shared.sessions.reserve(), at: shared.clock.date))
        case .releasePlace:
            shared.sessions.release()
        case .claim(let at):
            claimAskedAt = shared.clock.now
            shared.claim(on: channel.eventLoop, userName: shared.connection.userName ?? "", address: address, at: at).whenComplete { result in
                let answer: GatewaySession.ClaimAnswer
                switch result {
                case .success(.claimed(let invite)): answer = .claimed(invite)
                case .success(.refused(let refusal, let inviteId)): answer = .refused(refusal, inviteId: inviteId)
                case .failure(let error): answer = .failed("\(error)")
                }
                loopBound.value.send(.claimAnswered(answer, clientPresent: channel.isActive))
            }
        case .launch(let invite):
            claimAnswered("claimed")
            launch(invite, channel)
        case .giveBack(let invite, let claimedAt, let why):
            shared.giveBack(invite, claimedAt: claimedAt, why: why)
        case .forwardInput:
            break  // done by channelRead, which holds the bytes
        case .resize(let columns, let rows):
            child?.resize(columns: columns, rows: rows)
        case .checkRevoked(let inviteId):
            shared.onStore(channel.eventLoop) { try await shared.store.invite(id: inviteId)?.revokedAt != nil }
                .whenSuccess { revoked in loopBound.value.send(.revocationChecked(revoked: revoked)) }
        case .hangUp:
            child?.signal(SIGHUP)
            channel.eventLoop.scheduleTask(in: Self.killGrace) { loopBound.value.send(.killDue) }
        case .kill:
            child?.signal(SIGKILL)
        case .recordEnd(let invite, let exitStatus):
            shared.reporter.writer.enqueue(.end(invite: invite.id, exitStatus: Int(exitStatus), at: shared.clock.date))
        case .exit(let status, let notice):
            timer?.cancel()
            if let watch {
                watch.ended("The session has ended\(notice.map { ": \($0)" } ?? ".")")
                shared.watches.remove(watch)
                self.watch = nil
            }
            let key = ObjectIdentifier(self)
            let hadChild = child != nil
            // The program's last output (its screen given back) may still be in the pty: let it
            // through before the notice and the exit status. The session counts as running until
            // those are on their way, so a stopping gateway waits for them.
            channel.eventLoop.scheduleTask(in: .milliseconds(hadChild ? 50 : 0)) {
                if let notice { Self.say(channel, notice) }
                Self.exit(channel, status: Int(status))
                if hadChild {
                    shared.sessions.ended(key)
                    shared.reporter.metrics.sessionEnded()
                }
            }
        }
    }

    /// Tells the operator's log and the trail what the machine reported.
    private func report(_ report: GatewaySession.Report, address: String) {
        let reporter = context.reporter
        let metrics = reporter.metrics
        switch report {
        case .cap(let message):
            reporter.recordCap("requests", address: address, message: "\(message) (from \(address))")
        case .noTerminal:
            metrics.refusedConnection("no_terminal")
            reporter.logger.notice("Refused \(address): no terminal was requested.")
        case .busy:
            metrics.refusedConnection("sessions")
            reporter.record(
                .gatewayLimitReached, address: address, errorCode: "sessions",
                message: "Refused \(address): \(context.sessions.maximum) sessions are running, the maximum.")
        case .refused(let refusal, let inviteId):
            claimAnswered(refusal.rawValue)
            // The invite's id is named only when the token matched one: the user name itself is
            // never written anywhere (it may be a mistyped token, or someone's password).
            reporter.record(
                .gatewayLoginRefused, address: address, inviteId: inviteId, errorCode: refusal.rawValue,
                message: "Refused \(address): \(refusal.rawValue) invite\(inviteId.map { " \($0)" } ?? "").")
        case .storeFailed(let why):
            claimAnswered("store_failed")
            reporter.logger.notice("Refused \(address): the invite store failed: \(why)")
        case .claimed(let invite):
            metrics.sessionStarted()
            let window = machine.requests.window
            reporter.record(
                .inviteClaimed, address: address, invite: invite,
                message:
                    "Session \(invite.id) from \(address): \(invite.userId) on \(invite.authConfig), TERM \(TerminalName.resolve(machine.requests.terminal?.term ?? "")), \(window.columns)x\(window.rows)."
            )
        case .launchFailed(let invite, let why):
            reporter.logger.error("Session \(invite.id) could not start: \(why)")
        case .limit(let code, let invite):
            reporter.record(
                .gatewayLimitReached, address: address, invite: invite, errorCode: code,
                message: "Session \(invite.id) from \(address): \(code) limit reached; ending it.")
        case .ended(let invite, let exitStatus, let seconds, let code):
            reporter.record(
                .gatewaySessionEnded, address: address, invite: invite, errorCode: code,
                counts: ["exit_status": Int(exitStatus), "seconds": seconds],
                message: "Session \(invite.id) ended after \(seconds) s with status \(exitStatus)\(code.map { " (\($0))" } ?? "").")
        }
    }

    /// Counts the claim's outcome and how long the store took to answer it.
    private func claimAnswered(_ outcome: String) {
        let now = context.clock.now
        claimAnsweredAt = now
        context.reporter.metrics.claimed(outcome, after: claimAskedAt.map { now - $0 } ?? .zero)
    }

    /// Starts the wizard for a claimed invite and wires its pty and report to this channel.
    private func launch(_ invite: Invite, _ channel: any Channel) {
        let shared = context
        let window = machine.requests.window
        let request = SessionRequest(
            invite: invite, peer: shared.connection.address, term: TerminalName.resolve(machine.requests.terminal?.term ?? ""),
            columns: window.columns, rows: window.rows, environment: machine.requests.environment, greeting: invite.greeting,
            hostKey: shared.hostKeyFingerprint)
        let started: StartedSession
        do {
            started = try shared.launcher.start(request)
        } catch {
            return send(.launched(failure: "\(error)", at: shared.clock.now))
        }
        shared.connection.sessionStarted = true
        child = started.child
        let loopBound = NIOLoopBound(self, eventLoop: channel.eventLoop)
        let loop = channel.eventLoop
        shared.sessions.started(ObjectIdentifier(self), started.child) { notice in
            loop.execute { loopBound.value.send(.stopping(notice: notice)) }
        }
        ProgramOutput.relay(
            started.child, to: channel,
            firstOutput: {
                let handler = loopBound.value
                if let answered = handler.claimAnsweredAt {
                    handler.context.reporter.metrics.firstFrame(after: handler.context.clock.now - answered)
                }
                handler.send(.output)
            }, ready: { loopBound.value.pty = $0 })
        NIOPipeBootstrap(group: channel.eventLoop)
            .channelInitializer { report in
                report.eventLoop.makeCompletedFuture {
                    try report.pipeline.syncOperations.addHandler(SessionReportReader { event, answer in loopBound.value.reported(event, answer: answer) })
                }
            }
            .takingOwnershipOfDescriptor(inputOutput: started.report)
            .whenFailure { _ in Glibc.close(started.report) }
        watchOperators(invite, started.operators, channel)
        send(.launched(failure: nil, at: shared.clock.now))
        timer = channel.eventLoop.scheduleRepeatedTask(initialDelay: .milliseconds(100), delay: .milliseconds(100)) { _ in
            let handler = loopBound.value
            handler.send(.tick(at: handler.context.clock.now, exitStatus: handler.child?.exitStatus()))
        }
    }

    /// Opens the session to operators: its program's line to them is read here, and the
    /// session is listed for `invite attach`.
    private func watchOperators(_ invite: Invite, _ descriptor: Int32, _ channel: any Channel) {
        let shared = context
        let loopBound = NIOLoopBound(self, eventLoop: channel.eventLoop)
        let loop = channel.eventLoop
        let program = Mutex<(any Channel)?>(nil)
        let watch = SessionWatch(
            invite: invite, peer: shared.connection.address, reporter: shared.reporter, clock: shared.clock,
            toProgram: { line in
                guard let pipe = program.withLock({ $0 }) else { return }
                var buffer = pipe.allocator.buffer(capacity: line.count)
                buffer.writeBytes(line)
                pipe.writeAndFlush(buffer, promise: nil)
            },
            endSession: { notice in loop.execute { loopBound.value.send(.endedByOperator(notice: notice)) } })
        self.watch = watch
        shared.watches.add(watch)
        NIOPipeBootstrap(group: loop)
            .channelInitializer { pipe in
                pipe.eventLoop.makeCompletedFuture {
                    try pipe.pipeline.syncOperations.addHandler(WatchLineReader { message, line in watch.fromProgram(message, line: line) })
                }
            }
            .takingOwnershipOfDescriptor(inputOutput: descriptor)
            .whenComplete { result in
                switch result {
                case .success(let pipe):
                    program.withLock { $0 = pipe }
                    watch.programReady()
                case .failure: Glibc.close(descriptor)
                }
            }
    }

    /// The program reported what it did to an account: written to the trail (as the gateway
    /// knows the actor), recorded on the invite for `invite watch`, then answered, so the
    /// program shows the result only once it is on record.
    private func reported(_ event: AuditEvent, answer: @escaping @Sendable () -> Void) {
        let shared = context
        guard let invite = machine.invite, let event = shared.reporter.sessionEvent(event, invite: invite, address: shared.connection.address) else {
            // Not the program's to report: answered, not written.
            return answer()
        }
        if let outcome = machine.outcome(of: event) { shared.reporter.writer.enqueue(outcome) }
        shared.reporter.logger.info(
            "Session \(invite.id): \(event.event) \(event.accountId ?? "") \(event.status ?? "")\(event.errorCode.map { " (\($0))" } ?? "")")
        shared.reporter.write(event, done: answer)
    }

    static func say(_ channel: any Channel, _ text: String) {
        var buffer = channel.allocator.buffer(capacity: text.utf8.count + 16)
        // The client's terminal is raw: a line needs its carriage return.
        buffer.writeString("\r\nonboard: \(text)\r\n")
        channel.writeAndFlush(SSHChannelData(type: .channel, data: .byteBuffer(buffer)), promise: nil)
    }

    /// The exit status, then the channel closes, and with it the connection: one connection is
    /// one session, so a client holding the connection open (a control master) keeps nothing.
    static func exit(_ channel: any Channel, status: Int) {
        channel.triggerUserOutboundEvent(SSHChannelRequestEvent.ExitStatus(exitStatus: status)).whenComplete { _ in
            closeConnection(channel)
        }
    }

    /// Closes the session channel and the TCP connection it runs on.
    static func closeConnection(_ channel: any Channel) {
        channel.close(promise: nil)
        // Give the close a moment to reach the client, then close the connection itself.
        channel.eventLoop.scheduleTask(in: .milliseconds(100)) { channel.parent?.close(promise: nil) }
    }
}

/// The program's output, to the client as channel data. When the client's window is full,
/// reading stops (see `SessionHandler.channelWritabilityChanged`).
final class ProgramOutput: ChannelInboundHandler {
    /// Relays `child`'s pty to `client` on the client's loop; `ready` gets the pty's channel
    /// (for the client's bytes the other way). A pty that cannot be relayed is closed and its
    /// program killed.
    static func relay(
        _ child: SessionChild, to client: any Channel, firstOutput: @escaping @Sendable () -> Void, ready: @escaping @Sendable (any Channel) -> Void
    ) {
        NIOPipeBootstrap(group: client.eventLoop)
            .channelOption(ChannelOptions.autoRead, value: true)
            .channelInitializer { pty in
                pty.eventLoop.makeCompletedFuture { try pty.pipeline.syncOperations.addHandler(ProgramOutput(client: client, firstOutput: firstOutput)) }
            }
            .takingOwnershipOfDescriptor(inputOutput: child.master)
            .whenComplete { result in
                switch result {
                case .success(let pty): ready(pty)
                case .failure:
                    Glibc.close(child.master)
                    child.signal(SIGKILL)
                }
            }
    }

    typealias InboundIn = ByteBuffer
    let client: any Channel
    /// Called on the event loop with the program's first output.
    private var firstOutput: (() -> Void)?
    init(client: any Channel, firstOutput: @escaping () -> Void) {
        self.client = client
        self.firstOutput = firstOutput
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let bytes = unwrapInboundIn(data)
        firstOutput?()
        firstOutput = nil
        client.write(SSHChannelData(type: .channel, data: .byteBuffer(bytes)), promise: nil)
        if !client.isWritable { context.channel.setOption(ChannelOptions.autoRead, value: false).whenFailure { _ in } }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        client.flush()
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        // The program is slow to read (a huge paste): stop taking the client's bytes, so SSH's
        // window closes and the client waits, instead of the gateway buffering them.
        client.setOption(ChannelOptions.autoRead, value: context.channel.isWritable).whenFailure { _ in }
        context.fireChannelWritabilityChanged()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // EIO once the program has closed its terminal: the session's end, seen by the reaper.
        context.close(promise: nil)
    }
}

/// Reads the program's report: audit events as JSON lines, each at most 64 KiB, each answered
/// `ok` once the gateway has it on record (anything unreadable is answered at once, unwritten).
final class SessionReportReader: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer
    private var pending: [UInt8] = []
    private let onEvent: (AuditEvent, @escaping @Sendable () -> Void) -> Void
    init(_ onEvent: @escaping (AuditEvent, @escaping @Sendable () -> Void) -> Void) { self.onEvent = onEvent }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var bytes = unwrapInboundIn(data)
        pending += bytes.readBytes(length: bytes.readableBytes) ?? []
        let channel = context.channel
        let answer: @Sendable () -> Void = {
            var ok = channel.allocator.buffer(capacity: 3)
            ok.writeString("ok\n")
            channel.writeAndFlush(ok, promise: nil)
        }
        while let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
            let line = pending[..<newline]
            pending.removeSubrange(...newline)
            if let event = GatewayAuditSink.decode(Data(line)) { onEvent(event, answer) } else { answer() }
        }
        if pending.count > 64 << 10 { pending.removeAll() }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}
