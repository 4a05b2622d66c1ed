import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// One marker secret through every path at once: the wizard in tmux, `connect`, `import` and a
/// served sandbox, with debug logging on. Then every place a secret could leak is searched.
@Suite("Canary across the wizard, the commands, import and the sandbox", .serialized)
struct CanaryEndToEndTests {
    @Test("the marker appears in no screen, scrollback, output, log, journal, report, database file or command line")
    func canary() async throws {
        let data = try TemporaryDirectory()
        let marker = "CANARY\(UUID().uuidString.prefix(12).replacingOccurrences(of: "-", with: ""))"
        let served = try ServedSandbox(binary: try OnboardBinary.path(), database: data.path + "/served.sqlite", key: "ak_canary_test")
        defer { served.kill(signal: SIGTERM) }
        let log = data.path + "/debug.log"
        let remote = [
            "COMPOSIO_API_KEY": "ak_canary_test", "COMPOSIO_BASE_URL": "http://127.0.0.1:\(served.port)", "ONBOARD_LOG": "debug",
            "ONBOARD_LOG_FILE": log,
        ]
        var places: [String: String] = [:]

        // The wizard: the marker typed into a masked field, connected, with --verbose.
        let environment = remote.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        let tmux = try TmuxSession(
            command: WizardEndToEndTests.command(try OnboardBinary.path(), data: data.path, extra: environment + " ") + "", width: 100, height: 30)
        try tmux.recordOutput(to: data.path + "/pane-output")
        try await WizardFlowEndToEndTests.choose(tmux, "freshdesk")
        try await tmux.waitFor("Subdomain")
        try tmux.keys("Enter")
        try tmux.type("acme")
        try tmux.keys("Tab")
        try tmux.type("fd-\(marker)-wizard")
        let masked = try await tmux.waitFor("characters")
        places["wizard screen"] = masked
        let wizardPid = try TerminalEndToEndTests.onboardPid(tmux)
        places["wizard /proc/cmdline"] = try String(contentsOfFile: "/proc/\(wizardPid)/cmdline", encoding: .utf8)
        try tmux.keys("Enter")
        try await tmux.waitFor("••••••••zard")
        try tmux.keys("Enter")
        try await tmux.waitFor("✓ Connected")
        try tmux.keys("Enter")
        _ = try await WizardFlowEndToEndTests.exitCode(data)
        places["wizard scrollback"] = try tmux.history()
        places["wizard raw output"] = try String(contentsOfFile: data.path + "/pane-output", encoding: .utf8)

        // connect: the marker on stdin, verbose.
        let freshdesk = try CommandEndToEndTests.configId("freshdesk", data: data, environment: remote)
        let connect = try CommandEndToEndTests.onboard(
            ["connect", "--auth-config", freshdesk, "--user-id", "cli", "--field", "subdomain=acme", "--secrets-stdin", "--verbose", "--json"],
            input: "generic_api_key=fd-\(marker)-cli\n", data: data, environment: remote)
        #expect(connect.status == 0)
        places["connect stdout"] = connect.stdout
        places["connect stderr"] = connect.stderr

        // import: the marker in every row, and one row the server refuses (no subdomain default).
        var csv = "user_id,subdomain,generic_api_key\n"
        for index in 0..<20 { csv += "canary\(index),acme,fd-\(marker)-\(index)\n" }
        let file = data.path + "/users.csv"
        try csv.write(toFile: file, atomically: true, encoding: .utf8)
        let imported = try CommandEndToEndTests.onboard(
            ["import", file, "--auth-config", freshdesk, "--report", data.path + "/report.json", "--verbose"], data: data, environment: remote)
        #expect(imported.status == 0)
        places["import stdout"] = imported.stdout
        places["import stderr"] = imported.stderr
        places["import journal"] = try String(contentsOfFile: file + ".journal", encoding: .utf8)
        places["import report"] = try String(contentsOfFile: data.path + "/report.json", encoding: .utf8)

        // Values in the wrong place must not be quoted back: a CSV saved without its header,
        // a JSON Lines key that is the secret, a base64 key piped without NAME= (it ends in =),
        // and a secret pasted where a name belongs, for connect and rotate.
        let headerless = data.path + "/headerless.csv"
        try "alice,fd-\(marker)-headerless\nbob,fd-\(marker)-second\n".write(toFile: headerless, atomically: true, encoding: .utf8)
        let headerlessRun = try CommandEndToEndTests.onboard(["import", headerless, "--auth-config", freshdesk, "--dry-run"], data: data, environment: remote)
        #expect(headerlessRun.status != 0)
        #expect(headerlessRun.stderr.contains("header is missing"))
        places["import without a header"] = headerlessRun.stdout + headerlessRun.stderr
        let keyed = data.path + "/keyed.jsonl"
        try "{\"user_id\": \"k1\", \"subdomain\": \"acme\", \"fd-\(marker)-as-key\": \"x\"}\n".write(toFile: keyed, atomically: true, encoding: .utf8)
        let keyedRun = try CommandEndToEndTests.onboard(["import", keyed, "--auth-config", freshdesk, "--dry-run"], data: data, environment: remote)
        #expect(keyedRun.status != 0)
        #expect(keyedRun.stderr.contains("a key first seen in row 1 is not a field of this auth config"))
        places["import with the secret as a key"] = keyedRun.stdout + keyedRun.stderr
        for (label, input) in [("base64 without a name", "ZmQt\(marker)LWJhc2U2NA==\n"), ("a secret as the name", "fd-\(marker)-name=value\n")] {
            let run = try CommandEndToEndTests.onboard(
                ["connect", "--auth-config", freshdesk, "--user-id", "named", "--field", "subdomain=acme", "--secrets-stdin"], input: input, data: data,
                environment: remote)
            #expect(run.status == 2)
            #expect(run.stderr.contains("The name on line 1 of the secrets is not a field of this auth config"))
            places["connect, \(label)"] = run.stdout + run.stderr
            let rotate = try CommandEndToEndTests.onboard(["rotate", freshdesk, "--secrets-stdin"], input: input, data: data, environment: remote)
            #expect(rotate.status == 2)
            places["rotate, \(label)"] = rotate.stdout + rotate.stderr
        }

        places["wizard audit trail"] = try String(contentsOfFile: data.path + "/state/onboard/audit.jsonl", encoding: .utf8)
        places["commands audit trail"] = try String(contentsOfFile: data.path + "/xdg-state/onboard/audit.jsonl", encoding: .utf8)
        #expect((places["commands audit trail"] ?? "").contains("\"import.finished\""))

        places["debug log"] = try String(contentsOfFile: log, encoding: .utf8)
        #expect(!(places["debug log"] ?? "").isEmpty, "the debug log was written")
        for suffix in ["", "-wal", "-shm"] {
            if let bytes = FileManager.default.contents(atPath: data.path + "/served.sqlite" + suffix) {
                places["sandbox database\(suffix)"] = String(decoding: bytes, as: UTF8.self)
            }
        }
        #expect(places.count >= 20)
        for (place, text) in places {
            #expect(!text.contains(marker), "the marker leaked into \(place)")
        }
    }
}
