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
                return try await store.claim(tokenDigest: token.digest, from: address, at: now)
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

/// One SSH session channel: takes the pty request, the window changes and the accepted
/// environment; on the shell request claims the invite and starts the wizard on a pty; relays
/// bytes both ways with back-pressure (a slow link slows the program, not the gateway's memory);
/// and ends the program when the channel closes, and the channel when the program ends.
///
/// Nothing that crosses the channel is logged, kept or looked at: it goes to the pty and back.
final class SessionHandler: ChannelDuplexHandler {
    typealias InboundIn = SSHChannelData
    typealias OutboundIn = SSHChannelData
    typealias OutboundOut = SSHChannelData

    private let context: SessionContext
    /// What the client asked for, by the rules of ``SessionRequests``.
    private var requests = SessionRequests()
    private var reservedPlace = false
    private var invite: Invite?
    /// When the claim was made, to give it back if the customer never saw a frame.
    private var claimedAt: Date?
    /// The program wrote its first output (its first frame) to the client.
    private var drewFirstFrame = false
    private var child: SessionChild?
    private var pty: (any Channel)?
    private var startedAt = ContinuousClock.now
    private var lastInput = ContinuousClock.now
    /// Why the gateway ended the session (a limit, a revocation), said to the client at the end.
    private var endNotice: (code: String, text: String)?
    private var finished = false
    /// The program's exit was collected: from then on its pid may belong to another process,
    /// so no signal is sent to it.
    private var reaped = false
    private var ticks = 0
    private var timer: RepeatedTask?

    init(_ context: SessionContext) { self.context = context }

    func handlerAdded(context: ChannelHandlerContext) {
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
        let second = Int64((ContinuousClock.now - SessionHandler.epoch).components.seconds)
        switch requests.handle(request, second: second) {
        case .accept: reply(context, wantReply, true)
        case .refuse: reply(context, wantReply, false)
        case .refuseAndRecord(let why):
            reply(context, wantReply, false)
            let address = self.context.connection.address
            self.context.reporter.recordCap("requests", address: address, message: "Refused from \(address): \(why)")
        case .close(let why):
            let address = self.context.connection.address
            self.context.reporter.recordCap("requests", address: address, message: "Closed \(address): \(why)")
            finished = true
            Self.closeConnection(context.channel)
        case .start:
            reply(context, wantReply, true)
            begin(context)
        case .resize(let columns, let rows): child?.resize(columns: columns, rows: rows)
        case .later: break
        }
    }

    /// A fixed instant to count seconds from, for the window-change rate.
    private static let epoch = ContinuousClock.now

    private func reply(_ context: ChannelHandlerContext, _ wantReply: Bool, _ success: Bool) {
        guard wantReply else { return }
        if success {
            context.triggerUserOutboundEvent(ChannelSuccessEvent(), promise: nil)
        } else {
            context.triggerUserOutboundEvent(ChannelFailureEvent(), promise: nil)
        }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let message = unwrapInboundIn(data)
        guard case .channel = message.type, case .byteBuffer(let bytes) = message.data, let pty else { return }
        lastInput = .now
        pty.writeAndFlush(bytes, promise: nil)
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        // The client is slow to read: stop reading the program's output until it catches up.
        pty?.setOption(ChannelOptions.autoRead, value: context.channel.isWritable).whenFailure { _ in }
        context.fireChannelWritabilityChanged()
    }

    func channelInactive(context: ChannelHandlerContext) {
        // The client went away (closed, killed, network gone): the program is hung up, and
        // killed if it does not leave.
        if let child, !finished {
            child.signal(SIGHUP)
            let loopBound = NIOLoopBound(self, eventLoop: context.eventLoop)
            context.eventLoop.scheduleTask(in: .seconds(3)) { [child] in
                // Only a program not yet reaped: a reaped pid may be someone else's by now.
                if !loopBound.value.reaped { child.signal(SIGKILL) }
            }
        }
        pty?.close(promise: nil)
        context.fireChannelInactive()
    }

    // MARK: Starting

