import Foundation
import Logging
import NIOCore
import NIOEmbedded
import OnboardCore
import OnboardStore
import Synchronization
import Testing

@testable import OnboardGateway

/// The gateway's half of watching: the lines it reads (from a session's program and from
/// operators, both hostile), who may log in as an operator, and what reaches whom.
@Suite("Operators watching sessions: lines, keys, and fan-out")
struct OperatorWatchTests {
    @Test("every message survives its line; hostile lines are dropped, not half-read")
    func messages() {
        let size = WatchMessage.WindowSize(columns: 80, rows: 24)
        let messages: [WatchMessage] = [
            .frame(columns: 80, rows: 24, frame: "{\"x\":1}"), .help, .watchers(names: ["a"], sizes: [size], change: "a is watching"),
            .note(from: "a", text: "hi"), .attach(invite: "inv_1", size: size), .resize(size), .end,
            .attached(invite: "inv_1", peer: "1.2.3.4:5", userId: "u", authConfig: "ac", observers: ["a"]),
            .helpRequested(at: Date(timeIntervalSince1970: 1_800_000_000)), .closed("bye"),
        ]
        for message in messages {
            let line = message.line
            #expect(line.last == 0x0A && line.dropLast().firstIndex(of: 0x0A) == nil, "one line")
            #expect(WatchMessage(line: line.dropLast()) == message)
        }
        for hostile in [
            "", "{", "[]", "{\"type\":\"frame\",\"columns\":0,\"rows\":24,\"frame\":\"\"}",
            "{\"type\":\"frame\",\"columns\":100000,\"rows\":24,\"frame\":\"\"}", "{\"type\":\"attach\",\"invite\":\"inv_1\"}",
            "{\"type\":\"shell\",\"text\":\"id\"}", "{\"type\":\"resize\",\"columns\":-1,\"rows\":5}", "frame 600 24 {}", "frame 80 24",
            "frame x 24 {}",
        ] {
            #expect(WatchMessage(line: Data(hostile.utf8)) == nil, "\(hostile)")
        }
        #expect(WatchMessage(line: Data(repeating: 0x20, count: WatchMessage.maximumLine + 1)) == nil)
        let wide = "{\"type\":\"attach\",\"invite\":\"inv_1\",\"columns\":3000,\"rows\":900}"
        #expect(WatchMessage(line: Data(wide.utf8)) == .attach(invite: "inv_1", size: .init(columns: 512, rows: 256)), "a huge window watches at the most")
    }

    @Test("operator keys: comments name operators, options are skipped, RSA and junk are refused with the line")
    func operatorKeys() throws {
        let ed25519 = "AAAAC3NzaC1lZDI1NTE5AAAAIGf1aA1S5yXbqUd/ogVQhyI9Wf3FQ7cEMaNJb8n4RNqG"
        let keys = try OperatorKeys(parsing: "# ops\n\nfrom=\"10.0.0.0/8\" ssh-ed25519 \(ed25519) alice@support\nssh-ed25519 \(ed25519)\n")
        #expect(keys.entries.count == 2 && keys.entries[0].name == "alice@support")
        #expect(keys.entries[1].name.hasPrefix("SHA256:") && keys.entries[1].name == keys.entries[1].fingerprint)
        #expect(throws: OperatorKeysError.self) { try OperatorKeys(parsing: "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQ alice") }
        #expect(throws: OperatorKeysError.self) { try OperatorKeys(parsing: "ssh-ed25519 not-base64!! alice") }
        #expect(throws: OperatorKeysError.self) { try OperatorKeys(parsing: "# nothing\n") }
        let hostile = try OperatorKeys(parsing: "ssh-ed25519 \(ed25519) evil\u{1B}[2Jname")
        #expect(!hostile.entries[0].name.contains("\u{1B}"))
    }

