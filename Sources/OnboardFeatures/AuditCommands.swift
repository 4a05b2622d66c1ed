import Foundation
import OnboardCore
import OnboardFiles
import OnboardStore

/// `onboard audit` and `onboard audit verify`: reading the trail and checking its chain.
package enum AuditCommands {
    /// Which events to show.
    package struct Filter: Sendable {
        package var since: Date?
        package var userId: String?
        package var authConfig: String?
        /// An event name, or a prefix ending in `.` or `.*` (`connection.`).
        package var event: String?

        package init(since: Date? = nil, userId: String? = nil, authConfig: String? = nil, event: String? = nil) {
            self.since = since
            self.userId = userId
            self.authConfig = authConfig
            self.event = event
        }

        func matches(_ record: AuditRecord) -> Bool {
            if let since, let time = UTCTimestamp.parse(record.time), time < since { return false }
            if let userId, record.event.userId != userId { return false }
            if let authConfig, record.event.authConfig != authConfig { return false }
            if let event {
                let prefix = event.hasSuffix(".*") ? String(event.dropLast()) : event
                if prefix.hasSuffix(".") ? !record.event.event.hasPrefix(prefix) : record.event.event != event { return false }
            }
            return true
        }
    }

    /// `--since`: an ISO 8601 time (`2026-11-30`, `2026-11-30T09:00Z`) or an age (`30m`, `24h`, `7d`).
    package static func parseSince(_ text: String, now: Date = SystemTimekeeper().date) -> Date? {
        if let seconds = DurationText.seconds(text) { return now.addingTimeInterval(-seconds) }
        if let date = UTCTimestamp.parse(text) { return date }
        return UTCTimestamp.parse(text + "T00:00Z")
    }

    /// The matching events of the trail at `path`, oldest first, handed to `show` in batches:
    /// what is there, then (with `follow`) what is appended, until cancelled. False when there
    /// is no trail (and `follow` does not wait for one).
    package static func list(
        path: String, filter: Filter, follow: Bool, timekeeper: any Timekeeper = SystemTimekeeper(), show: ([AuditRecord]) -> Void
    ) async throws -> Bool {
        guard FileManager.default.fileExists(atPath: path) || follow else { return false }
        show(try AuditVerification.records(path: path).filter(filter.matches))
        guard follow else { return true }
        var offset = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
        var partial = Data()
        while !Task.isCancelled {
            try await timekeeper.sleep(for: .milliseconds(300))
            guard let handle = FileHandle(forReadingAtPath: path) else { continue }
            defer { try? handle.close() }
            try handle.seek(toOffset: UInt64(offset))
            let fresh = handle.readDataToEndOfFile()
            offset += fresh.count
            partial.append(fresh)
            // Only whole lines: one being written is read on the next pass.
            guard let lastNewline = partial.lastIndex(of: 0x0A) else { continue }
            let complete = partial[..<lastNewline]
            partial = Data(partial[(lastNewline + 1)...])
            let fresher = AuditVerification.records(in: Data(complete)).filter(filter.matches)
            if !fresher.isEmpty { show(fresher) }
        }
        return true
    }

    /// The trail in a shared PostgreSQL store: the same records and the same chain as the file.
    package static func list(
        database store: PostgresStore, filter: Filter, follow: Bool, timekeeper: any Timekeeper = SystemTimekeeper(), show: ([AuditRecord]) -> Void
    ) async throws {
        var records = AuditVerification.records(in: try await store.auditText())
        var seen = 0
        var first = true
        while true {
            let fresh = records.filter { $0.seq > seen }
            seen = records.last?.seq ?? seen
            let shown = fresh.filter(filter.matches)
            if first || !shown.isEmpty { show(shown) }
            first = false
            guard follow, !Task.isCancelled else { return }
            try await timekeeper.sleep(for: .seconds(1))
            // A database that restarts is waited out, as the gateways do.
            if let text = try? await store.auditText() { records = AuditVerification.records(in: text) }
        }
    }

    /// What a verify found in a trail whose chain is whole.
    package struct Verified: Sendable {
        /// The file's path, or the store's label.
        package var trail: String
        package var report: AuditVerification.Report
        /// A file trail's public signing key (given, or the one beside it).
        package var publicKey: String?
    }

    /// Checks the shared store's chain and its checkpoints, each signed by the writer it names;
    /// with `signers`, only those keys may have signed. Throws (exit 1) when it is broken.
    package static func verify(database store: PostgresStore, expectHead: String?, signers: Set<String> = []) async throws -> Verified {
        let data = try await store.auditText()
        var report = AuditVerification.verify(data, expectHead: expectHead, signers: signers)
        let heads = KeptHeads()
        if let kept = heads.kept(for: store.settings.label) { AuditVerification.compare(&report, with: kept, data: data) }
        if let problem = report.problem {
            throw CommandFailure("The audit trail in \(store.settings.label) does not verify: \(problem.message).")
        }
        heads.keep(AuditVerification.KeptHead(lines: report.lines, head: report.head), for: store.settings.label)
        return Verified(trail: store.settings.label, report: report, publicKey: nil)
    }

    /// Checks the chain of the file at `path`. Throws (exit 1) when it is broken.
    package static func verify(path: String, expectHead: String?, signingKey: String? = nil) throws -> Verified {
        let heads = KeptHeads()
        let kept = heads.kept(for: path)
        var report: AuditVerification.Report
        let data: Data
        do {
            // A trail that was verified here before must still be there.
            guard let read = try SecureFile.readOwn(path, kind: "audit trail", maximumBytes: AuditVerification.maximumBytes) else {
                if let kept {
                    throw CommandFailure(
                        "The audit trail \(path) is gone, but \(kept.lines) lines were verified here before: it was deleted or moved.")
                }
                throw CommandFailure("There is no audit trail at \(path) yet; onboard writes one with its first action.")
            }
            data = read
        } catch let error as SecureFileError {
            throw CommandFailure(error.description)
        }
        let publicKey = signingKey ?? AuditSigner.publicKey(trail: path)
        report = AuditVerification.verify(data, expectHead: expectHead, signingKey: publicKey)
        if let kept { AuditVerification.compare(&report, with: kept, data: data) }
        if let problem = report.problem {
            throw CommandFailure("The audit trail \(path) does not verify: \(problem.message).")
        }
        heads.keep(AuditVerification.KeptHead(lines: report.lines, head: report.head), for: path)
        return Verified(trail: path, report: report, publicKey: publicKey)
    }
}

