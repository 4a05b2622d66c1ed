import Foundation
import OnboardCore
import OnboardFiles
import OnboardStore
import OnboardTestSupport
import Synchronization
import Testing

@testable import OnboardFeatures
@testable import OnboardLive
@testable import OnboardRuntime

/// The edges where outside bytes meet the terminal and the file system.
@Suite("Sealed paths: output, files, base URLs", .serialized)
struct SealedPathsTests {
    final class Captured: Sendable {
        let text = Mutex((out: "", err: ""))
        var output: CommandOutput {
            CommandOutput(writeOut: { line in self.text.withLock { $0.out += line } }, writeErr: { line in self.text.withLock { $0.err += line } })
        }
    }

    @Test("every CLI line is sanitised at the edge; JSON stays exact JSON with nothing a terminal acts on")
    func outputEdge() throws {
        let captured = Captured()
        let hostile = "name\u{1B}]52;c;b3duZWQ=\u{07}\u{9B}2J\u{202E}gpj.exe"
        captured.output.out("config: \(hostile)\nsecond line")
        captured.output.err("failed: \(hostile)")
        struct Record: Encodable { var name: String }
        captured.output.json(Record(name: hostile))
        let (out, err) = captured.text.withLock { $0 }
        #expect(out.hasPrefix("config: name␛]52;c;b3duZWQ=␇\u{FFFD}2Jgpj.exe\nsecond line\n"))
        #expect(err == "failed: name␛]52;c;b3duZWQ=␇\u{FFFD}2Jgpj.exe\n")
        let json = String(out.split(separator: "\n", maxSplits: 2)[2])
        #expect(!json.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x9B || $0.value == 0x202E || $0.value == 0x07 })
        let decoded = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: String]
        #expect(decoded?["name"] == hostile, "the JSON decodes to the exact text")
    }

    @Test("a JSON line (audit list --follow --json) is one line that decodes to the exact text, runs of spaces and line breaks kept")
    func jsonLineKeepsTheText() throws {
        let captured = Captured()
        struct Record: Encodable { var userId: String }
        let value = "two  spaces,   three, a tab\tand\na break \u{1B}[2J"
        captured.output.jsonLine(Record(userId: value))
        captured.output.jsonLine(Record(userId: "second"))
        let lines = captured.text.withLock { $0.out }.split(separator: "\n")
        #expect(lines.count == 2)
        let decoded = try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: String]
        #expect(decoded?["user_id"] == value)
    }

    @Test("invite watch: an invite with a line break in a stored value (a user id, a server's status) is one change")
    func watchLinesCannotBeForged() async throws {
        let path = NSTemporaryDirectory() + "onboard-watch-\(UUID().uuidString)/gateway.sqlite"
        let store = try SQLiteInviteStore(path: path)
        let now = Date()
        var invite = Invite(
            id: "inv_real", authConfig: "ac_1", userId: "bob\n06:00:00 UTC  inv_forged  mallory  ac_1  connected: ca_x ACTIVE", note: nil,
            createdBy: "op", createdAt: now, expiresAt: now.addingTimeInterval(600))
        invite.existing = .add
        try await store.create(invite, tokenDigest: "digest")
        _ = try await store.recordOutcome(id: "inv_real", accountId: "ca_1", status: "FAILED\r\n06:00:01 UTC  inv_other  eve", errorCode: nil)
        let changes = Mutex<[String]>([])
        let watching = Task {
            try await InviteCommands.watch(store: store, interval: .milliseconds(20)) { change in
                if let state = change.state { changes.withLock { $0.append("\(change.invite.id) \(state.rawValue)") } }
            }
        }
        try await Task.sleep(for: .milliseconds(300))
        watching.cancel()
        let seen = changes.withLock { $0 }
        #expect(seen.count == 1 && seen.allSatisfy { $0.hasPrefix("inv_real ") }, "\(seen)")
    }

    @Test("invite watch: a claim and a help request seen in one look are one change carrying both")
    func watchReportsAnInviteOncePerLook() async throws {
        let path = NSTemporaryDirectory() + "onboard-watch-\(UUID().uuidString)/gateway.sqlite"
        let store = try SQLiteInviteStore(path: path)
        let clock = ManualTimekeeper()
        let now = clock.date
        let invite = Invite(
            id: "inv_look", authConfig: "ac_1", userId: "bob", note: nil, createdBy: "op", createdAt: now, expiresAt: now.addingTimeInterval(600))
        try await store.create(invite, tokenDigest: "digest")
        let changes = Mutex<[InviteCommands.Change]>([])
        let watching = Task {
            try await InviteCommands.watch(store: store, timekeeper: clock) { change in changes.withLock { $0.append(change) } }
        }
        defer { watching.cancel() }
        #expect(await clock.untilSleeping())
        #expect(changes.withLock { $0.map(\.state) } == [.pending])
        _ = try await store.claim(tokenDigest: "digest", from: "127.0.0.9", at: clock.date)
        try await store.recordAssistance(id: "inv_look", helpAt: clock.date, note: nil)
        clock.advance(by: .milliseconds(500))
        #expect(await clock.untilSleeping())
        let seen = changes.withLock { $0 }
        #expect(seen.count == 2, "one change per look: \(seen)")
        #expect(seen.last?.state == .inSession)
        #expect(seen.last?.helpAskedAt != nil)
    }

    @Test("http:// is refused for any host but this machine, with the fix in the message")
    func plainHTTPOnlyToLoopback() throws {
        for host in ["http://127.0.0.1:9900", "http://localhost:9900", "http://[::1]:9900", "http://127.1.2.3"] {
            guard case .remote = try BackendChoice.from(environment: ["COMPOSIO_API_KEY": "ak_x", "COMPOSIO_BASE_URL": host]) else {
                Issue.record("\(host) should be allowed")
                continue
            }
        }
        for host in ["http://backend.composio.dev", "http://10.0.0.5:9900", "http://127.0.0.1.evil.example", "http://localhost.evil.example.com"] {
            #expect(throws: UsageError.self, "\(host)") { try BackendChoice.from(environment: ["COMPOSIO_API_KEY": "ak_x", "COMPOSIO_BASE_URL": host]) }
        }
        do {
            _ = try BackendChoice.from(environment: ["COMPOSIO_API_KEY": "ak_x", "COMPOSIO_BASE_URL": "http://example.com"])
        } catch let error as UsageError {
            #expect(error.description.contains("Use https://"))
        }
    }

    static func directory() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("onboard-files-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    @Test("owner-only files: links, FIFOs, open modes and oversize files are refused; the checks are on the open file")
    func ownerOnlyReads() throws {
        let dir = try Self.directory()
        let key = dir + "/key"
        try "ak_abc\n".write(toFile: key, atomically: true, encoding: .utf8)
        chmod(key, 0o600)
        #expect(try SecureFile.readOwnerOnly(key, kind: "key file", maximumBytes: 1024) == Data("ak_abc\n".utf8))
        chmod(key, 0o640)
        #expect(throws: SecureFileError.self) { try SecureFile.readOwnerOnly(key, kind: "key file", maximumBytes: 1024) }
        chmod(key, 0o600)
        symlink(key, dir + "/link")
        #expect(throws: SecureFileError.self) { try SecureFile.readOwnerOnly(dir + "/link", kind: "key file", maximumBytes: 1024) }
        #expect(throws: SecureFileError.self) { try SecureFile.readOwnerOnly(key, kind: "key file", maximumBytes: 3) }
        mkfifo(dir + "/fifo", 0o600)
        // A FIFO with no writer would block a plain open: it is refused at once instead.
        #expect(throws: SecureFileError.self) { try SecureFile.readOwnerOnly(dir + "/fifo", kind: "key file", maximumBytes: 1024) }
        #expect(throws: SecureFileError.self) { try SecureFile.readRegular(dir + "/fifo", kind: "file", maximumBytes: 1024) }
        #expect(throws: SecureFileError.self) { try SecureFile.readRegular("/dev/zero", kind: "file", maximumBytes: 1024) }
        #expect(throws: SecureFileError.self) { try SecureFile.readRegular(dir, kind: "file", maximumBytes: 1024) }
        #expect(try SecureFile.readRegular(dir + "/link", kind: "file", maximumBytes: 1024).count == 7, "a file the person names may be a link")
    }

    @Test("@path reads regular files only; a FIFO or /dev/zero is refused, not read")
    func atPathFiles() throws {
        let dir = try Self.directory()
        mkfifo(dir + "/fifo", 0o600)
        for path in [dir + "/fifo", "/dev/zero", dir] {
            guard case .failure(let failure) = SecretFile.read(path) else {
                Issue.record("\(path) was read")
                continue
            }
            #expect(failure.message.contains("regular file") || failure.message.contains("directory"))
        }
    }

    @Test("a file's directory is made owner-only with its missing parents; a file in the way is refused, by name")
    func privateDirectories() throws {
        #expect(SecureFile.directory(of: "/a/b/c") == "/a/b")
        #expect(SecureFile.directory(of: "/a//b//") == "/a")
        #expect(SecureFile.directory(of: "/c") == "/")
        #expect(SecureFile.directory(of: "c") == "")
        #expect(SecureFile.directory(of: "a/b") == "a")

        let dir = try Self.directory()
        let file = dir + "/state/onboard/audit.jsonl"
        try SecureFile.makeDirectory(for: file, kind: "audit trail")
        for made in [dir + "/state", dir + "/state/onboard"] {
            #expect((try FileManager.default.attributesOfItem(atPath: made)[.posixPermissions] as? Int) == 0o700)
        }
        try SecureFile.makeDirectory(for: file, kind: "audit trail")  // already there: nothing to do
        try SecureFile.makeDirectory(for: "bare-name.log", kind: "log")

        #expect(FileManager.default.createFile(atPath: dir + "/plain", contents: Data()))
        do {
            try SecureFile.makeDirectory(for: dir + "/plain/sub/x.sqlite", kind: "sandbox database")
            Issue.record("a regular file where a directory belongs was accepted")
        } catch {
            #expect(error.description.contains("\(dir)/plain/sub") && error.description.contains("sandbox database"))
        }
        do {
            try SecureFile.makeDirectory(for: dir + "/plain/x.sqlite", kind: "sandbox database")
            Issue.record("a regular file named as the directory was accepted")
        } catch {
            #expect(error.description.contains("not a directory"))
        }
    }

    @Test("createOnce: one winner among racers, never a half-written file; replace is atomic; appends tighten an open mode")
    func creation() async throws {
        let dir = try Self.directory()
        let path = dir + "/sandbox.key"
        let winners = Captured()
        await withTaskGroup(of: Void.self) { group in
            for index in 0..<16 {
                group.addTask {
                    let contents = Data(repeating: UInt8(index), count: 32)
                    if (try? SecureFile.createOnce(path, contents: contents, kind: "key")) == true { winners.text.withLock { $0.out += "won\n" } }
                }
            }
        }
        #expect(winners.text.withLock { $0.out } == "won\n")
        let stored = try SecureFile.readOwnerOnly(path, kind: "key", maximumBytes: 64)
        #expect(stored.count == 32 && Set(stored).count == 1)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == ["sandbox.key"], "no temporary file is left behind")
        #expect(try SecureFile.createOnce(path, contents: Data([1]), kind: "key") == false)

        let log = dir + "/onboard.log"
        #expect(FileManager.default.createFile(atPath: log, contents: Data(), attributes: [.posixPermissions: 0o644]))
        let descriptor = try SecureFile.openForAppend(log, kind: "log")
        close(descriptor)
        #expect((try FileManager.default.attributesOfItem(atPath: log)[.posixPermissions] as? Int) == 0o600)
        symlink(log, dir + "/planted")
        #expect(throws: SecureFileError.self) { try SecureFile.openForAppend(dir + "/planted", kind: "log") }

        try SecureFile.replace(dir + "/report.json", contents: Data("{}".utf8), kind: "report")
        #expect((try FileManager.default.attributesOfItem(atPath: dir + "/report.json")[.posixPermissions] as? Int) == 0o600)
    }
}
