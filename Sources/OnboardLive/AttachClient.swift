import Foundation
import OnboardCore
import OnboardCurses
import OnboardFeatures
import OnboardFiles
import OnboardGateway
import OnboardProcess
import OnboardRuntime
import OnboardStore
import OnboardTUI
import Synchronization

/// An attached operator's connection to the gateway, on a connected socket: lines in (frames,
/// help requests, the end) read on a thread of their own, lines out (resizes, notes, the end).
/// What the gateway sends is read as hostile: lines capped, frames rebuilt cell by cell.
final class GatewayAttachment: AttachedSession {
    private let descriptor: Int32
    private let updates = Mutex<[AttachUpdate]>([])
    private let closed = Mutex(false)

    init(descriptor: Int32) { self.descriptor = descriptor }

    /// Reads lines until the gateway closes; the first may have been read before (`first`,
    /// with the reader that holds what came after it).
    func startReading(after first: [AttachUpdate], reader: LineReader? = nil) {
        updates.withLock { $0 += first }
        let descriptor = self.descriptor
        let thread = Thread { [self] in
            var reader = reader ?? LineReader(descriptor: descriptor, limit: WatchMessage.maximumLine)
            while let line = reader.next() {
                guard let message = WatchMessage(line: line), let update = Self.update(message) else { continue }
                updates.withLock { $0.append(update) }
            }
            if !closed.withLock({ $0 }) { updates.withLock { $0.append(.closed("The gateway closed the connection.")) } }
        }
        thread.start()
    }

    static func update(_ message: WatchMessage) -> AttachUpdate? {
        switch message {
        case .attached(let invite, let peer, let userId, let authConfig, _):
            return .attached(invite: invite, peer: peer, userId: userId, authConfig: authConfig)
        case .frame(_, _, let frame):
            guard let decoded = try? JSONDecoder().decode(CanvasFrame.self, from: Data(frame.utf8)), let canvas = decoded.canvas else { return nil }
            return .frame(canvas)
        case .helpRequested(let at): return .helpRequested(at: at)
        case .closed(let why): return .closed(TerminalText.sanitized(why))
        default: return nil
        }
    }

    func takeUpdates() -> [AttachUpdate] {
        updates.withLock { pending in
            defer { pending.removeAll() }
            return pending
        }
    }

    func resize(columns: Int, rows: Int) { send(.resize(.init(columns: columns, rows: rows))) }
    func sendNote(_ text: String) { send(.note(from: "", text: text)) }
    func endSession() { send(.end) }

    func close() {
        guard
            !closed.withLock({ flag in
                defer { flag = true }
                return flag
            })
        else { return }
        shutdown(descriptor, Int32(SHUT_RDWR))
    }

    func send(_ message: WatchMessage) { DescriptorWriter.write(message.line, to: descriptor) }
}