    @Test("the operator keys file is read again when it changes; a broken edit keeps the keys read before")
    func keysReloaded() throws {
        let ed25519 = "AAAAC3NzaC1lZDI1NTE5AAAAIGf1aA1S5yXbqUd/ogVQhyI9Wf3FQ7cEMaNJb8n4RNqG"
        let path = FileManager.default.temporaryDirectory.path + "/operators-\(UUID().uuidString)"
        defer { unlink(path) }
        try "ssh-ed25519 \(ed25519) alice\n".write(toFile: path, atomically: true, encoding: .utf8)
        let logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
        let source = try OperatorKeySource(path: path, logger: logger) { try OperatorKeys(parsing: try String(contentsOfFile: $0, encoding: .utf8)) }
        #expect(source.keys.entries.map(\.name) == ["alice"])
        try "ssh-ed25519 \(ed25519) alice\nssh-ed25519 \(ed25519) bob\n".write(toFile: path, atomically: true, encoding: .utf8)
        #expect(source.keys.entries.map(\.name) == ["alice", "bob"], "a new operator needs no restart")
        try "ssh-rsa AAAAB3NzaC1yc2E half-written".write(toFile: path, atomically: true, encoding: .utf8)
        #expect(source.keys.entries.map(\.name) == ["alice", "bob"], "a broken file keeps the keys read before")
        try "ssh-ed25519 \(ed25519) bob\n".write(toFile: path, atomically: true, encoding: .utf8)
        #expect(source.keys.entries.map(\.name) == ["bob"], "a removed operator is out at their next login")
        #expect(!OperatorKeySource.none.isConfigured && OperatorKeySource.none.keys.isEmpty)
    }

    /// What one operator was sent.
    final class Received: Sendable {
        let lines = Mutex<[WatchMessage]>([])
        func withLock<Result>(_ body: ([WatchMessage]) -> Result) -> Result { lines.withLock { body($0) } }
    }

    /// A watch on a fake program: what it was sent, and whether the session was ended.
    final class Fixture: Sendable {
        let toProgram = Received()
        let ended = Received()
        let watch: SessionWatch

        init() {
            let invite = Invite(
                id: "inv_t", authConfig: "ac_t", userId: "alice", note: nil, createdBy: "ops", createdAt: Date(), expiresAt: Date().addingTimeInterval(60))
            let logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
            let store = try! SQLiteInviteStore(path: FileManager.default.temporaryDirectory.path + "/watch-\(UUID().uuidString).sqlite")
            let reporter = GatewayReporter(audit: nil, logger: logger, source: "test", writer: StoreWriter(invites: store, audit: nil, logger: logger))
            let sent = toProgram
            let ended = self.ended
            watch = SessionWatch(
                invite: invite, peer: "203.0.113.9:4000", reporter: reporter, clock: SystemTimekeeper(),
                toProgram: { line in if let message = WatchMessage(line: line.dropLast()) { sent.lines.withLock { $0.append(message) } } },
                endSession: { notice in ended.lines.withLock { $0.append(.closed(notice)) } })
        }

        /// An operator whose received lines are collected.
        func watcher(_ name: String, _ columns: Int) -> (SessionWatch.Watcher, Received) {
            let received = Received()
            let watcher = SessionWatch.Watcher(
                name: name, address: "local", keyFingerprint: nil, size: .init(columns: columns, rows: 24), since: Date(),
                send: { line in if let message = WatchMessage(line: line.dropLast()) { received.lines.withLock { $0.append(message) } } },
                close: { why in received.lines.withLock { $0.append(.closed(why)) } })
            return (watcher, received)
        }
    }