    private func begin(_ context: ChannelHandlerContext) {
        let channel = context.channel
        let shared = self.context
        let address = shared.connection.address
        guard requests.terminal != nil else {
            // Without a pty the client's own terminal would echo what is typed: no secrets then.
            return refuse(
                channel,
                "This session needs a terminal: run the ssh command as you were given it, without -T (add -t if your client needs it).",
                log: "Refused \(address): no terminal was requested.", code: nil)
        }
        guard shared.sessions.reserve() else {
            shared.reporter.record(
                .gatewayLimitReached, address: address, errorCode: "sessions",
                message: "Refused \(address): \(shared.sessions.maximum) sessions are running, the maximum.")
            return refuse(channel, "The gateway is busy. Try the same command again in a few minutes.", log: nil, code: nil)
        }
        reservedPlace = true
        let userName = shared.connection.userName ?? ""
        let claimedAt = Date()
        let claim = shared.claim(on: channel.eventLoop, userName: userName, address: address, at: claimedAt)
        let loopBound = NIOLoopBound(self, eventLoop: channel.eventLoop)
        claim.whenComplete { result in
            let handler = loopBound.value
            switch result {
            case .success(.claimed(let invite)):
                guard channel.isActive else {
                    // The client left while the claim was made: it got no session, so the
                    // invite is given back for the same command to work again.
                    shared.giveBack(invite, claimedAt: claimedAt, why: "the client left during the claim")
                    return handler.finishEarly(channel, nil)
                }
                handler.launch(invite, channel, claimedAt: claimedAt)
            case .success(.refused(let refusal, let inviteId)):
                // The invite's id is named only when the token matched one: the user name itself
                // is never written anywhere (it may be a mistyped token, or someone's password).
                shared.reporter.record(
                    .gatewayLoginRefused, address: address, inviteId: inviteId, errorCode: refusal.rawValue,
                    message: "Refused \(address): \(refusal.rawValue) invite\(inviteId.map { " \($0)" } ?? "").")
                handler.refuse(channel, refusal.banner, log: nil, code: nil)
            case .failure(let error):
                handler.refuse(
                    channel, "The gateway cannot check invites right now. Try again in a minute.",
                    log: "Refused \(address): the invite store failed: \(error)", code: nil)
            }
        }
    }

    /// Starts the wizard for a claimed invite and wires its pty and report to this channel.
    private func launch(_ invite: Invite, _ channel: any Channel, claimedAt: Date) {
        let shared = context
        let address = shared.connection.address
        let window = requests.window
        let request = SessionRequest(
            invite: invite, peer: address, term: TerminalName.resolve(requests.terminal?.term ?? ""), columns: window.columns, rows: window.rows,
            environment: requests.environment)
        let started: StartedSession
        do {
            started = try shared.launcher.start(request)
        } catch {
            // The customer got no session: the invite is given back, so the same command works
            // once the operator has fixed what the log names.
            shared.reporter.logger.error("Session \(invite.id) could not start: \(error)")
            shared.giveBack(invite, claimedAt: claimedAt, why: "its program could not start")
            return finishEarly(
                channel, "The session could not start; your invite still works. Try the same command again in a few minutes, or tell the person who sent it.")
        }
        self.invite = invite
        self.claimedAt = claimedAt
        shared.connection.sessionStarted = true
        shared.reporter.record(
            .inviteClaimed, address: address, invite: invite,
            message: "Session \(invite.id) from \(address): \(invite.userId) on \(invite.authConfig), TERM \(request.term), \(window.columns)x\(window.rows).")
        child = started.child
        startedAt = .now
        lastInput = .now
        shared.sessions.started(ObjectIdentifier(self), started.child)
        let loopBound = NIOLoopBound(self, eventLoop: channel.eventLoop)
        NIOPipeBootstrap(group: channel.eventLoop)
            .channelOption(ChannelOptions.autoRead, value: true)
            .channelInitializer { pty in
                pty.eventLoop.makeCompletedFuture {
                    try pty.pipeline.syncOperations.addHandler(ProgramOutput(client: channel) { loopBound.value.drewFirstFrame = true })
                }
            }
            .takingOwnershipOfDescriptor(inputOutput: started.child.master)
            .whenComplete { result in
                switch result {
                case .success(let pty): loopBound.value.pty = pty
                case .failure:
                    Glibc.close(started.child.master)
                    started.child.signal(SIGKILL)
                }
            }
        NIOPipeBootstrap(group: channel.eventLoop)
            .channelInitializer { report in
                report.eventLoop.makeCompletedFuture {
                    try report.pipeline.syncOperations.addHandler(SessionReportReader { event, answer in loopBound.value.reported(event, answer: answer) })
                }
            }
            .takingOwnershipOfDescriptor(inputOutput: started.report)
            .whenFailure { _ in Glibc.close(started.report) }
        timer = channel.eventLoop.scheduleRepeatedTask(initialDelay: .milliseconds(100), delay: .milliseconds(100)) { _ in
            loopBound.value.tick(channel)
        }
    }

    /// The program reported what it did to an account: written to the trail (as the gateway
    /// knows the actor), recorded on the invite for `invite watch`, then answered, so the
    /// program shows the result only once it is on record.
    private func reported(_ event: AuditEvent, answer: @escaping @Sendable () -> Void) {
        let shared = context
        guard let invite, let event = shared.reporter.sessionEvent(event, invite: invite, address: shared.connection.address) else {
            // Not the program's to report: answered, not written.
            return answer()
        }
        // A link is not an outcome, and a deletion (the replaced accounts, after the new one is
        // ACTIVE) must never overwrite the account the invite connected.
        let outcomes = [AuditEvent.Kind.linkCreated.rawValue, AuditEvent.Kind.connectionDeleted.rawValue]
        if !outcomes.contains(event.event), event.authConfig == nil || event.authConfig == invite.authConfig {
            shared.reporter.writer.enqueue(.outcome(invite: invite.id, accountId: event.accountId, status: event.status, errorCode: event.errorCode))
        }
        shared.reporter.logger.info(
            "Session \(invite.id): \(event.event) \(event.accountId ?? "") \(event.status ?? "")\(event.errorCode.map { " (\($0))" } ?? "")")
        shared.reporter.write(event, done: answer)
    }

