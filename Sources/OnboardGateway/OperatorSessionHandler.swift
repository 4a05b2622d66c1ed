import Foundation
import Logging
import NIOCore
import NIOPosix
import NIOSSH
import OnboardCore
import OnboardProcess
import Synchronization

/// What an operator's SSH connection may do: `attach inv_...` on a pty, nothing else. The
/// gateway starts `invite attach` on a pty of its own and serves it through a socket pair, as
/// it serves the control socket, with the operator named by the key they logged in with.
final class OperatorSessionHandler: ChannelDuplexHandler {
    typealias InboundIn = SSHChannelData
    typealias OutboundIn = SSHChannelData
    typealias OutboundOut = SSHChannelData

    struct Context: Sendable {
        let entry: OperatorKeys.Entry
        let address: String
        let launcher: any AttachLauncher
        let watches: WatchRegistry
        let clock: any Timekeeper
        let elsewhere: @Sendable (String) async -> String
        let logger: Logger
        let connection: ConnectionState
        /// Operators' attaches count among the gateway's sessions: a place each, hung up at a stop.
        let sessions: SessionRegistry
        let metrics: GatewayMetrics
    }

    private let shared: Context
    private var terminal: (term: String, columns: Int, rows: Int)?
    private var environment: [String: String] = [:]
    private var child: SessionChild?
    private var pty: (any Channel)?
    private var timer: RepeatedTask?
    private var started = false
    /// Holds a place among the gateway's sessions until its attach ends.
    private var holdsPlace = false

    init(_ context: Context) { shared = context }

    static let usage = "Operators run one command here: attach inv_... (ssh -t -p PORT operator@HOST attach inv_...)."

    func handlerAdded(context: ChannelHandlerContext) {
        context.channel.setOption(ChannelOptions.allowRemoteHalfClosure, value: true).whenFailure { _ in }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        let channel = context.channel
        switch event {
        case let request as SSHChannelRequestEvent.PseudoTerminalRequest:
            terminal = (request.term, request.terminalCharacterWidth, request.terminalRowHeight)
            reply(channel, request.wantReply, true)
        case let request as SSHChannelRequestEvent.EnvironmentRequest:
            if TerminalName.acceptedEnvironment(request.name, request.value), environment.count < 16 { environment[request.name] = request.value }
            reply(channel, request.wantReply, true)
        case let change as SSHChannelRequestEvent.WindowChangeRequest:
            child?.resize(columns: change.terminalCharacterWidth, rows: change.terminalRowHeight)
        case let exec as SSHChannelRequestEvent.ExecRequest:
            reply(channel, exec.wantReply, true)
            run(exec.command, channel)
        case let shell as SSHChannelRequestEvent.ShellRequest:
            reply(channel, shell.wantReply, true)
            finish(channel, status: 2, notice: Self.usage)
        case let other as SSHChannelRequestEvent.SubsystemRequest:
            reply(channel, other.wantReply, false)
        case is SSHChannelRequestEvent.SignalRequest, is ChannelEvent:
            return
        default:
            context.fireUserInboundEventTriggered(event)
        }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let message = unwrapInboundIn(data)
        guard case .channel = message.type, case .byteBuffer(let bytes) = message.data else { return }
        pty?.writeAndFlush(bytes, promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        child?.signal(SIGHUP)
        pty?.close(promise: nil)
        timer?.cancel()
        // The attach is hung up; its place goes with the connection (a reaped pid is not watched).
        releasePlace()
        context.fireChannelInactive()
    }

    private func reply(_ channel: any Channel, _ wanted: Bool, _ success: Bool) {
        guard wanted else { return }
        if success {
            channel.triggerUserOutboundEvent(ChannelSuccessEvent(), promise: nil)
        } else {
            channel.triggerUserOutboundEvent(ChannelFailureEvent(), promise: nil)
        }
    }

    /// `attach inv_...` with a terminal starts the attach; anything else is refused in words.
    private func run(_ command: String, _ channel: any Channel) {
        guard !started else { return }
        started = true
        let words = command.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        guard words.count == 2, words[0] == "attach", Self.isInviteId(words[1]) else {
            return finish(channel, status: 2, notice: Self.usage)
        }
        guard let terminal else {
            return finish(channel, status: 2, notice: "attach shows the customer's screen: it needs a terminal. Run ssh with -t.")
        }
        guard shared.sessions.reserve() else {
            return finish(channel, status: 1, notice: GatewaySession.busy)
        }
        holdsPlace = true
        let request = AttachRequest(
            invite: words[1], term: TerminalName.resolve(terminal.term), columns: terminal.columns, rows: terminal.rows, environment: environment)
        let startedAttach: (child: SessionChild, gateway: Int32)
        do {
            startedAttach = try shared.launcher.startAttach(request)
        } catch {
            shared.logger.error("Operator \(shared.entry.name) from \(shared.address): attach could not start: \(error)")
            return finish(channel, status: 1, notice: "attach could not start on the gateway; its log says why.")
        }
        let key = ObjectIdentifier(self)
        shared.sessions.started(key, startedAttach.child) { _ in startedAttach.child.signal(SIGHUP) }
        shared.connection.sessionStarted = true
        shared.metrics.operatorAttached()
        shared.logger.info("Operator \(shared.entry.name) (\(shared.entry.fingerprint)) from \(shared.address) attaches to \(words[1]).")
        child = startedAttach.child
        let loopBound = NIOLoopBound(self, eventLoop: channel.eventLoop)
        ProgramOutput.relay(startedAttach.child, to: channel, firstOutput: {}, ready: { loopBound.value.pty = $0 })
        let who = OperatorAttachHandler.Operator(name: shared.entry.name, address: shared.address, keyFingerprint: shared.entry.fingerprint)
        let shared = self.shared
        NIOPipeBootstrap(group: channel.eventLoop)
            .channelInitializer { link in
                link.eventLoop.makeCompletedFuture {
                    try link.pipeline.syncOperations.addHandler(
                        OperatorAttachHandler(
                            watches: shared.watches, clock: shared.clock, identify: { $0.eventLoop.makeSucceededFuture(who) },
                            elsewhere: shared.elsewhere))
                }
            }
            .takingOwnershipOfDescriptor(inputOutput: startedAttach.gateway)
            .whenFailure { _ in Glibc.close(startedAttach.gateway) }
        timer = channel.eventLoop.scheduleRepeatedTask(initialDelay: .milliseconds(100), delay: .milliseconds(100)) { _ in
            let handler = loopBound.value
            guard let status = handler.child?.exitStatus() else { return }
            handler.timer?.cancel()
            // Its last output (the terminal given back, why it ended) goes first.
            channel.eventLoop.scheduleTask(in: .milliseconds(50)) { loopBound.value.finish(channel, status: status, notice: nil) }
        }
    }

    private func finish(_ channel: any Channel, status: Int32, notice: String?) {
        releasePlace()
        if let notice { SessionHandler.say(channel, notice) }
        SessionHandler.exit(channel, status: Int(status))
    }

    /// Gives the place back, once.
    private func releasePlace() {
        guard holdsPlace else { return }
        holdsPlace = false
        if child != nil { shared.metrics.operatorDetached() }
        shared.sessions.ended(ObjectIdentifier(self))
        shared.sessions.release()
    }

    static func isInviteId(_ text: String) -> Bool {
        text.hasPrefix("inv_") && text.count <= 64 && text.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }
    }
}
