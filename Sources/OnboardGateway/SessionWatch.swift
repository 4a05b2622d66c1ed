import Foundation
import NIOCore
import OnboardCore
import OnboardStore
import Synchronization

/// The operators watching one running session, and the session's line to them. Frames come
/// from the session's program (drawn from its masked state at each size an operator asked for)
/// and go to every operator watching at that size, untouched; notes go the other way. The
/// customer's bytes never pass through here: they go from the SSH channel to the pty only.
final class SessionWatch: Sendable {
    let invite: Invite
    /// The customer's address.
    let peer: String
    /// Writes a line to the session's program.
    private let toProgram: @Sendable (Data) -> Void
    /// Ends the session as a revocation would (an operator moderating it).
    private let endSession: @Sendable (String) -> Void
    private let reporter: GatewayReporter
    private let clock: any Timekeeper

    /// One operator watching: who, from where, at which size, and how to reach them.
    struct Watcher: Sendable {
        var name: String
        var address: String
        var keyFingerprint: String?
        var size: WatchMessage.WindowSize
        var since: Date
        var send: @Sendable (Data) -> Void
        var close: @Sendable (String) -> Void
    }
    private struct State {
        var watchers: [Int: Watcher] = [:]
        var nextId = 1
        /// The last frame at each size, for an operator who joins or resizes.
        var frames: [WatchMessage.WindowSize: Data] = [:]
        var ended = false
    }
    private let state = Mutex(State())

    /// At most this many operators watch one session.
    static let maximumWatchers = 8

    init(
        invite: Invite, peer: String, reporter: GatewayReporter, clock: any Timekeeper, toProgram: @escaping @Sendable (Data) -> Void,
        endSession: @escaping @Sendable (String) -> Void
    ) {
        self.invite = invite
        self.peer = peer
        self.reporter = reporter
        self.clock = clock
        self.toProgram = toProgram
        self.endSession = endSession
    }

    /// An operator starts watching; nil (and they are told why) when the session is over or full.
    func join(_ watcher: Watcher) -> Int? {
        let joined: (id: Int, names: [String], frame: Data?)? = state.withLock { state in
            guard !state.ended, state.watchers.count < Self.maximumWatchers else { return nil }
            let id = state.nextId
            state.nextId += 1
            state.watchers[id] = watcher
            return (id, Self.names(state), state.frames[watcher.size])
        }
        guard let joined else {
            watcher.close("The session has ended, or \(Self.maximumWatchers) operators already watch it.")
            return nil
        }
        watcher.send(
            WatchMessage.attached(invite: invite.id, peer: peer, userId: invite.userId, authConfig: invite.authConfig, observers: joined.names).line)
        if let frame = joined.frame { watcher.send(frame) }
        reporter.logger.info("Session \(invite.id): \(watcher.name) (\(watcher.address)) is watching.")
        tellProgram(change: "\(watcher.name) is watching (secrets stay masked for them)")
        return joined.id
    }

    /// An operator's window changed size.
    func resize(_ id: Int, to size: WatchMessage.WindowSize) {
        let frame: Data?? = state.withLock { state in
            guard state.watchers[id] != nil else { return nil }
            state.watchers[id]?.size = size
            return .some(state.frames[size])
        }
        guard case .some(let cached) = frame else { return }
        if let cached, let send = state.withLock({ $0.watchers[id]?.send }) { send(cached) }
        tellProgram(change: nil)
    }

    /// An operator stopped watching (detached, or their connection went): on record with how long.
    func leave(_ id: Int) {
        guard let watcher = state.withLock({ $0.watchers.removeValue(forKey: id) }) else { return }
        let seconds = max(0, Int(clock.date.timeIntervalSince(watcher.since).rounded()))
        recordObserved(watcher, seconds: seconds)
        tellProgram(change: "\(watcher.name) stopped watching")
    }

    /// An operator's note for the customer (one line, cleaned, at most 200 characters).
    func note(from id: Int, _ text: String) {
        guard let watcher = state.withLock({ $0.watchers[id] }), let clean = Wizard.Assistance.oneLine(text, limit: Wizard.Assistance.noteLimit)
        else { return }
        toProgram(WatchMessage.note(from: watcher.name, text: clean).line)
        var event = AuditEvent(
            .sessionNote, actor: actor(watcher), authConfig: invite.authConfig, userId: invite.userId, source: reporter.source,
            version: OnboardVersion.current)
        event.note = clean
        reporter.logger.info("Session \(invite.id): \(watcher.name) left a note.")
        reporter.write(event)
        reporter.writer.enqueue(.operatorNote(invite: invite.id, text: clean))
    }