/// `onboard invite attach`: finds the gateway holding the session (the control sockets on this
/// host), attaches, and shows the customer's screen masked until the operator detaches or the
/// session ends.
package enum InviteAttach {
    /// - Parameters:
    ///   - descriptor: the gateway's socket pair, when it started this for an operator over SSH
    ///     (the process confined itself first: ``confineForGateway(user:)``).
    ///   - store: `--store`, to say where a session is when no gateway here holds it.
    package static func run(invite: String, descriptor: Int32? = nil, store: String? = nil, output: CommandOutput) async throws -> Int32 {
        guard invite.hasPrefix("inv_"), invite.count <= 64, invite.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }) else {
            throw UsageError("An invite id looks like inv_ followed by letters and digits (onboard invite list shows them).")
        }
        guard isatty(STDIN_FILENO) == 1, isatty(STDOUT_FILENO) == 1 else {
            throw UsageError("invite attach shows the customer's screen: run it in a terminal (with ssh, add -t).")
        }
        let environment = ProcessEnvironment.current()
        let attachment: GatewayAttachment
        if let descriptor {
            attachment = GatewayAttachment(descriptor: descriptor)
            attachment.send(.attach(invite: invite, size: .init(columns: 80, rows: 24)))
            attachment.startReading(after: [])
        } else {
            let (attached, first, reader) = try await attachHere(invite, store: store, environment: environment)
            attachment = attached
            attachment.startReading(after: first, reader: reader)
        }
        let theme = (try? ThemeLoader.resolve(nil, environment: environment)) ?? .mono
        let useColor = environment["NO_COLOR"].map(\.isEmpty) ?? true
        let result: (code: Int32, message: String?) = await OwnThread.run {
            let terminal: CursesTerminal
            do {
                terminal = try CursesTerminal(theme: useColor ? theme : .mono, useColor: useColor)
            } catch {
                attachment.close()
                return (2, "\(error)")
            }
            // Frames arrive between keys: a short wait for keys shows them sooner.
            terminal.inputTimeout = 20
            let runtime = ObserverRuntime(terminal: terminal, session: attachment, glyphs: terminal.supportsUnicode ? .unicode : .ascii)
            let code = runtime.run()
            terminal.restore()
            return (code, runtime.screen.closed)
        }
        if let message = result.message { output.err(message) }
        return result.code
    }

    /// Started by the gateway for an operator who came over SSH: become the session user (when
    /// the gateway has one) and keep nothing of the machine but terminfo and locale data, as a
    /// customer's session does; it needs no file, only the socket pair it was handed.
    package static func confineForGateway(user: SessionUser?) throws {
        if let user, !user.become() { throw CommandFailure("The attach could not become its own user; it does not run as root.") }
        let readable = SessionConfinement.systemReadable(terminfo: TerminalName.directories, environment: ProcessEnvironment.current())
        if case .failed(let why) = SessionConfinement(readable: readable, writable: []).apply() {
            throw CommandFailure("The attach could not confine itself (\(why)); it does not run unconfined.")
        }
    }

    /// Tries each gateway's control socket on this host; the one holding the session answers.
    static func attachHere(_ invite: String, store: String?, environment: [String: String]) async throws -> (
        GatewayAttachment, [AttachUpdate], LineReader
    ) {
        let directory = AppPaths.stateDirectory(environment: environment)
        let sockets = ControlSocket.all(stateDirectory: directory)
        var reasons: [String] = []
        for path in sockets {
            guard let descriptor = UnixSocket.connect(path) else { continue }
            let attachment = GatewayAttachment(descriptor: descriptor)
            attachment.send(.attach(invite: invite, size: .init(columns: 80, rows: 24)))
            var reader = LineReader(descriptor: descriptor, limit: WatchMessage.maximumLine)
            // The first answer says whether this gateway holds the session.
            guard UnixSocket.waitReadable(descriptor, seconds: 10), let line = reader.next(), let message = WatchMessage(line: line) else {
                close(descriptor)
                continue
            }
            if case .closed(let why) = message {
                reasons.append(TerminalText.sanitized(why))
                close(descriptor)
                continue
            }
            guard let update = GatewayAttachment.update(message) else {
                close(descriptor)
                continue
            }
            return (attachment, [update], reader)
        }
        if let reason = reasons.first(where: { $0.contains("in session on the gateway at") }) ?? reasons.first {
            throw CommandFailure(reason)
        }
        // No gateway here: the store says where the session is.
        let opened = try? await StoreChoice.open(store: store, auditLog: nil, environment: environment)
        if let opened, let found = try? await opened.invites.invite(id: invite) {
            throw CommandFailure(AttachDirections.words(inviteId: invite, invite: found, here: nil, now: SystemTimekeeper().date))
        }
        throw CommandFailure(
            "No gateway runs for this user on this host (no control socket in \(directory)), and the invite store does not know \(invite). Attach on the gateway's host, or with ssh -t -p PORT operator@HOST attach \(invite) if the gateway takes operator keys."
        )
    }
}

/// `onboard gateway drain`: asks the gateway on this host (the one on `port`, or the only one)
/// to drain through its control socket, as a first SIGTERM would, and says what it answered.
package enum GatewayDrain {
    package static func run(port: Int?, output: CommandOutput) throws {
        let directory = AppPaths.stateDirectory()
        let sockets = port.map { [ControlSocket.path(stateDirectory: directory, port: $0)] } ?? ControlSocket.all(stateDirectory: directory)
        let reachable = sockets.filter { FileManager.default.fileExists(atPath: $0) }
        guard !reachable.isEmpty else {
            throw CommandFailure("No gateway runs for this user on this host\(port.map { " on port \($0)" } ?? "") (no control socket in \(directory)).")
        }
        guard reachable.count == 1, let path = reachable.first else {
            let ports = reachable.compactMap { $0.split(separator: "-").last?.split(separator: ".").first }.joined(separator: ", ")
            throw UsageError("Several gateways run here (ports \(ports)): say which with --port.")
        }
        guard let descriptor = UnixSocket.connect(path) else {
            throw CommandFailure("The gateway's control socket \(path) does not answer: the gateway may have stopped.")
        }
        defer { close(descriptor) }
        DescriptorWriter.write(WatchMessage.drain.line, to: descriptor)
        var reader = LineReader(descriptor: descriptor, limit: 64 << 10)
        guard UnixSocket.waitReadable(descriptor, seconds: 10), let line = reader.next(), case .closed(let words) = WatchMessage(line: line) else {
            throw CommandFailure("The gateway did not answer the drain request within 10 seconds.")
        }
        output.err(TerminalText.sanitized(words))
    }
}

/// A Unix socket to a gateway's control socket.
enum UnixSocket {
    static func connect(_ path: String) -> Int32? {
        let descriptor = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else { return nil }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        guard bytes.count < MemoryLayout.size(ofValue: address.sun_path) else {
            close(descriptor)
            return nil
        }
        withUnsafeMutableBytes(of: &address.sun_path) { buffer in
            for (index, byte) in bytes.enumerated() { buffer[index] = byte }
        }
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard connected == 0 else {
            close(descriptor)
            return nil
        }
        return descriptor
    }

    static func waitReadable(_ descriptor: Int32, seconds: Int32) -> Bool {
        var ready = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
        while true {
            let polled = poll(&ready, 1, seconds * 1000)
            if polled < 0 && errno == EINTR { continue }
            return polled > 0
        }
    }
}
