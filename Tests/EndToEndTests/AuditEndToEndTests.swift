import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// The audit trail as an operator meets it: every command and the wizard append their events,
/// names and ids only, and `onboard audit` reads and verifies them.
@Suite("Audit trail end to end", .serialized)
struct AuditEndToEndTests {
    static func records(_ path: String) throws -> [[String: Any]] {
        try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map {
            try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
    }

    @Test("connect, a failed connect, a link, delete, rotate and import write their events field by field, and no value")
    func commandsWriteTheirEvents() throws {
        let data = try TemporaryDirectory()
        let marker = "AUDITCANARY\(UUID().uuidString.prefix(8))"
        let tavily = try CommandEndToEndTests.configId("tavily", data: data)
        let github = try CommandEndToEndTests.configId("github", data: data)
        let run = { (arguments: [String], input: String) in try CommandEndToEndTests.onboard(arguments, input: input, data: data) }

        #expect(try run(["connect", "--auth-config", tavily, "--user-id", "alice", "--secrets-stdin"], "generic_api_key=tvly-\(marker)\n").status == 0)
        #expect(try run(["connect", "--auth-config", tavily, "--user-id", "bob", "--secrets-stdin", "--validate"], "generic_api_key=\(marker)\n").status == 1)
        #expect(try run(["connect", "--auth-config", github, "--user-id", "carol", "--no-wait"], "").status == 0)
        let alice = try #require(
            (try run(["accounts", "--user-id", "alice", "--json"], "").json() as? [[String: Any]])?.first?["id"] as? String)
        #expect(try run(["accounts", "delete", alice], "").status == 0)
        #expect(try run(["rotate", tavily, "--secrets-stdin"], "generic_api_key=tvly-shared\(marker)\n").status == 0)
        let file = data.path + "/users.csv"
        try "user_id,generic_api_key\ndave,tvly-\(marker)d\n".write(toFile: file, atomically: true, encoding: .utf8)
        let freshTavily = try #require(
            try CommandEndToEndTests.onboard(
                ["sandbox", "auth-configs", "create", "--toolkit", "tavily", "--db", data.path + "/xdg/onboard/sandbox.sqlite"], data: data
            )
            .stdout.split(separator: "\n").first.map(String.init))
        #expect(try run(["import", file, "--auth-config", freshTavily], "").status == 0)

        let path = data.path + "/xdg-state/onboard/audit.jsonl"
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(!text.contains(marker), "no value reaches the trail")
        let records = try Self.records(path)
        let events = records.compactMap { $0["event"] as? String }
        #expect(
            events == [
                "audit.started", "connection.created", "connection.failed", "link.created", "connection.deleted", "auth_config.rotated",
                "import.started", "connection.created", "import.finished",
            ])
        let user = String(cString: getpwuid(geteuid()).pointee.pw_name)
        for (index, record) in records.enumerated() {
            #expect(record["seq"] as? Int == index + 1)
            #expect((record["actor"] as? [String: Any])?["user"] as? String == user)
            #expect(record["version"] as? String != nil && (record["time"] as? String)?.hasSuffix("Z") == true)
        }
        let created = records[1]
        #expect(created["auth_config"] as? String == tavily)
        #expect(created["toolkit"] as? String == "tavily")
        #expect(created["user_id"] as? String == "alice")
        #expect(created["account_id"] as? String == alice)
        #expect(created["status"] as? String == "ACTIVE")
        #expect(created["backend"] as? String == "sandbox")
        #expect(created["project"] as? String == "pr_sandbox_default")
        #expect(created["fields"] as? [String] == ["generic_api_key"])
        #expect(records[2]["status"] as? String == "FAILED" && records[2]["user_id"] as? String == "bob")
        #expect(records[3]["user_id"] as? String == "carol" && records[3]["status"] as? String == "INITIATED")
        #expect(records[4]["account_id"] as? String == alice && records[4]["user_id"] as? String == "alice")
        #expect(records[5]["fields"] as? [String] == ["generic_api_key"] && records[5]["auth_config"] as? String == tavily)
        #expect((records[8]["counts"] as? [String: Int])?["created"] == 1)

        let verified = try run(["audit", "verify"], "")
        #expect(verified.status == 0)
        #expect(verified.stdout.contains("verifies: 9 events"))
        let head = try run(["audit", "verify", "--head"], "").stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(head.count == 64)
        let table = try run(["audit", "--event", "connection.", "--user-id", "alice"], "")
        #expect(table.stdout.split(separator: "\n").count == 3, "a header and alice's two connection events:\n\(table.stdout)")
        let json = try #require(try run(["audit", "--json", "--since", "1h"], "").json() as? [[String: Any]])
        #expect(json.count == 9)

        // Edit one line: verify names it and exits 1; a cut end is caught with the head kept.
        var lines = text.split(separator: "\n").map(String.init)
        lines[2] = lines[2].replacingOccurrences(of: "\"bob\"", with: "\"mallory\"")
        try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: false, encoding: .utf8)
        let broken = try run(["audit", "verify"], "")
        #expect(broken.status == 1)
        #expect(broken.stderr.contains("line 3 was changed"))
        try (text.split(separator: "\n").dropLast().joined(separator: "\n") + "\n").write(toFile: path, atomically: false, encoding: .utf8)
        let cut = try run(["audit", "verify", "--expect-head", head], "")
        #expect(cut.status == 1)
        #expect(cut.stderr.contains("cut from its end"))

        // Off means off.
        let off = try CommandEndToEndTests.onboard(["accounts", "delete", "ca_nonexistent"], data: data, environment: ["ONBOARD_AUDIT": "off"])
        #expect(off.status == 1)
    }

    @Test("the wizard records the account it connected, with who connected it")
    func wizardWritesItsEvent() async throws {
        let data = try TemporaryDirectory()
        let tmux = try TmuxSession(command: WizardEndToEndTests.command(try OnboardBinary.path(), data: data.path))
        try await WizardFlowEndToEndTests.choose(tmux, "tavily")
        try await tmux.waitFor("User ID")
        try tmux.keys("Enter")
        try tmux.type("tvly-wizardkey123")
        try tmux.keys("Enter")
        try await tmux.waitFor("Step 3 of 4")
        try tmux.keys("Enter")
        try await tmux.waitFor("Connected")
        try tmux.keys("Enter")
        #expect(try await WizardFlowEndToEndTests.exitCode(data) == "0")
        let records = try Self.records(data.path + "/state/onboard/audit.jsonl")
        #expect(records.map { $0["event"] as? String } == ["audit.started", "connection.created"])
        #expect(records[1]["toolkit"] as? String == "tavily")
        #expect(records[1]["user_id"] as? String == "default")
        #expect((records[1]["account_id"] as? String)?.hasPrefix("ca_") == true)
        #expect(!(try String(contentsOfFile: data.path + "/state/onboard/audit.jsonl", encoding: .utf8)).contains("wizardkey"))
    }
}
