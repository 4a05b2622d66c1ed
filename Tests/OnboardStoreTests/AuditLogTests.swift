import Foundation
import Testing

@testable import OnboardStore

#if canImport(Glibc)
    import Glibc
#endif

@Suite("Audit trail: a hash chain in JSON Lines", .serialized)
struct AuditLogTests {
    static func trail(events: Int = 5) throws -> (AuditLog, String) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("onboard-audit-\(UUID().uuidString)").path
        let path = directory + "/state/audit.jsonl"
        let log = try AuditLog(path: path)
        for index in 0..<events {
            try log.append(
                AuditEvent(
                    .connectionCreated, actor: .init(user: "ops"), backend: "sandbox", authConfig: "ac_1", toolkit: "tavily", userId: "user-\(index)",
                    accountId: "ca_\(index)", status: "ACTIVE", fields: ["generic_api_key"], version: "test"))
        }
        return (log, path)
    }

    static func lines(_ path: String) throws -> [String] {
        try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map(String.init)
    }

    static func write(_ lines: [String], to path: String) throws {
        try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: false, encoding: .utf8)
    }

    @Test("a new trail starts with audit.started, is 0600 in a 0700 directory, and every line links to the one before")
    func appendAndVerify() throws {
        let (_, path) = try Self.trail()
        let lines = try Self.lines(path)
        #expect(lines.count == 6)
        #expect(lines[0].contains("\"event\":\"audit.started\"") && lines[0].contains(AuditLog.genesis))
        let record = try JSONSerialization.jsonObject(with: Data(lines[1].utf8)) as? [String: Any]
        #expect(record?["seq"] as? Int == 2)
        #expect(record?["user_id"] as? String == "user-0")
        #expect(record?["account_id"] as? String == "ca_0")
        #expect(record?["prev"] as? String == AuditLog.hash(Data(lines[0].utf8)))
        #expect((try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int) == 0o600)
        let directory = (path as NSString).deletingLastPathComponent
        #expect((try FileManager.default.attributesOfItem(atPath: directory)[.posixPermissions] as? Int) == 0o700)
        let report = try AuditVerification.verify(path: path)
        #expect(report.problem == nil)
        #expect(report.lines == 6)
        #expect(report.head == AuditLog.hash(Data(lines[5].utf8)))
    }

    @Test("verify names the line for an edit, a removal, a reordering, an insertion and a cut end")
    func tampering() throws {
        let (_, path) = try Self.trail()
        let original = try Self.lines(path)
        let head = try AuditVerification.verify(path: path).head
        func problem(_ lines: [String], expectHead: String? = nil) throws -> (line: Int, message: String)? {
            try Self.write(lines, to: path)
            return try AuditVerification.verify(path: path, expectHead: expectHead).problem
        }
        var edited = original
        edited[2] = edited[2].replacingOccurrences(of: "user-1", with: "user-X")
        #expect(try problem(edited)?.line == 3)
        #expect(try problem(edited)?.message.contains("line 3 was changed") == true)

        var removed = original
        removed.remove(at: 3)
        #expect(try problem(removed)?.line == 4)
        #expect(try problem(removed)?.message.contains("removed") == true)

        var reordered = original
        reordered.swapAt(2, 3)
        #expect(try problem(reordered)?.line == 3)

        var inserted = original
        inserted.insert(original[2], at: 3)
        #expect(try problem(inserted)?.line == 4)

        var firstGone = original
        firstGone.removeFirst()
        #expect(try problem(firstGone)?.line == 1)

        #expect(try problem(original, expectHead: head) == nil)
        let cut = Array(original.dropLast(2))
        #expect(try problem(cut) == nil, "a cut end alone verifies")
        let caught = try problem(cut, expectHead: head)
        #expect(caught?.message.contains("cut from its end") == true)

        var garbage = original
        garbage[4] = "not json"
        #expect(try problem(garbage)?.line == 5)
    }

    @Test("a link planted at the trail's path, or a last line that is not a record, is refused")
    func refusals() throws {
        let (log, path) = try Self.trail(events: 1)
        let planted = (path as NSString).deletingLastPathComponent + "/planted.jsonl"
        symlink(path, planted)
        #expect(throws: AuditError.self) { try AuditLog(path: planted) }
        let handle = try #require(FileHandle(forWritingAtPath: path))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data("garbage\n".utf8))
        try handle.close()
        #expect(throws: AuditError.self) { try log.append(AuditEvent(.connectionDeleted, actor: .init(user: "ops"), version: "test")) }
    }

    @Test("a torn last line (no newline) is cut off under the lock and the cut recorded; the next append goes on and the chain verifies")
    func tornLineRepaired() throws {
        let (log, path) = try Self.trail(events: 3)
        let torn = #"{"event":{"event":"connection.created","actor":{"user":"op"#
        let handle = try #require(FileHandle(forWritingAtPath: path))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(torn.utf8))
        try handle.close()
        try log.append(AuditEvent(.connectionDeleted, actor: .init(user: "ops"), accountId: "ca_0", version: "test"))
        let lines = try Self.lines(path)
        #expect(lines.count == 6, "start, 3 events, the repair, the new event")
        #expect(!lines.contains { $0.contains(torn) })
        let report = try AuditVerification.verify(path: path)
        #expect(report.problem == nil)
        #expect(report.repairs.count == 1 && report.repairs[0].line == 5 && report.repairs[0].bytes == torn.utf8.count)
        #expect(report.repairSummary.contains("\(torn.utf8.count) bytes"))
        let records = try AuditVerification.records(path: path)
        #expect(records.map(\.event.event).suffix(2) == ["audit.repaired", "connection.deleted"])
    }

    @Test("against a head kept before: an emptied, a cut and a rewritten trail fail; a grown one passes; heads compare in any case")
    func keptHead() throws {
        let (log, path) = try Self.trail(events: 4)
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        let first = AuditVerification.verify(data)
        let kept = AuditVerification.KeptHead(lines: first.lines, head: first.head.uppercased())
        // Grown since: fine.
        try log.append(AuditEvent(.connectionDeleted, actor: .init(user: "ops"), version: "test"))
        let grown = try Data(contentsOf: URL(fileURLWithPath: path))
        var report = AuditVerification.verify(grown, expectHead: first.head.uppercased())
        AuditVerification.compare(&report, with: kept, data: grown)
        #expect(report.problem == nil)
        // Emptied.
        report = AuditVerification.verify(Data())
        #expect(report.problem == nil, "an empty file is a whole chain in itself")
        AuditVerification.compare(&report, with: kept, data: Data())
        #expect(report.problem?.message.contains("empty") == true)
        // Cut to its first three lines.
        let cut = Data((try Self.lines(path).prefix(3).joined(separator: "\n") + "\n").utf8)
        report = AuditVerification.verify(cut)
        #expect(report.problem == nil)
        AuditVerification.compare(&report, with: kept, data: cut)
        #expect(report.problem?.message.contains("cut") == true)
        // A new trail of the same length written in its place (a fork).
        let (_, otherPath) = try Self.trail(events: 5)
        let other = try Data(contentsOf: URL(fileURLWithPath: otherPath))
        report = AuditVerification.verify(other)
        #expect(report.problem == nil)
        AuditVerification.compare(&report, with: kept, data: other)
        #expect(report.problem?.message.contains("rewritten") == true)
    }

    @Test("8 processes appending 500 events each at once leave one chain of 4,000 events (and 40 signed checkpoints) that verifies")
    func concurrentProcesses() throws {
        let (_, path) = try Self.trail(events: 0)
        let stress = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().path
        let binary = try #require(
            [stress + "/audit-stress", stress + "/../audit-stress", stress + "/../../audit-stress"].first { FileManager.default.isExecutableFile(atPath: $0) }
                ?? Self.findStress())
        var pids: [pid_t] = []
        for index in 0..<8 {
            var pid: pid_t = 0
            let argv = [binary, path, "500", "p\(index)"]
            var cArgs = argv.map { strdup($0) } + [nil]
            defer { for pointer in cArgs { free(pointer) } }
            #expect(posix_spawn(&pid, binary, nil, nil, &cArgs, environ) == 0)
            pids.append(pid)
        }
        for pid in pids {
            var status: Int32 = 0
            waitpid(pid, &status, 0)
            #expect(status == 0)
        }
        let report = try AuditVerification.verify(path: path)
        #expect(report.problem == nil)
        #expect(report.lines == 4_041, "4,000 events after the start line, and a signed checkpoint every 100th line")
        #expect(AuditVerification.verify(try Data(contentsOf: URL(fileURLWithPath: path)), signingKey: AuditSigner.publicKey(trail: path)).checkpoints == 40)
        let records = try AuditVerification.records(path: path)
        for index in 0..<8 { #expect(records.filter { $0.event.actor.user == "p\(index)" && $0.event.event == "connection.created" }.count == 500) }
    }

    /// The stress helper sits beside the test bundle in the build directory.
    static func findStress() -> String? {
        var directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for _ in 0..<6 {
            let candidate = directory.appendingPathComponent("audit-stress").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            directory.deleteLastPathComponent()
        }
        return nil
    }
}

