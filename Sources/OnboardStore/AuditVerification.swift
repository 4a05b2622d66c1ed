import Foundation
import OnboardFiles

/// Walks an audit trail and says whether its chain is whole, naming the first line that breaks.
package enum AuditVerification {
    /// What a walk found.
    package struct Report: Equatable, Sendable {
        /// Lines read.
        package var lines: Int
        /// The hash of the last line: keep it elsewhere to catch a cut end later.
        package var head: String
        /// The first break, if any: a line number (from 1) and what is wrong there.
        package var problem: (line: Int, message: String)?

        package static func == (lhs: Report, rhs: Report) -> Bool {
            lhs.lines == rhs.lines && lhs.head == rhs.head && lhs.problem?.line == rhs.problem?.line && lhs.problem?.message == rhs.problem?.message
        }
    }

    /// The largest trail read whole: years of events at a few hundred bytes each.
    package static let maximumBytes = 1 << 30

    /// Reads and checks the trail at `path`.
    package static func verify(path: String, expectHead: String? = nil) throws(AuditError) -> Report {
        let data: Data?
        do {
            data = try SecureFile.readOwn(path, kind: "audit trail", maximumBytes: maximumBytes)
        } catch {
            throw AuditError(error.description)
        }
        guard let data else { throw AuditError("There is no audit trail at \(path) yet; onboard writes one with its first action.") }
        return verify(data, expectHead: expectHead)
    }

    /// Checks the chain in `data`: each line must be a record whose `seq` is its line number and
    /// whose `prev` is the hash of the line before (the genesis hash for the first, which must
    /// be `audit.started`). With `expectHead`, a head kept earlier must still be in the chain.
    package static func verify(_ data: Data, expectHead: String? = nil) -> Report {
        var lines = data.split(separator: 0x0A, omittingEmptySubsequences: false).map { Data($0) }
        if lines.last?.isEmpty == true { lines.removeLast() }
        var report = Report(lines: lines.count, head: AuditLog.genesis, problem: nil)
        var previousHash = AuditLog.genesis
        var seenHead = expectHead == nil
        for (index, line) in lines.enumerated() {
            let number = index + 1
            guard let record = try? AuditLog.decoder.decode(AuditRecord.self, from: line) else {
                report.problem = (number, "line \(number) is not an audit record: it was edited, or something else was written into the file")
                return report
            }
            if record.seq != number {
                let what =
                    record.seq > number
                    ? "line \(number) has sequence number \(record.seq): \(record.seq - number == 1 ? "a line was" : "\(record.seq - number) lines were") removed before it"
                    : "line \(number) has sequence number \(record.seq): lines were reordered or inserted before it"
                report.problem = (number, what)
                return report
            }
            if number == 1, record.event.event != AuditEvent.Kind.auditStarted.rawValue || record.prev != AuditLog.genesis {
                report.problem = (1, "line 1 is not the start of a trail: the lines before it were removed")
                return report
            }
            if record.prev != previousHash {
                report.problem = (
                    number - 1,
                    "line \(number - 1) was changed: line \(number) recorded a different hash for it (or a line was inserted between them)"
                )
                return report
            }
            previousHash = AuditLog.hash(line)
            if !seenHead, previousHash == expectHead { seenHead = true }
        }
        report.head = previousHash
        if !seenHead {
            report.problem = (
                lines.count,
                "the head kept earlier (\(expectHead ?? "")) is not in the trail: lines were cut from its end (it has \(lines.count) now)"
            )
        }
        return report
    }

    /// Every record of the trail at `path`, in order (lines that do not parse are skipped:
    /// `verify` is the place that names them).
    package static func records(path: String) throws(AuditError) -> [AuditRecord] {
        let data: Data?
        do {
            data = try SecureFile.readOwn(path, kind: "audit trail", maximumBytes: maximumBytes)
        } catch {
            throw AuditError(error.description)
        }
        return records(in: data ?? Data())
    }

    /// The records in some lines of a trail (what `--follow` reads as the file grows).
    package static func records(in data: Data) -> [AuditRecord] {
        data.split(separator: 0x0A).compactMap { try? AuditLog.decoder.decode(AuditRecord.self, from: Data($0)) }
    }
}
