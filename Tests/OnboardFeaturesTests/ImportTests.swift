import ComposioAPI
import ComposioSandbox
import Foundation
import Logging
import OnboardCore
import OnboardTestSupport
import Synchronization
import Testing

@testable import OnboardFeatures
@testable import OnboardLive

/// What a command printed, captured.
final class CapturedOutput: Sendable {
    private let text = Mutex<(out: String, err: String)>(("", ""))
    var out: String { text.withLock { $0.out } }
    var err: String { text.withLock { $0.err } }

    var output: CommandOutput {
        CommandOutput(writeOut: { line in self.text.withLock { $0.out += line } }, writeErr: { line in self.text.withLock { $0.err += line } })
    }
}

/// A sandbox and a client on it (in process), torn down after `body`.
func withSandboxClient(_ body: (ComposioClient) async throws -> Void) async throws {
    try await SandboxFixture.withClient(key: "ak_import_tests", body)
}

@Suite("Import and the other commands against a live sandbox", .serialized)
struct ImportTests {
    let directory: String = {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("onboard-import-\(UUID().uuidString)").path
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }()

    static func freshdesk(_ client: ComposioClient) async throws -> AuthConfigSummary {
        try #require(try await client.listAuthConfigs(AuthConfigQuery(toolkitSlug: "freshdesk")).items.first)
    }

