import Foundation
import NIOCore
import NIOPosix
import OnboardCore
import Synchronization

/// One operator attached to a session: the first line names the invite and the window, then
/// resizes, notes and an end may follow. Speaks ``WatchMessage`` lines over any channel: the
/// control socket on the gateway's host, or (for an operator who came over SSH) a socket pair
/// to the `invite attach` the gateway started for them.
final class OperatorAttachHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    /// Who is attaching, as the gateway established it (never as the operator says).
    struct Operator: Sendable {
        var name: String
        var address: String
        var keyFingerprint: String?
    }

    private let watches: WatchRegistry
    private let clock: any Timekeeper
    /// Resolved once the connection's peer is known (the control socket asks the kernel).
    private let identify: @Sendable (any Channel) -> EventLoopFuture<Operator>
    /// Where the sessions not on this gateway are, in words for the operator.
    private let elsewhere: @Sendable (String) async -> String
    /// Starts a drain and says so in words; nil where draining is not allowed (an SSH operator
    /// moderates sessions, not the gateway: only its host's owner drains it).
    private let drain: (@Sendable () -> String)?
    /// A line past the maximum closes the connection: an operator's lines are small.
    private var splitter = WatchLineSplitter(maximum: OperatorAttachHandler.maximumLine)
    private var attached: (watch: SessionWatch, id: Int)?
    private var attaching = false

    /// Lines from an operator are small: a note is 200 characters.
    static let maximumLine = 16 << 10

    init(
        watches: WatchRegistry, clock: any Timekeeper, identify: @escaping @Sendable (any Channel) -> EventLoopFuture<Operator>,
        elsewhere: @escaping @Sendable (String) async -> String, drain: (@Sendable () -> String)? = nil
    ) {
        self.drain = drain
        self.watches = watches
        self.clock = clock
        self.identify = identify
        self.elsewhere = elsewhere
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var bytes = unwrapInboundIn(data)
        let (lines, overflowed) = splitter.lines(adding: &bytes)
        for line in lines {
            guard let message = WatchMessage(line: line) else { continue }
            handle(message, context: context)
        }
        if overflowed { Self.refuse(context.channel, "That line was too long; this connection is closed.") }
    }

    private func handle(_ message: WatchMessage, context: ChannelHandlerContext) {
        switch message {
        case .attach(let invite, let size):
            guard attached == nil, !attaching else { return }
            attaching = true
            let channel = context.channel
            let loopBound = NIOLoopBound(self, eventLoop: channel.eventLoop)
            let watches = self.watches
            let clock = self.clock
            let elsewhere = self.elsewhere
            identify(channel).whenComplete { result in
                guard case .success(let who) = result else {
                    return Self.refuse(channel, "The gateway could not tell who you are; attaching is refused.")
                }
                guard let watch = watches.session(invite) else {
                    let promise = channel.eventLoop.makePromise(of: String.self)
                    promise.completeWithTask { await elsewhere(invite) }
                    promise.futureResult.whenSuccess { words in Self.refuse(channel, words) }
                    return
                }
                let watcher = SessionWatch.Watcher(
                    name: who.name, address: who.address, keyFingerprint: who.keyFingerprint, size: size, since: clock.date,
                    send: { line in Self.write(channel, line) },
                    close: { why in Self.refuse(channel, why) })
                if let id = watch.join(watcher) { loopBound.value.attached = (watch, id) }
            }
        case .resize(let size):
            if let attached { attached.watch.resize(attached.id, to: size) }
        case .note(_, let text):
            if let attached { attached.watch.note(from: attached.id, text) }
        case .end:
            if let attached { attached.watch.end(by: attached.id) }
        case .drain:
            guard attached == nil, !attaching else { return }
            Self.refuse(context.channel, drain?() ?? "Draining is for the gateway's own host (onboard gateway drain there).")
        default:
            break
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        if let attached { attached.watch.leave(attached.id) }
        attached = nil
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }

    static func write(_ channel: any Channel, _ line: Data) {
        var buffer = channel.allocator.buffer(capacity: line.count)
        buffer.writeBytes(line)
        channel.writeAndFlush(buffer, promise: nil)
    }

    /// Says why, then closes.
    static func refuse(_ channel: any Channel, _ why: String) {
        var buffer = channel.allocator.buffer(capacity: why.utf8.count + 32)
        buffer.writeBytes(WatchMessage.closed(why).line)
        channel.writeAndFlush(buffer).whenComplete { _ in channel.close(promise: nil) }
    }
}

/// `struct ucred` as Linux lays it out (pid, uid, gid), which Glibc's module does not export.
struct PeerCredentials: Sendable {
    var pid: Int32
    var uid: UInt32
    var gid: UInt32
}

/// The control socket: operators on the gateway's host attach through it. It is the owner's
/// only (0600, in a 0700 directory), and the kernel says who connected (SO_PEERCRED): that
/// user's name is the operator's name in the trail.
package enum ControlSocket {
    /// `gateway-PORT.sock` in the state directory: one per gateway on the host.
    package static func path(stateDirectory: String, port: Int) -> String { stateDirectory + "/gateway-\(port).sock" }

    /// The control sockets in `stateDirectory`, one per gateway that runs (or ran) here.
    package static func all(stateDirectory: String) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: stateDirectory)) ?? []
        return names.filter { $0.hasPrefix("gateway-") && $0.hasSuffix(".sock") }.sorted().map { stateDirectory + "/" + $0 }
    }

    /// Which file a socket path names (device and inode): a gateway that started on the same
    /// port while this one drained binds the same path, and its socket is not this one's to remove.
    package struct Identity: Sendable, Equatable {
        var device: UInt64
        var inode: UInt64
    }

    static func identity(_ path: String) -> Identity? {
        var status = stat()
        guard lstat(path, &status) == 0 else { return nil }
        return Identity(device: UInt64(status.st_dev), inode: UInt64(status.st_ino))
    }

    /// Removes the socket at `path` if it is still the one bound (`bound`).
    static func remove(_ path: String, bound: Identity?) {
        guard let bound, identity(path) == bound else { return }
        unlink(path)
    }

    /// The connecting process's user, as the kernel knows it.
    static func peer(_ channel: any Channel) -> EventLoopFuture<OperatorAttachHandler.Operator> {
        guard let provider = channel as? any SocketOptionProvider else {
            return channel.eventLoop.makeFailedFuture(ControlSocketError())
        }
        // SO_PEERCRED is 17 on Linux.
        let credentials: EventLoopFuture<PeerCredentials> = provider.unsafeGetSocketOption(level: SocketOptionLevel(SOL_SOCKET), name: 17)
        return credentials.map { credentials in
            let name: String
            if let entry = getpwuid(credentials.uid), let pointer = entry.pointee.pw_name {
                name = String(cString: pointer)
            } else {
                name = "uid \(credentials.uid)"
            }
            return OperatorAttachHandler.Operator(name: name, address: "local (pid \(credentials.pid))", keyFingerprint: nil)
        }
    }
}

struct ControlSocketError: Error {}
