import Foundation
import Testing

@testable import OnboardLive

/// What the gateway tells systemd, on a socket of the test's own.
@Suite("systemd notification and journal")
struct SystemdTests {
    /// A datagram socket bound at `path` ("@name": the abstract namespace); the first message it gets.
    static func receive(at path: String, _ send: () -> Void) throws -> String? {
        let descriptor = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
        defer { close(descriptor) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        var bytes = Array(path.utf8)
        if bytes.first == UInt8(ascii: "@") { bytes[0] = 0 }
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: bytes) }
        let length = socklen_t(MemoryLayout<sa_family_t>.size + bytes.count)
        let bound = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, length) } }
        try #require(bound == 0, "cannot bind \(path)")
        send()
        var poller = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
        guard poll(&poller, 1, 2000) > 0 else { return nil }
        var buffer = [UInt8](repeating: 0, count: 4096)
        let count = recv(descriptor, &buffer, buffer.count, 0)
        return count > 0 ? String(decoding: buffer[0..<count], as: UTF8.self) : nil
    }

    @Test("READY and STATUS reach NOTIFY_SOCKET, a path or an abstract name; a line break cannot add a field")
    func notify() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("notify-\(UUID().uuidString.prefix(8))").path
        defer { unlink(path) }
        let message = try Self.receive(at: path) {
            SystemdNotifier(environment: ["NOTIFY_SOCKET": path]).notify(["READY=1", "STATUS=Listening\nWATCHDOG=1"])
        }
        #expect(message == "READY=1\nSTATUS=Listening WATCHDOG=1")
        let abstract = "@onboard-test-\(UUID().uuidString.prefix(8))"
        #expect(try Self.receive(at: abstract) { SystemdNotifier(environment: ["NOTIFY_SOCKET": abstract]).notify(["STOPPING=1"]) } == "STOPPING=1")
        #expect(!SystemdNotifier(environment: [:]).isActive)
        #expect(!SystemdNotifier(environment: ["NOTIFY_SOCKET": "relative/path"]).isActive, "only a unix socket path or an abstract name")
    }

    @Test("log lines drop their own time only when stderr is the journal JOURNAL_STREAM names")
    func journal() {
        var status = stat()
        fstat(STDERR_FILENO, &status)
        #expect(SystemdJournal.isStandardError(environment: ["JOURNAL_STREAM": "\(status.st_dev):\(status.st_ino)"]))
        #expect(!SystemdJournal.isStandardError(environment: ["JOURNAL_STREAM": "\(status.st_dev):\(status.st_ino + 1)"]))
        #expect(!SystemdJournal.isStandardError(environment: ["JOURNAL_STREAM": "garbage"]))
        #expect(!SystemdJournal.isStandardError(environment: [:]))
    }
}
