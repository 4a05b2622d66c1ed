import Crypto
import Foundation
import OnboardCore
import OnboardFiles

/// The audit trail as JSON Lines in a file: append-only, one event a line, each line holding
/// the SHA-256 of the line before it, so an edit, a removal, a reordering or an insertion shows
/// on `onboard audit verify`, and a cut end shows against a head hash kept elsewhere.
///
/// Appends from several processes (an import's workers, gateway sessions, a script beside the
/// wizard) are serialised by an exclusive `flock` held while the last line is read and the new
/// one written and synced.
package final class AuditLog: Sendable {
    package let path: String
    /// Signs every 100th line (nil: checkpoints are not written).
    let signer: AuditSigner?

    /// The hash the first line records as its predecessor.
    package static let genesis = String(repeating: "0", count: 64)

    /// Opens (creating 0600 in a 0700 directory) the trail at `path`, refusing a link, a file of
    /// another user or one that is not a regular file, before anything is done that it should
    /// record.
    package init(path: String, signed: Bool = true) throws(AuditError) {
        self.path = path
        do {
            try SecureFile.makeDirectory(for: path, kind: "audit trail")
            close(try SecureFile.openForAppend(path, kind: "audit trail"))
        } catch {
            throw AuditError(error.description + " Pass --audit-log PATH, or set ONBOARD_AUDIT=off.")
        }
        signer = signed ? try AuditSigner.loadOrCreate(trail: path) : nil
    }

    /// `$XDG_STATE_HOME/onboard/audit.jsonl`, else `~/.local/state/onboard/audit.jsonl`.
    package static func defaultPath(environment: [String: String] = ProcessEnvironment.current()) -> String {
        if let base = environment["XDG_STATE_HOME"], base.hasPrefix("/") { return base + "/onboard/audit.jsonl" }
        return (environment["HOME"] ?? NSHomeDirectory()) + "/.local/state/onboard/audit.jsonl"
    }

    /// Appends `event` (a first line `audit.started` goes before it in a new file) and syncs
    /// it to disk before returning.
    @discardableResult
    package func append(_ event: AuditEvent, now: Date = SystemTimekeeper().date) throws(AuditError) -> AuditRecord {
        let descriptor: Int32
        do {
            descriptor = try SecureFile.openForAppend(path, kind: "audit trail")
        } catch {
            throw AuditError(error.description)
        }
        defer { close(descriptor) }
        while flock(descriptor, LOCK_EX) != 0 {
            guard errno == EINTR else { throw AuditError("Cannot lock the audit trail \(path): \(String(cString: strerror(errno))).") }
        }
        defer { flock(descriptor, LOCK_UN) }
        // A line cut short (a crash or a full disk mid-write) is cut off under the lock and the
        // cut recorded, so the trail goes on instead of refusing every later write.
        let cut = try Self.repairTornEnd(descriptor)
        var events = [event]
        if cut > 0 {
            events.insert(
                AuditEvent(.auditRepaired, actor: event.actor, counts: ["bytes": cut], source: event.source, version: event.version), at: 0)
        }
        let links = try Self.links(events, after: try Self.lastLine(path), signer: signer, now: now, trail: path)
        var lines = Data()
        for link in links {
            lines.append(link.line)
            lines.append(0x0A)
        }
        let ok = DescriptorWriter.write(lines, to: descriptor)
        guard ok, fsync(descriptor) == 0 else { throw AuditError("Cannot write the audit trail \(path): \(String(cString: strerror(errno))).") }
        return links[links.count - 1].record
    }

    /// The lines that append `events` after `last`, with a checkpoint signed by `signer` where
    /// a line's number is a multiple of 100: the chain and its checkpoints, for a file and a
    /// database alike. `naming` puts the signer's public key in each checkpoint (a trail with
    /// several writers).
    package static func links(
        _ events: [AuditEvent], after last: Data?, signer: AuditSigner?, naming: Bool = false, now: Date, trail: String
    ) throws(AuditError) -> [(record: AuditRecord, line: Data)] {
        var links: [(record: AuditRecord, line: Data)] = []
        var last = last
        for event in events {
            if let signer, let line = last, let record = try? Self.decoder.decode(AuditRecord.self, from: line),
                (record.seq + 1) % AuditSigner.interval == 0
            {
                let checkpoint = signer.checkpoint(seq: record.seq + 1, prev: Self.hash(line), like: event, naming: naming)
                let signed = try Self.chain(checkpoint, after: last, now: now, trail: trail)
                links += signed
                last = signed.last?.line
            }
            let more = try Self.chain(event, after: last, now: now, trail: trail)
            links += more
            last = more.last?.line
        }
        return links
    }

    /// The lines that append `event` to a trail whose last line is `last` (nil when empty: an
    /// `audit.started` line goes first), each with its record: the one rule of the chain, for a
    /// file and a database alike.
    /// - Parameter trail: names the trail in a refusal.
    package static func chain(_ event: AuditEvent, after last: Data?, now: Date, trail: String) throws(AuditError) -> [(
        record: AuditRecord, line: Data
    )] {
        var links: [(record: AuditRecord, line: Data)] = []
        var (seq, prev) = (0, genesis)
        if let last {
            guard let record = try? decoder.decode(AuditRecord.self, from: last) else {
                throw AuditError(
                    "The last line of the audit trail \(trail) is not an audit record; run onboard audit verify to see where it breaks. Nothing was appended.")
            }
            (seq, prev) = (record.seq, hash(last))
        } else {
            let start = AuditEvent(.auditStarted, actor: event.actor, source: event.source, version: event.version)
            let record = AuditRecord(seq: 1, time: UTCTimestamp.iso8601(now), prev: genesis, event: start)
            let line = encode(record)
            links.append((record, line))
            (seq, prev) = (1, hash(line))
        }
        let record = AuditRecord(seq: seq + 1, time: UTCTimestamp.iso8601(now), prev: prev, event: event)
        links.append((record, encode(record)))
        return links
    }

    /// Cuts a last line that has no newline (a write torn by a crash or a full disk) back to the
    /// end of the line before it, synced; returns how many bytes went (0 when the end is whole).
    static func repairTornEnd(_ descriptor: Int32) throws(AuditError) -> Int {
        let size = Int(lseek(descriptor, 0, SEEK_END))
        guard size > 0 else { return 0 }
        var byte: UInt8 = 0
        guard pread(descriptor, &byte, 1, off_t(size - 1)) == 1 else {
            throw AuditError("Cannot read the audit trail: \(String(cString: strerror(errno))).")
        }
        guard byte != 0x0A else { return 0 }
        // Back to the last newline, a block at a time.
        var end = size
        var keep = 0
        while end > 0 {
            let start = max(0, end - 4096)
            var buffer = [UInt8](repeating: 0, count: end - start)
            guard pread(descriptor, &buffer, buffer.count, off_t(start)) == buffer.count else {
                throw AuditError("Cannot read the audit trail: \(String(cString: strerror(errno))).")
            }
            if let newline = buffer.lastIndex(of: 0x0A) {
                keep = start + newline + 1
                break
            }
            end = start
        }
        guard ftruncate(descriptor, off_t(keep)) == 0, fsync(descriptor) == 0 else {
            throw AuditError("Cannot repair the torn last line of the audit trail: \(String(cString: strerror(errno))).")
        }
        return size - keep
    }

    /// The file's last non-empty line, read from its end.
    static func lastLine(_ path: String) throws(AuditError) -> Data? {
        let descriptor = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)
        guard descriptor >= 0 else {
            if errno == ENOENT { return nil }
            throw AuditError("Cannot read the audit trail \(path): \(String(cString: strerror(errno))).")
        }
        defer { close(descriptor) }
        let size = lseek(descriptor, 0, SEEK_END)
        guard size > 0 else { return nil }
        var window = 4096
        while true {
            let start = max(0, Int(size) - window)
            var buffer = [UInt8](repeating: 0, count: Int(size) - start)
            guard pread(descriptor, &buffer, buffer.count, off_t(start)) == buffer.count else {
                throw AuditError("Cannot read the audit trail \(path): \(String(cString: strerror(errno))).")
            }
            var end = buffer.count
            while end > 0, buffer[end - 1] == 0x0A { end -= 1 }
            if let newline = buffer[0..<end].lastIndex(of: 0x0A) { return Data(buffer[(newline + 1)..<end]) }
            if start == 0 { return end > 0 ? Data(buffer[0..<end]) : nil }
            guard window < 1 << 24 else { throw AuditError("The last line of the audit trail \(path) is over 16 MiB; it is not an audit record.") }
            window *= 4
        }
    }

    // MARK: encoding

    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        return encoder
    }()

    static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return decoder
    }()

    static func encode(_ record: AuditRecord) -> Data {
        // Every field is a string, number or list of them: encoding cannot fail.
        (try? encoder.encode(record)) ?? Data("{}".utf8)
    }

    /// SHA-256 of a line's bytes, lower-case hex.
    package static func hash(_ line: Data) -> String {
        SHA256.hash(data: line).map { String(format: "%02x", $0) }.joined()
    }
}

/// The audit trail could not be opened, written or read; the message says which and what to do.
package struct AuditError: Error, Equatable, CustomStringConvertible {
    package let description: String
    package init(_ description: String) { self.description = description }
}