    /// An operator ends the session.
    func end(by id: Int) {
        guard let watcher = state.withLock({ $0.watchers[id] }) else { return }
        reporter.logger.notice("Session \(invite.id): ended by \(watcher.name).")
        endSession("The operator ended this session. Ask them for a new invite if you still need one.")
    }

    /// A line from the session's program.
    func fromProgram(_ message: WatchMessage, line: Data) {
        switch message {
        case .frame(let columns, let rows, _):
            let size = WatchMessage.WindowSize(columns: columns, rows: rows)
            let targets: [@Sendable (Data) -> Void] = state.withLock { state in
                // Only sizes someone watches at are kept: the program cannot fill the memory.
                guard state.watchers.values.contains(where: { $0.size == size }) else { return [] }
                state.frames[size] = line
                let watched = Set(state.watchers.values.map(\.size))
                state.frames = state.frames.filter { watched.contains($0.key) }
                return state.watchers.values.filter { $0.size == size }.map(\.send)
            }
            for send in targets { send(line) }
        case .help:
            let now = clock.date
            let targets = state.withLock { $0.watchers.values.map(\.send) }
            for send in targets { send(WatchMessage.helpRequested(at: now).line) }
            reporter.record(
                .sessionHelpRequested, address: peer, invite: invite, message: "Session \(invite.id): the customer asks for help.")
            reporter.writer.enqueue(.helpRequested(invite: invite.id, at: now))
        default:
            break
        }
    }

    /// The session is over: every operator is told and let go.
    func ended(_ why: String) {
        let watchers = state.withLock { state -> [Watcher] in
            state.ended = true
            defer { state.watchers.removeAll() }
            return Array(state.watchers.values)
        }
        for watcher in watchers {
            recordObserved(watcher, seconds: max(0, Int(clock.date.timeIntervalSince(watcher.since).rounded())))
            watcher.close(why)
        }
    }

    /// The program's line is open: it is told who already watches (an operator may have come
    /// in the moment before).
    func programReady() {
        if state.withLock({ !$0.watchers.isEmpty }) { tellProgram(change: nil) }
    }

    /// Tells the program who watches and at which sizes.
    private func tellProgram(change: String?) {
        let (names, sizes) = state.withLock { state in (Self.names(state), Array(Set(state.watchers.values.map(\.size)))) }
        toProgram(WatchMessage.watchers(names: names, sizes: sizes, change: change).line)
    }

    private static func names(_ state: State) -> [String] {
        state.watchers.sorted { $0.key < $1.key }.map(\.value.name)
    }

    private func actor(_ watcher: Watcher) -> AuditEvent.Actor {
        AuditEvent.Actor(user: watcher.name, inviteId: invite.id, address: watcher.address, keyFingerprint: watcher.keyFingerprint)
    }

    private func recordObserved(_ watcher: Watcher, seconds: Int) {
        reporter.logger.info("Session \(invite.id): \(watcher.name) stopped watching after \(seconds) s.")
        reporter.write(
            AuditEvent(
                .sessionObserved, actor: actor(watcher), authConfig: invite.authConfig, userId: invite.userId, counts: ["seconds": seconds],
                source: reporter.source, version: OnboardVersion.current))
    }
}

/// The running sessions operators may watch, by invite id.
final class WatchRegistry: Sendable {
    private let sessions = Mutex<[String: SessionWatch]>([:])

    func add(_ watch: SessionWatch) { sessions.withLock { $0[watch.invite.id] = watch } }
    func remove(_ watch: SessionWatch) {
        sessions.withLock { if $0[watch.invite.id] === watch { $0[watch.invite.id] = nil } }
    }
    func session(_ inviteId: String) -> SessionWatch? { sessions.withLock { $0[inviteId] } }
}

/// Reads a session program's lines to its operators: each at most ``WatchMessage/maximumLine``
/// (a longer one is dropped whole), each handed over with its bytes.
final class WatchLineReader: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    /// A line past the maximum is dropped whole; the program's next lines are read.
    private var splitter = WatchLineSplitter(maximum: WatchMessage.maximumLine)
    private let onMessage: (WatchMessage, Data) -> Void
    init(_ onMessage: @escaping (WatchMessage, Data) -> Void) { self.onMessage = onMessage }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var bytes = unwrapInboundIn(data)
        for line in splitter.lines(adding: &bytes).lines {
            let data = Data(line)
            if let message = WatchMessage(line: data) { onMessage(message, data + Data("\n".utf8)) }
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}
