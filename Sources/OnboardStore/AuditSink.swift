import Foundation
import OnboardFiles

/// Somewhere audit events go: the trail, and for a gateway session also the report the gateway
/// reads (so `invite watch` sees the account as soon as it exists).
public protocol AuditSink: Sendable {
    func record(_ event: AuditEvent) throws(AuditError)
}

extension AuditLog: AuditSink {
    public func record(_ event: AuditEvent) throws(AuditError) { try append(event) }
}

/// Every event to each sink in turn; the first failure stops the action as the trail's would.
public struct AuditFanOut: AuditSink {
    let sinks: [any AuditSink]
    public init(_ sinks: [any AuditSink]) { self.sinks = sinks }
    public func record(_ event: AuditEvent) throws(AuditError) {
        for sink in sinks { try sink.record(event) }
    }
}

/// Events as JSON lines on a descriptor: how a gateway session's program tells the gateway
/// which account it made, as it happens (the same encoding as the trail's lines).
public struct DescriptorAuditSink: AuditSink {
    let descriptor: Int32
    public init(descriptor: Int32) { self.descriptor = descriptor }

    /// Best effort: the trail is the record; a gateway that stopped reading ends the session anyway.
    public func record(_ event: AuditEvent) throws(AuditError) {
        guard let data = try? AuditLog.encoder.encode(event) else { return }
        _ = DescriptorWriter.write(data + Data("\n".utf8), to: descriptor)
    }

    /// One line written by `record`, read back (nil for anything else).
    public static func decode(_ line: Data) -> AuditEvent? {
        try? AuditLog.decoder.decode(AuditEvent.self, from: line)
    }
}
