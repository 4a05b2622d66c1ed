import Foundation
import OnboardFiles

/// Somewhere audit events go: the trail in a file or a database, or (in a gateway session) the
/// gateway, which writes them to its trail.
package protocol AuditSink: Sendable {
    /// Returns once the event is stored: the caller reports its action only after that.
    func record(_ event: AuditEvent) async throws(AuditError)
}

extension AuditLog: AuditSink {
    package func record(_ event: AuditEvent) async throws(AuditError) { try append(event) }
}

/// A gateway session's events, as JSON lines on a socket to the gateway, each answered once the
/// gateway has written it to its trail (`ok`): so a session says "connected" only after the
/// trail holds it, even while the gateway waits out a database restart. The session never holds
/// the trail's credentials.
package struct GatewayAuditSink: AuditSink {
    let descriptor: Int32
    /// How long the session waits for the gateway's `ok`: the gateway retries its store for a
    /// while, but a session must not hang on it forever after the account was made.
    let patience: Duration
    package init(descriptor: Int32, patience: Duration = .seconds(60)) {
        self.descriptor = descriptor
        self.patience = patience
    }

    package func record(_ event: AuditEvent) async throws(AuditError) {
        guard let data = try? AuditLog.encoder.encode(event) else { return }
        let descriptor = self.descriptor
        let (seconds, attoseconds) = patience.components
        let deadline = Int32(clamping: seconds * 1000 + attoseconds / 1_000_000_000_000_000)
        // The answer may take as long as the database does: a thread of its own, not the pool's.
        let answer = await withCheckedContinuation { continuation in
            let thread = Thread {
                guard DescriptorWriter.write(data + Data("\n".utf8), to: descriptor) else { return continuation.resume(returning: "") }
                var line = [UInt8]()
                var byte: UInt8 = 0
                while line.count < 4096 {
                    // Bounded: poll for the answer, the whole wait at most `patience`.
                    var ready = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
                    let polled = poll(&ready, 1, deadline)
                    if polled < 0 && errno == EINTR { continue }
                    if polled <= 0 { return continuation.resume(returning: polled == 0 ? "late" : "") }
                    let count = read(descriptor, &byte, 1)
                    if count < 0 && errno == EINTR { continue }
                    if count <= 0 || byte == 0x0A { break }
                    line.append(byte)
                }
                continuation.resume(returning: String(decoding: line, as: UTF8.self))
            }
            thread.start()
        }
        if answer == "late" {
            throw AuditError(
                "The gateway has not confirmed the audit record within \(seconds) s (its store may be down); tell the person who sent the invite.")
        }
        guard answer == "ok" else { throw AuditError("The gateway did not confirm the audit record; the session is ending.") }
    }

    /// One line written by `record`, read back (nil for anything else).
    package static func decode(_ line: Data) -> AuditEvent? {
        try? AuditLog.decoder.decode(AuditEvent.self, from: line)
    }
}