    @Test("frames go to the operators watching at their size only; a late joiner gets the last one; notes and ends go to the program")
    func fanOut() throws {
        let fixture = Fixture()
        let (alice, aliceGot) = fixture.watcher("alice", 80)
        let (bob, bobGot) = fixture.watcher("bob", 100)
        let aliceId = try #require(fixture.watch.join(alice))
        guard case .watchers(let names, let sizes, let change) = fixture.toProgram.withLock({ $0.last }) else {
            Issue.record("the program is told who watches")
            return
        }
        #expect(names == ["alice"] && sizes == [.init(columns: 80, rows: 24)] && change?.contains("alice") == true)
        let frame80 = WatchMessage.frame(columns: 80, rows: 24, frame: "eighty")
        fixture.watch.fromProgram(frame80, line: frame80.line)
        let unasked = WatchMessage.frame(columns: 120, rows: 24, frame: "nobody asked")
        fixture.watch.fromProgram(unasked, line: unasked.line)
        let bobId = try #require(fixture.watch.join(bob))
        let frame100 = WatchMessage.frame(columns: 100, rows: 24, frame: "hundred")
        fixture.watch.fromProgram(frame100, line: frame100.line)
        #expect(aliceGot.withLock { $0.filter { if case .frame = $0 { true } else { false } } } == [frame80])
        #expect(bobGot.withLock { $0.filter { if case .frame = $0 { true } else { false } } } == [frame100])

        // Bob resizes to Alice's size: he gets the last frame drawn for it at once.
        fixture.watch.resize(bobId, to: .init(columns: 80, rows: 24))
        #expect(bobGot.withLock { $0.last } == frame80)

        fixture.watch.note(from: aliceId, "Look at \u{1B}[31mSettings\n")
        #expect(fixture.toProgram.withLock { $0.contains(.note(from: "alice", text: "Look at [31mSettings")) })
        fixture.watch.fromProgram(.help, line: WatchMessage.help.line)
        #expect(aliceGot.withLock { $0.contains { if case .helpRequested = $0 { true } else { false } } })
        fixture.watch.end(by: bobId)
        #expect(fixture.ended.withLock { $0.count } == 1)
        fixture.watch.ended("The session has ended.")
        #expect(aliceGot.withLock { $0.last } == .closed("The session has ended.") && bobGot.withLock { $0.last } == .closed("The session has ended."))
        let (late, lateGot) = fixture.watcher("carol", 80)
        #expect(fixture.watch.join(late) == nil && lateGot.withLock { $0.count } == 1, "nobody joins a session that ended")
    }

    @Test("at most eight operators watch one session")
    func watcherCap() {
        let fixture = Fixture()
        for index in 0..<SessionWatch.maximumWatchers { #expect(fixture.watch.join(fixture.watcher("op\(index)", 80).0) != nil) }
        #expect(fixture.watch.join(fixture.watcher("one too many", 80).0) == nil)
    }
}

/// The two readers a stranger's bytes reach: an operator's connection (the control socket, or
/// the socket pair of an SSH operator's attach) and a session program's line to its operators.
@Suite("Operator connections and session lines, attacked")
struct OperatorConnectionTests {
    /// Runs the loop until `done` holds (the store lookup for "where is it" runs as a task).
    static func settle(_ channel: EmbeddedChannel, until done: () throws -> Bool) async throws {
        for _ in 0..<200 {
            channel.embeddedEventLoop.run()
            if try done() { return }
            try await Task.sleep(for: .milliseconds(5))
        }
    }

    static func outbound(_ channel: EmbeddedChannel) throws -> [WatchMessage] {
        var messages: [WatchMessage] = []
        while var buffer = try channel.readOutbound(as: ByteBuffer.self) {
            let text = buffer.readString(length: buffer.readableBytes) ?? ""
            messages += text.split(separator: "\n").compactMap { WatchMessage(line: Data($0.utf8)) }
        }
        return messages
    }