    func write(_ name: String, _ text: String) throws -> String {
        let path = directory + "/" + name
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    static func accounts(_ client: ComposioClient, _ config: AuthConfigSummary, user: String) async throws -> [ConnectedAccount] {
        try await client.listConnectedAccounts(ConnectedAccountQuery(userIds: [user], authConfigIds: [config.id])).items
    }

    @Test("a row journaled as started whose account exists is adopted, not created again; users already connected are skipped")
    func resumesAmbiguousRows() async throws {
        try await withSandboxClient { client in
            let config = try await Self.freshdesk(client)
            let file = try write("users.csv", "user_id,subdomain,generic_api_key\nalice,acme,KEY-A\nbob,acme,KEY-B\ncarol,acme,KEY-C\n")
            // A previous run sent alice's create and was killed before journaling the answer.
            let journal = try ImportJournal(path: file + ".journal", authConfigId: config.id, file: try ImportAction.readFile(file))
            try journal.started(row: 2, userId: "alice", existing: [])
            let made = try await client.createConnectedAccount(
                ConnectionRequest(
                    authConfigId: config.id, userId: "alice", authScheme: .apiKey, values: ["subdomain": Secret("acme"), "generic_api_key": Secret("KEY-A")]))
            // carol was connected some other way before the import.
            let carols = try await client.createConnectedAccount(
                ConnectionRequest(
                    authConfigId: config.id, userId: "carol", authScheme: .apiKey, values: ["subdomain": Secret("acme"), "generic_api_key": Secret("OLD")]))

            let report = try await ImportAction.run(client, ImportAction.Options(filePath: file, authConfigId: config.id)).report
            #expect(report.rows.map(\.outcome) == [.alreadyImported, .created, .skipped])
            #expect(report.rows[0].accountId == made.id)
            #expect(report.rows[2].accountId == carols.id)
            #expect(try await Self.accounts(client, config, user: "alice").count == 1)
            #expect(try await Self.accounts(client, config, user: "bob").count == 1)
            let summary = report.summary
            let counts: [Int] = [summary.created, summary.updated, summary.alreadyImported, summary.skipped, summary.failed, summary.total]
            #expect(counts == [1, 0, 1, 1, 0, 3])

            // With --replace, carol's old account goes once the new one is ACTIVE; the others stay done.
            let replacing = try await ImportAction.run(client, ImportAction.Options(filePath: file, authConfigId: config.id, replace: true)).report
            #expect(replacing.rows.map(\.outcome) == [.alreadyImported, .alreadyImported, .created])
            #expect(replacing.rows[2].replaced == [carols.id])
            let carolNow = try await Self.accounts(client, config, user: "carol")
            #expect(carolNow.map(\.id) == [replacing.rows[2].accountId])
        }
    }

    @Test("a file with problems sends nothing and lists them all; a dry run plans without creating")
    func checksBeforeSending() async throws {
        try await withSandboxClient { client in
            let config = try await Self.freshdesk(client)
            let bad = try write("bad.csv", "user_id,subdomain,generic_api_key,extra\nalice,acme,SECRET-1,x\nalice,,SECRET-2,\n")
            let refused = await #expect(throws: ImportAction.Problems.self) {
                _ = try await ImportAction.run(client, ImportAction.Options(filePath: bad, authConfigId: config.id))
            }
            let said = (refused?.problems ?? []).map { "\($0)" }.joined(separator: "\n")
            #expect(said.contains("column 4 of the header is not a field of this auth config"))
            #expect(said.contains("row 3: the same user_id as row 2"))
            #expect(said.contains("row 3: missing subdomain"))
            #expect(!said.contains("SECRET"))
            #expect(try await client.listConnectedAccounts(ConnectedAccountQuery(authConfigIds: [config.id])).items.isEmpty)

            let good = try write("good.jsonl", #"{"user_id": "dan", "subdomain": "acme", "generic_api_key": "SECRET-3"}"# + "\n")
            let dry = try await ImportAction.run(client, ImportAction.Options(filePath: good, authConfigId: config.id, dryRun: true)).report
            #expect(dry.rows.map(\.outcome) == [.toCreate])
            #expect(!FileManager.default.fileExists(atPath: good + ".journal"))
            #expect(try await client.listConnectedAccounts(ConnectedAccountQuery(authConfigIds: [config.id])).items.isEmpty)
        }
    }

    @Test("the journal refuses another file's import, skips a line torn by a crash, and is 0600")
    func journalSafety() throws {
        let file = ImportFile.parse("user_id,api_key\nalice,k\n", fileName: "a.csv")
        let path = directory + "/a.journal"
        let journal = try ImportJournal(path: path, authConfigId: "ac_1", file: file)
        try journal.done(row: 2, userId: "alice", accountId: "ca_1", status: "ACTIVE", replaced: [])
        let handle = try #require(FileHandle(forWritingAtPath: path))
        handle.seekToEndOfFile()
        handle.write(Data(#"{"kind":"done","row":3,"user_id":"bo"#.utf8))
        try handle.close()
        let reopened = try ImportJournal(path: path, authConfigId: "ac_1", file: file)
        #expect(reopened.rows == [2: .done(accountId: "ca_1", status: "ACTIVE", replaced: [])])
        let other = ImportFile.parse("user_id,api_key\nzed,k\n", fileName: "a.csv")
        #expect(throws: UsageError.self) { try ImportJournal(path: path, authConfigId: "ac_1", file: other) }
        #expect(throws: UsageError.self) { try ImportJournal(path: path, authConfigId: "ac_2", file: file) }
        let mode = try #require(try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int)
        #expect(mode == 0o600)
    }

    @Test("rotate replaces the shared credentials from a 0600 file and names the fields, never the values")
    func rotate() async throws {
        try await withSandboxClient { client in
            let config = try await Self.freshdesk(client)
            _ = try await client.updateSharedCredentials(authConfigId: config.id, configType: "custom", values: ["subdomain": Secret("old")])
            let secrets = try write("shared.env", "subdomain=ROTATED-VALUE\n")
            chmod(secrets, 0o600)
            let rotated = try await RotateAction.run(client, authConfigId: config.id, secrets: .file(secrets), ask: nil)
            #expect(rotated.updatedFields == ["subdomain"] && rotated.sharedFields == ["subdomain"] && rotated.confirmed)

            let unknown = try write("unknown.env", "api_token=x\n")
            chmod(unknown, 0o600)
            await #expect(throws: UsageError.self) {
                try await RotateAction.run(client, authConfigId: config.id, secrets: .file(unknown), ask: nil)
            }
            // A config without shared credentials: none to ask for, but one of its fields can be shared.
            let tavily = try #require(try await client.listAuthConfigs(AuthConfigQuery(toolkitSlug: "tavily")).items.first)
            await #expect(throws: CommandFailure.self) {
                try await RotateAction.run(client, authConfigId: tavily.id, secrets: nil, ask: nil)
            }
            await #expect(throws: UsageError.self) {
                try await RotateAction.run(client, authConfigId: tavily.id, secrets: .file(secrets), ask: nil)
            }
            let key = try write("tavily.env", "generic_api_key=tvly-SHARED\n")
            chmod(key, 0o600)
            _ = try await RotateAction.run(client, authConfigId: tavily.id, secrets: .file(key), ask: nil)
            #expect(try await client.authConfig(id: tavily.id).sharedFieldNames == ["generic_api_key"])
            // Asked for on a terminal: each shared field in turn; Ctrl-C there stops with nothing sent.
            let asked = Mutex<[String]>([])
            _ = try await RotateAction.run(
                client, authConfigId: config.id, secrets: nil,
                ask: RotateAction.Ask { name in
                    asked.withLock { $0.append(name) }
                    return .entered(Secret("typed-subdomain"))
                })
            #expect(asked.withLock { $0 } == ["subdomain"])
            await #expect(throws: InterruptedError.self) {
                try await RotateAction.run(client, authConfigId: config.id, secrets: nil, ask: RotateAction.Ask { _ in .interrupted })
            }
        }
    }
}

