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
        /// Torn last lines cut off before an append (`audit.repaired`): where, and how many bytes.
        package var repairs: [(line: Int, bytes: Int)] = []
        /// Checkpoints whose signature was checked against the trail's public key.
        package var checkpoints = 0
        /// In a trail whose checkpoints name their signers: how many each key signed.
        package var signers: [String: Int] = [:]

        package static func == (lhs: Report, rhs: Report) -> Bool {
            lhs.lines == rhs.lines && lhs.head == rhs.head && lhs.problem?.line == rhs.problem?.line && lhs.problem?.message == rhs.problem?.message
                && lhs.repairs.map(\.line) == rhs.repairs.map(\.line) && lhs.repairs.map(\.bytes) == rhs.repairs.map(\.bytes)
        }

        /// The repairs in words ("" when there were none).
        package var repairSummary: String {
            guard !repairs.isEmpty else { return "" }
            let each = repairs.map { "line \($0.line) records \($0.bytes) bytes of a torn line cut off" }.joined(separator: "; ")
            return "\(repairs.count) repair\(repairs.count == 1 ? "" : "s"): \(each)."
        }
    }

    /// The largest trail read whole: years of events at a few hundred bytes each.
    package static let maximumBytes = 1 << 30

    /// A head verified before: how many lines the trail had then, and the hash of the last.
    package struct KeptHead: Codable, Equatable, Sendable {
        package var lines: Int
        package var head: String
        package init(lines: Int, head: String) {
            self.lines = lines
            self.head = head.lowercased()
        }
    }

    /// Checks `report` against a head verified before: the trail must still hold that many
    /// lines, and its line there must be the one verified (else it was emptied, cut or forked).
    package static func compare(_ report: inout Report, with kept: KeptHead, data: Data) {
        guard report.problem == nil else { return }
        if report.lines == 0 {
            report.problem = (0, "the trail is empty, but \(kept.lines) lines were verified here before: it was emptied or replaced")
            return
        }
        if report.lines < kept.lines {
            report.problem = (
                report.lines, "the trail has \(report.lines) lines, but \(kept.lines) were verified here before: lines were cut from its end"
            )
            return
        }
        let line = data.split(separator: 0x0A, omittingEmptySubsequences: false)[kept.lines - 1]
        if AuditLog.hash(Data(line)) != kept.head {
            report.problem = (
                kept.lines,
                "line \(kept.lines) is not the line verified here before (head \(kept.head.prefix(12))...): the trail was rewritten from there, or replaced by another"
            )
        }
    }

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
    /// With `signingKey` (base64), every checkpoint must carry its signature, and from the first
    /// one on every 100th line must be a checkpoint: lines rewritten before one (with the chain
    /// rebuilt after them) show. With `signers` instead (a shared trail, whose checkpoints name
    /// their writer's key), each checkpoint must be signed by the key it names, and that key
    /// must be one of `signers` unless the set is empty.
    package static func verify(_ data: Data, expectHead: String? = nil, signingKey: String? = nil, signers: Set<String>? = nil) -> Report {
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
            // Heads are hex: compared whatever the case they were copied in.
            if !seenHead, previousHash == expectHead?.lowercased() { seenHead = true }
            if record.event.event == AuditEvent.Kind.auditRepaired.rawValue { report.repairs.append((number, record.event.counts?["bytes"] ?? 0)) }
            if signingKey != nil || signers != nil {
                let isCheckpoint = record.event.event == AuditEvent.Kind.auditCheckpoint.rawValue
                let key = signers == nil ? signingKey : record.event.signer
                if isCheckpoint, !AuditSigner.isValid(record.event.signature, seq: number, prev: record.prev, publicKey: key ?? "") {
                    report.problem = (
                        number,
                        signers == nil
                            ? "line \(number) is a checkpoint not signed by the trail's key over the lines before it: they were rewritten (or the key is not this trail's)"
                            : "line \(number) is a checkpoint not signed by the key it names over the lines before it: they were rewritten"
                    )
                    return report
                }
                if isCheckpoint, let signers, !signers.isEmpty, let key, !signers.contains(key) {
                    report.problem = (
                        number,
                        "line \(number) is a checkpoint signed by \(key.prefix(12))..., not one of the keys given with --signing-key: whoever made it could have rewritten the lines before it"
                    )
                    return report
                }
                if isCheckpoint, let key, signers != nil { report.signers[key, default: 0] += 1 }
                if !isCheckpoint, report.checkpoints > 0, number % AuditSigner.interval == 0 {
                    report.problem = (number, "line \(number) should be a signed checkpoint: the trail was rewritten from there without its key")
                    return report
                }
                if isCheckpoint { report.checkpoints += 1 }
            }
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