    static func connection(_ watches: WatchRegistry) throws -> EmbeddedChannel {
        let who = OperatorAttachHandler.Operator(name: "alice", address: "local (pid 1)", keyFingerprint: nil)
        let handler = OperatorAttachHandler(
            watches: watches, clock: SystemTimekeeper(), identify: { $0.eventLoop.makeSucceededFuture(who) },
            elsewhere: { invite in "\(invite) is not in session on this gateway." })
        let channel = EmbeddedChannel(handler: handler)
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 1)).wait()
        return channel
    }

    static func send(_ channel: EmbeddedChannel, _ text: String) throws {
        try channel.writeInbound(ByteBuffer(string: text))
    }

    @Test("garbage and messages out of turn do nothing; an unknown invite is told where it is, then closed")
    func unknownInvite() async throws {
        let channel = try Self.connection(WatchRegistry())
        try Self.send(channel, "\u{1B}[2J\n{}\nnot json\n{\"type\":\"note\",\"text\":\"hi\"}\n{\"type\":\"end\"}\n")
        #expect(try Self.outbound(channel).isEmpty && channel.isActive)
        try Self.send(channel, String(decoding: WatchMessage.attach(invite: "inv_nothere", size: .init(columns: 80, rows: 24)).line, as: UTF8.self))
        var seen: [WatchMessage] = []
        try await Self.settle(channel) {
            seen += try Self.outbound(channel)
            return !seen.isEmpty
        }
        #expect(seen == [.closed("inv_nothere is not in session on this gateway.")])
        #expect(!channel.isActive)
    }

    @Test("attached: the operator is named by the gateway, not by what they send; an overlong line closes the connection")
    func attachedThenFlooded() async throws {
        let fixture = OperatorWatchTests.Fixture()
        let watches = WatchRegistry()
        watches.add(fixture.watch)
        let channel = try Self.connection(watches)
        let attach = WatchMessage.attach(invite: "inv_t", size: .init(columns: 80, rows: 24)).line
        try Self.send(channel, String(decoding: attach, as: UTF8.self))
        var seen: [WatchMessage] = []
        try await Self.settle(channel) {
            seen += try Self.outbound(channel)
            return !seen.isEmpty
        }
        guard case .attached(let invite, _, _, _, let observers) = seen.first else {
            Issue.record("expected to be attached, got \(seen)")
            return
        }
        #expect(invite == "inv_t" && observers == ["alice"])
        try Self.send(channel, String(decoding: WatchMessage.note(from: "the CEO", text: "hello").line, as: UTF8.self))
        #expect(fixture.toProgram.withLock { $0.contains(.note(from: "alice", text: "hello")) }, "the name is the gateway's word")
        try Self.send(channel, String(repeating: "A", count: OperatorAttachHandler.maximumLine + 1))
        channel.embeddedEventLoop.run()
        #expect(try Self.outbound(channel).contains(.closed("That line was too long; this connection is closed.")))
        #expect(!channel.isActive)
        #expect(
            fixture.toProgram.withLock { $0.last.map { if case .watchers(let names, _, _) = $0 { names.isEmpty } else { false } } } == true,
            "the program is told nobody watches any more")
    }

    @Test("a session program's overlong line is dropped whole; the next line still arrives")
    func programFlood() throws {
        let received = OperatorWatchTests.Received()
        let channel = EmbeddedChannel(handler: WatchLineReader { message, _ in received.lines.withLock { $0.append(message) } })
        var flood = ByteBuffer(repeating: UInt8(ascii: "x"), count: WatchMessage.maximumLine + 10)
        try channel.writeInbound(flood)
        flood = ByteBuffer(string: "still the flood\n")
        try channel.writeInbound(flood)
        try channel.writeInbound(ByteBuffer(data: WatchMessage.help.line))
        #expect(received.withLock { $0 } == [.help])
    }

    @Test("lines split across reads are joined; several in one read come apart; an overlong one is reported once and dropped to its end")
    func splitter() {
        var splitter = WatchLineSplitter(maximum: 8)
        var chunk = ByteBuffer(string: "hel")
        #expect(splitter.lines(adding: &chunk).lines.isEmpty)
        chunk = ByteBuffer(string: "lo\r\nab\n\ncd")
        let first = splitter.lines(adding: &chunk)
        #expect(first.lines == [Array("hello\r".utf8), Array("ab".utf8), []] && !first.overflowed)
        chunk = ByteBuffer(string: "0123456789")
        #expect(splitter.lines(adding: &chunk).overflowed, "cd0123456789 is past 8 bytes")
        chunk = ByteBuffer(string: "more of it\nnext\n")
        let after = splitter.lines(adding: &chunk)
        #expect(after.lines == [Array("next".utf8)] && !after.overflowed)
    }

    @Test("a draining gateway removes its control socket at the end only if the path is still its own (not the next gateway's)")
    func controlSocketRemovedOnlyIfOurs() throws {
        let directory = NSTemporaryDirectory() + "onboard-control-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = ControlSocket.path(stateDirectory: directory, port: 2222)
        #expect(FileManager.default.createFile(atPath: path, contents: Data()))
        let ours = ControlSocket.identity(path)
        #expect(ours != nil)
        // The next gateway on the port bound the path (under another name, renamed over it).
        #expect(FileManager.default.createFile(atPath: path + ".new", contents: Data()))
        #expect(rename(path + ".new", path) == 0)
        ControlSocket.remove(path, bound: ours)
        #expect(FileManager.default.fileExists(atPath: path), "the next gateway's socket stays")
        ControlSocket.remove(path, bound: ControlSocket.identity(path))
        #expect(!FileManager.default.fileExists(atPath: path), "its own is removed")
    }
}