@Suite("A gateway session's audit sink")
struct GatewayAuditSinkTests {
    @Test("the wait for the gateway's ok is bounded: no answer fails the record in time, an ok passes it")
    func boundedWait() async throws {
        var ends: [Int32] = [-1, -1]
        #expect(socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0, &ends) == 0)
        defer {
            close(ends[0])
            close(ends[1])
        }
        let sink = GatewayAuditSink(descriptor: ends[0], patience: .seconds(1))
        let event = AuditEvent(.connectionCreated, actor: .init(user: "ops"), accountId: "ca_1", version: "test")
        let started = ContinuousClock.now
        await #expect(throws: AuditError.self) { try await sink.record(event) }
        #expect(ContinuousClock.now - started < .seconds(5))
        // The gateway answers this time.
        _ = write(ends[1], "ok\n", 3)
        try await sink.record(event)
    }
}

@Suite("Audit trail: signed checkpoints")
struct AuditCheckpointTests {
    @Test("every 100th line is a checkpoint signed with the trail's key; a rewrite before one, chain rebuilt, fails; without the checkpoints too")
    func checkpoints() throws {
        let (_, path) = try AuditLogTests.trail(events: 240)
        let key = try #require(AuditSigner.publicKey(trail: path))
        let mode = try #require(try FileManager.default.attributesOfItem(atPath: path + ".key")[.posixPermissions] as? Int)
        #expect(mode == 0o600)
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        let report = AuditVerification.verify(data, signingKey: key)
        #expect(report.problem == nil && report.checkpoints == 2, "lines 100 and 200")
        let lines = try AuditLogTests.lines(path)
        #expect(lines[99].contains("audit.checkpoint") && lines[199].contains("audit.checkpoint"))

        // Someone who can write the file but not read the key edits line 50 and rebuilds the chain.
        var records = lines.map { try? AuditLog.decoder.decode(AuditRecord.self, from: Data($0.utf8)) }
        records[49]?.event.userId = "someone-else"
        var rebuilt: [String] = []
        var previous = AuditLog.genesis
        for record in records {
            guard var record else { continue }
            record.prev = previous
            let line = AuditLog.encode(record)
            previous = AuditLog.hash(line)
            rebuilt.append(String(decoding: line, as: UTF8.self))
        }
        let forged = Data((rebuilt.joined(separator: "\n") + "\n").utf8)
        #expect(AuditVerification.verify(forged).problem == nil, "the chain alone is whole again")
        let caught = AuditVerification.verify(forged, signingKey: key)
        #expect(caught.problem?.line == 100 && caught.problem?.message.contains("not signed") == true)

        // Dropping the checkpoints does not help once one was seen: the next 100th line must be one.
        let withoutSecond = Data((lines.enumerated().filter { $0.offset != 199 }.map(\.element).joined(separator: "\n") + "\n").utf8)
        #expect(AuditVerification.verify(withoutSecond, signingKey: key).problem != nil)
        // Another key does not verify this trail's checkpoints.
        let (_, other) = try AuditLogTests.trail(events: 1)
        let otherKey = try #require(AuditSigner.publicKey(trail: other))
        #expect(AuditVerification.verify(data, signingKey: otherKey).problem?.line == 100)
    }
}
