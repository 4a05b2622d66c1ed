import Foundation
import OnboardCore

/// Telling systemd how the service is doing (`Type=notify`): ready once it listens, stopping
/// when it drains, a status line for `systemctl status`. A datagram to `NOTIFY_SOCKET`, as
/// sd_notify sends it; nothing happens without one.
package struct SystemdNotifier: Sendable {
    let path: String?

    package init(environment: [String: String] = ProcessEnvironment.current()) {
        let path = environment["NOTIFY_SOCKET"].flatMap { $0.isEmpty ? nil : $0 }
        // Only a unix socket: a path, or "@" for the abstract namespace.
        self.path = path.flatMap { $0.hasPrefix("/") || $0.hasPrefix("@") ? $0 : nil }
    }

    package var isActive: Bool { path != nil }

    /// CLOCK_MONOTONIC in microseconds, which systemd asks to come with `RELOADING=1` (to tell
    /// this reload from an earlier one). A field of the protocol, not a time anything waits on.
    package static func monotonicMicroseconds() -> UInt64 {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return UInt64(time.tv_sec) * 1_000_000 + UInt64(time.tv_nsec) / 1000
    }

    /// Sends `fields` (`READY=1`, `STATUS=...`), one per line; a failure is ignored, as
    /// sd_notify's callers do: the service works the same without a manager listening.
    package func notify(_ fields: [String]) {
        guard let path else { return }
        let message = fields.map { $0.replacingOccurrences(of: "\n", with: " ") }.joined(separator: "\n")
        let descriptor = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else { return }
        defer { close(descriptor) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        var bytes = Array(path.utf8)
        if bytes.first == UInt8(ascii: "@") { bytes[0] = 0 }
        let capacity = MemoryLayout.size(ofValue: address.sun_path)
        guard bytes.count < capacity else { return }
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: bytes) }
        let length = socklen_t(MemoryLayout<sa_family_t>.size + bytes.count)
        _ = message.withCString { text in
            withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { sendto(descriptor, text, strlen(text), 0, $0, length) }
            }
        }
    }
}

/// Whether stderr is systemd's journal (`JOURNAL_STREAM` names its device and inode), so log
/// lines need no time of their own.
package enum SystemdJournal {
    package static func isStandardError(environment: [String: String]) -> Bool {
        guard let stream = environment["JOURNAL_STREAM"] else { return false }
        let parts = stream.split(separator: ":")
        guard parts.count == 2, let device = UInt64(parts[0]), let inode = UInt64(parts[1]) else { return false }
        var status = stat()
        guard fstat(STDERR_FILENO, &status) == 0 else { return false }
        return UInt64(status.st_dev) == device && UInt64(status.st_ino) == inode
    }
}