/// The last head `audit verify` verified for each trail, kept in the state directory (0600), so
/// the next verify can tell a trail that was emptied, cut or rewritten since: a chain that is
/// whole in itself proves nothing about lines that are gone.
struct KeptHeads {
    let path: String

    init(environment: [String: String] = ProcessEnvironment.current()) {
        path = SecureFile.directory(of: AuditLog.defaultPath(environment: environment)) + "/audit-verified.json"
    }

    private func all() -> [String: AuditVerification.KeptHead] {
        guard let data = try? SecureFile.readOwnerOnly(path, kind: "verified heads", maximumBytes: 1 << 20) else { return [:] }
        return (try? JSONDecoder().decode([String: AuditVerification.KeptHead].self, from: data)) ?? [:]
    }

    func kept(for trail: String) -> AuditVerification.KeptHead? { all()[trail] }

    /// Records `head` for `trail` (best effort: a verify that cannot keep its head still verified).
    func keep(_ head: AuditVerification.KeptHead, for trail: String) {
        var heads = all()
        heads[trail] = head
        guard let data = try? JSONEncoder().encode(heads) else { return }
        try? SecureFile.makeDirectory(for: path, kind: "state directory")
        try? SecureFile.replace(path, contents: data, kind: "verified heads")
    }
}