    // MARK: Running

    /// Ten times a second: has the program ended; has a limit been reached; (each second) was
    /// the invite revoked.
    private func tick(_ channel: any Channel) {
        guard let child, !finished else { return }
        if let status = child.exitStatus() {
            reaped = true
            return finish(channel, exitStatus: status)
        }
        if case .resize(let columns, let rows) = requests.tick() { child.resize(columns: columns, rows: rows) }
        guard endNotice == nil else { return }
        let now = ContinuousClock.now
        if now - lastInput >= context.limits.idleTimeout {
            end(child, code: "idle", "The session ended after \(DurationText.words(context.limits.idleTimeout)) without input. Ask for a new invite to finish.")
        } else if now - startedAt >= context.limits.maximumSessionLength {
            end(child, code: "session_length", "The session reached its limit of \(DurationText.words(context.limits.maximumSessionLength)).")
        }
        ticks += 1
        guard ticks % 10 == 0, let invite else { return }
        let shared = context
        let loopBound = NIOLoopBound(self, eventLoop: channel.eventLoop)
        shared.onStore(channel.eventLoop) { try await shared.store.invite(id: invite.id)?.revokedAt != nil }
            .whenSuccess { revoked in
                let handler = loopBound.value
                if revoked, handler.endNotice == nil, !handler.finished {
                    handler.end(child, code: "revoked", "The invite was withdrawn, so the session has ended.")
                }
            }
    }

    /// Ends a running session: the program is hung up; the notice follows its last output.
    private func end(_ child: SessionChild, code: String, _ text: String) {
        endNotice = (code, text)
        child.signal(SIGHUP)
        // A program that ignores the hangup is killed (while it is not reaped: after that its
        // pid may be another process's).
        if let loop = pty?.eventLoop {
            let loopBound = NIOLoopBound(self, eventLoop: loop)
            loop.scheduleTask(in: .seconds(3)) { if !loopBound.value.reaped { child.signal(SIGKILL) } }
        }
        if code != "revoked" {
            context.reporter.record(
                .gatewayLimitReached, address: context.connection.address, invite: invite, errorCode: code,
                message: "Session \(invite?.id ?? "?") from \(context.connection.address): \(code) limit reached; ending it.")
        }
    }

    /// The program ended: its status goes to the client, and the channel closes.
    private func finish(_ channel: any Channel, exitStatus: Int32) {
        finished = true
        timer?.cancel()
        let shared = context
        shared.sessions.ended(ObjectIdentifier(self))
        if reservedPlace {
            reservedPlace = false
            shared.sessions.release()
        }
        let seconds = Int((ContinuousClock.now - startedAt).components.seconds)
        if let invite, !drewFirstFrame, let claimedAt {
            // The program ended before the customer saw anything: no session was had, so the
            // invite is given back rather than spent.
            shared.giveBack(invite, claimedAt: claimedAt, why: "its program ended (status \(exitStatus)) before drawing anything")
        } else if let invite {
            shared.reporter.writer.enqueue(.end(invite: invite.id, exitStatus: Int(exitStatus), at: Date()))
        }
        if let invite {
            shared.reporter.record(
                .gatewaySessionEnded, address: shared.connection.address, invite: invite, errorCode: endNotice?.code,
                counts: ["exit_status": Int(exitStatus), "seconds": seconds],
                message: "Session \(invite.id) ended after \(seconds) s with status \(exitStatus)\(endNotice.map { " (\($0.code))" } ?? "").")
        }
        // The program's last output (its screen given back) may still be in the pty: let it
        // through before the notice and the exit status.
        let notice = endNotice?.text
        channel.eventLoop.scheduleTask(in: .milliseconds(50)) {
            if let notice { Self.say(channel, notice) }
            Self.exit(channel, status: Int(exitStatus))
        }
    }

    /// Says why there is no session, with status 1, and closes.
    private func refuse(_ channel: any Channel, _ text: String, log: String?, code: String?) {
        if let log { context.reporter.logger.notice("\(log)") }
        finishEarly(channel, text)
    }

    /// No session: says why (when there is anyone to tell), status 1, and the connection closes.
    private func finishEarly(_ channel: any Channel, _ text: String?) {
        finished = true
        if reservedPlace {
            reservedPlace = false
            context.sessions.release()
        }
        if let text { Self.say(channel, text) }
        Self.exit(channel, status: 1)
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
