import Foundation
import NIOCore
import NIOPosix
import NIOSSH
import OnboardCore
import OnboardProcess
import OnboardStore

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
    private var terminal: SSHChannelRequestEvent.PseudoTerminalRequest?
    private var window: (columns: Int, rows: Int) = (0, 0)
    private var environment: [String: String] = [:]
    private var started = false
    private var reservedPlace = false
    private var invite: Invite?
    private var child: SessionChild?
    private var pty: (any Channel)?
    private var startedAt = ContinuousClock.now
    private var lastInput = ContinuousClock.now
    /// Why the gateway ended the session (a limit, a revocation), said to the client at the end.
    private var endNotice: (code: String, text: String)?
    private var finished = false
    private var ticks = 0
    private var timer: RepeatedTask?

    init(_ context: SessionContext) { self.context = context }

    func handlerAdded(context: ChannelHandlerContext) {
        context.channel.setOption(ChannelOptions.allowRemoteHalfClosure, value: true).whenFailure { _ in }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        switch event {
        case let request as SSHChannelRequestEvent.PseudoTerminalRequest:
            guard !started else { return reply(context, request.wantReply, false) }
            terminal = request
            window = (request.terminalCharacterWidth, request.terminalRowHeight)
            reply(context, request.wantReply, true)
        case let request as SSHChannelRequestEvent.EnvironmentRequest:
            let accepted = !started && TerminalName.acceptedEnvironment(request.name, request.value)
            if accepted { environment[request.name] = request.value }
            reply(context, request.wantReply, accepted)
        case let request as SSHChannelRequestEvent.WindowChangeRequest:
            window = (request.terminalCharacterWidth, request.terminalRowHeight)
            child?.resize(columns: window.columns, rows: window.rows)
        case let request as SSHChannelRequestEvent.ShellRequest:
            guard !started else { return reply(context, request.wantReply, false) }
            started = true
            reply(context, request.wantReply, true)
            begin(context)
        case let request as SSHChannelRequestEvent.ExecRequest:
            // One interactive session, nothing else: no commands, whatever they say.
            reply(context, request.wantReply, false)
        case let request as SSHChannelRequestEvent.SubsystemRequest:
            reply(context, request.wantReply, false)
        case is SSHChannelRequestEvent.SignalRequest, is ChannelEvent:
            break
        default:
            context.fireUserInboundEventTriggered(event)
        }
    }

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
            let loop = context.eventLoop
            loop.scheduleTask(in: .seconds(3)) { [child] in
                if kill(child.pid, 0) == 0 { child.signal(SIGKILL) }
            }
        }
        pty?.close(promise: nil)
        context.fireChannelInactive()
    }

    // MARK: Starting

    private func begin(_ context: ChannelHandlerContext) {
        let channel = context.channel
        let shared = self.context
        shared.connection.sessionStarted = true
        let address = shared.connection.address
        guard terminal != nil else {
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
        let claim = shared.onStore(channel.eventLoop) { () async throws -> InviteClaim in
            guard let token = InviteToken(candidate: userName) else { return .refused(.unknown, inviteId: nil) }
            return try await shared.store.claim(tokenDigest: token.digest, from: address, at: Date())
        }
        let loopBound = NIOLoopBound(self, eventLoop: channel.eventLoop)
        claim.whenComplete { result in
            let handler = loopBound.value
            switch result {
            case .success(.claimed(let invite)):
                guard channel.isActive else {
                    // The client left while the claim was made: the invite is used up, and says so.
                    handler.invite = invite
                    return handler.finish(channel, exitStatus: 255)
                }
                handler.launch(invite, channel)
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
    private func launch(_ invite: Invite, _ channel: any Channel) {
        let shared = context
        self.invite = invite
        let address = shared.connection.address
        let request = SessionRequest(
            invite: invite, peer: address, term: TerminalName.resolve(terminal?.term ?? ""), columns: window.columns, rows: window.rows,
            environment: environment)
        shared.reporter.record(
            .inviteClaimed, address: address, invite: invite,
            message: "Session \(invite.id) from \(address): \(invite.userId) on \(invite.authConfig), TERM \(request.term), \(window.columns)x\(window.rows).")
        let started: StartedSession
        do {
            started = try shared.launcher.start(request)
        } catch {
            shared.reporter.logger.error("Session \(invite.id) could not start: \(error)")
            endNotice = ("start_failed", "The session could not start. The person who sent the invite can see why in the gateway's log.")
            return finish(channel, exitStatus: 255)
        }
        child = started.child
        startedAt = .now
        lastInput = .now
        shared.sessions.started(ObjectIdentifier(self), started.child)
        let loopBound = NIOLoopBound(self, eventLoop: channel.eventLoop)
        NIOPipeBootstrap(group: channel.eventLoop)
            .channelOption(ChannelOptions.autoRead, value: true)
            .channelInitializer { pty in
                pty.eventLoop.makeCompletedFuture { try pty.pipeline.syncOperations.addHandler(ProgramOutput(client: channel)) }
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
        if event.event != AuditEvent.Kind.linkCreated.rawValue, event.authConfig == nil || event.authConfig == invite.authConfig {
            let store = shared.store
            shared.reporter.writer.enqueue("the outcome of \(invite.id)") {
                try await store.recordOutcome(id: invite.id, accountId: event.accountId, status: event.status, errorCode: event.errorCode)
            }
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
            return finish(channel, exitStatus: status)
        }
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
        let pid = child.pid
        // A program that ignores the hangup is killed.
        pty?.eventLoop.scheduleTask(in: .seconds(3)) { if kill(pid, 0) == 0 { kill(-pid, SIGKILL) } }
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
        if let invite {
            let store = shared.store
            let ended = Date()
            shared.reporter.writer.enqueue("the end of \(invite.id)") { try await store.recordEnd(id: invite.id, exitStatus: Int(exitStatus), at: ended) }
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

    private func finishEarly(_ channel: any Channel, _ text: String) {
        finished = true
        if reservedPlace {
            reservedPlace = false
            context.sessions.release()
        }
        Self.say(channel, text)
        Self.exit(channel, status: 1)
    }

    static func say(_ channel: any Channel, _ text: String) {
        var buffer = channel.allocator.buffer(capacity: text.utf8.count + 16)
        // The client's terminal is raw: a line needs its carriage return.
        buffer.writeString("\r\nonboard: \(text)\r\n")
        channel.writeAndFlush(SSHChannelData(type: .channel, data: .byteBuffer(buffer)), promise: nil)
    }

    static func exit(_ channel: any Channel, status: Int) {
        channel.triggerUserOutboundEvent(SSHChannelRequestEvent.ExitStatus(exitStatus: status)).whenComplete { _ in
            channel.close(promise: nil)
        }
    }
}

/// The program's output, to the client as channel data. When the client's window is full,
/// reading stops (see `SessionHandler.channelWritabilityChanged`).
final class ProgramOutput: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    let client: any Channel
    init(client: any Channel) { self.client = client }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let bytes = unwrapInboundIn(data)
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