@Suite("Import pacing, progress and the echo-off line")
struct ImportPacingTests {
    @Test("with the budget spent, one request at a time goes until a reply shows a new window")
    func pacerHoldsAtTheLimit() async throws {
        let time = ManualTimekeeper()
        let pacer = RateLimitPacer(timekeeper: time)
        try await pacer.admit()
        await pacer.finished(status: 200, headers: ["x-ratelimit": "100", "x-ratelimit-remaining": "1"])
        try await pacer.admit()
        // The budget is spent and one request is out: the next waits for its reply, however long.
        let waiting = Task { try await pacer.admit() }
        #expect(await time.untilSleeping())
        time.advance(by: .seconds(30))
        #expect(await time.untilSleeping())
        #expect(await pacer.totals.requests == 2)
        await pacer.finished(status: 200, headers: ["x-ratelimit": "100", "x-ratelimit-remaining": "99"])
        time.advance(by: .milliseconds(20))
        try await waiting.value
        #expect(await pacer.totals.requests == 3)
    }

    @Test("a 429 pauses every request for exactly its Retry-After and is counted")
    func pacerPausesOn429() async throws {
        let time = ManualTimekeeper()
        let pacer = RateLimitPacer(timekeeper: time)
        try await pacer.admit()
        await pacer.finished(status: 429, headers: ["retry-after": "1"])
        #expect(await pacer.pauseRemaining == .seconds(1))
        let admitted = Task { try await pacer.admit() }
        #expect(await time.untilSleeping())
        time.advance(by: .milliseconds(999))
        #expect(await time.untilSleeping(), "still held 1 ms before the pause ends")
        #expect(await pacer.totals.requests == 1)
        time.advance(by: .milliseconds(1))
        try await admitted.value
        #expect(await pacer.totals == RateLimitPacer.Counts(requests: 2, rateLimited: 1))
    }

    @Test("the progress line shows done/total, percent, rate, ETA and failures")
    func progressLine() {
        let counts = ImportProgress.Counts(done: 700, failed: 2)
        #expect(
            ImportProgress.line(counts: counts, total: 2000, elapsed: .seconds(7), bar: true)
                == "[########................] 700/2000  35%  100/s  ETA 0:13  2 failed")
        #expect(
            ImportProgress.line(counts: counts, total: 2000, settledBefore: 300, elapsed: .seconds(4), bar: false)
                == "import: 700/2000 rows (35%), 100/s, ETA 0:13, 2 failed")
    }
}
