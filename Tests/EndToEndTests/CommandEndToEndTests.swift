import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// The non-interactive commands, run as a script would: the real binary, stdin from a file,
/// stdout and stderr captured, exit codes checked.
@Suite("Commands end to end", .serialized)
struct CommandEndToEndTests {
    struct Run {
        var status: Int32
        var stdout: String
        var stderr: String

        func json() throws -> Any {
            try JSONSerialization.jsonObject(with: Data(stdout.utf8))
        }
    }

    /// Runs `onboard arguments...` with `input` on stdin, against the embedded sandbox in `data`
    /// unless `environment` points elsewhere.
    static func onboard(_ arguments: [String], input: String = "", data: TemporaryDirectory, environment extra: [String: String] = [:]) throws -> Run {
        let id = UUID().uuidString.prefix(8)
        let (stdin, stdout, stderr) = ("\(data.path)/in-\(id)", "\(data.path)/out-\(id)", "\(data.path)/err-\(id)")
        try input.write(toFile: stdin, atomically: true, encoding: .utf8)
        let pid = try ChildProcess.spawn(
            [try OnboardBinary.path()] + arguments, environment: environment(data, extra), stdin: stdin, stdout: stdout, stderr: stderr)
        let status = ChildProcess.wait(pid)
        return Run(
            status: status, stdout: (try? String(contentsOfFile: stdout, encoding: .utf8)) ?? "",
            stderr: (try? String(contentsOfFile: stderr, encoding: .utf8)) ?? "")
    }

    static func environment(_ data: TemporaryDirectory, _ extra: [String: String]) -> [String: String] {
        var environment = ProcessInfo.processInfo.environment
        environment["XDG_DATA_HOME"] = data.path + "/xdg"
        environment["XDG_STATE_HOME"] = data.path + "/xdg-state"
        environment["COMPOSIO_API_KEY"] = nil
        environment["COMPOSIO_BASE_URL"] = nil
        environment["COMPOSIO_DISABLE_TELEMETRY"] = "true"
        for (key, value) in extra { environment[key] = value }
        return environment
    }

    static func configId(_ toolkit: String, data: TemporaryDirectory, environment: [String: String] = [:]) throws -> String {
        let run = try onboard(["auth-configs", "--json"], data: data, environment: environment)
        let configs = try #require(try run.json() as? [[String: Any]])
        return try #require(configs.first { $0["toolkit"] as? String == toolkit }?["id"] as? String)
    }

    @Test("listing commands print tables or JSON; usage mistakes exit 2 with what to do")
    func listingAndUsage() throws {
        let data = try TemporaryDirectory()
        let list = try Self.onboard(["auth-configs", "--json"], data: data)
        #expect(list.status == 0)
        let configs = try #require(try list.json() as? [[String: Any]])
        #expect(configs.count == 21)
        #expect(configs.allSatisfy { ($0["id"] as? String)?.hasPrefix("ac_") ?? false && $0["status"] as? String == "ENABLED" })
        let table = try Self.onboard(["auth-configs", "--search", "fresh"], data: data)
        #expect(table.stdout.hasPrefix("ID"))
        #expect(table.stdout.contains("freshdesk"))
        #expect(!table.stdout.contains("sendgrid"))

        let freshdesk = try Self.configId("freshdesk", data: data)
        let fields = try #require(try Self.onboard(["fields", freshdesk, "--json"], data: data).json() as? [String: Any])
        let described = try #require(fields["fields"] as? [[String: Any]])
        #expect(described.map { $0["name"] as? String } == ["subdomain", "generic_api_key"])
        #expect(described.map { $0["secret"] as? Bool } == [false, true])

        let secretOnArgv = try Self.onboard(["connect", "--auth-config", freshdesk, "--user-id", "u", "--field", "generic_api_key=x"], data: data)
        #expect(secretOnArgv.status == 2)
        #expect(secretOnArgv.stderr.contains("generic_api_key is a secret: pass it in --secrets-file PATH or --secrets-stdin"))
        let missing = try Self.onboard(["connect", "--auth-config", freshdesk, "--user-id", "u", "--field", "subdomain=acme"], data: data)
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("Missing required field: generic_api_key"))
        let both = try Self.onboard(["connect", "--auth-config", freshdesk, "--user-id", "u", "--replace", "--allow-multiple"], data: data)
        #expect(both.status == 2)
        #expect(both.stderr.contains("Give --replace or --allow-multiple, not both."))
        let badStatus = try Self.onboard(["accounts", "--status", "GONE"], data: data)
        #expect(badStatus.status == 2)
        #expect(badStatus.stderr.contains("--status must be one of"))
        let unknownConfig = try Self.onboard(["fields", "ac_nope"], data: data)
        #expect(unknownConfig.status == 1)
        #expect(!unknownConfig.stderr.isEmpty)
    }

    @Test("connect takes secrets from stdin only, refuses a second account, replaces on request; accounts get and delete")
    func connectAndAccounts() throws {
        let data = try TemporaryDirectory()
        let freshdesk = try Self.configId("freshdesk", data: data)
        let marker = "fd-CLI-CANARY-\(UUID().uuidString.prefix(8))"
        let arguments = ["connect", "--auth-config", freshdesk, "--user-id", "alice", "--field", "subdomain=acme", "--secrets-stdin", "--json"]
        let first = try Self.onboard(arguments, input: "generic_api_key=\(marker)\n", data: data)
        #expect(first.status == 0, "\(first.stderr)")
        let created = try #require(try first.json() as? [String: Any])
        let account = try #require(created["account"] as? [String: Any])
        let firstId = try #require(account["id"] as? String)
        #expect(account["status"] as? String == "ACTIVE")
        #expect(account["toolkit"] as? String == "freshdesk")

        let again = try Self.onboard(arguments, input: "{\"generic_api_key\": \"\(marker)\"}", data: data)
        #expect(again.status == 1)
        #expect(again.stderr.contains("alice already has an account on \(freshdesk): \(firstId) (ACTIVE). Pass --replace"))

        let replaced = try Self.onboard(arguments + ["--replace"], input: "{\"generic_api_key\": \"\(marker)\"}", data: data)
        #expect(replaced.status == 0)
        let replacement = try #require(try replaced.json() as? [String: Any])
        #expect(replacement["replaced"] as? [String] == [firstId])
        let secondId = try #require((replacement["account"] as? [String: Any])?["id"] as? String)

        let listed = try #require(try Self.onboard(["accounts", "--user-id", "alice", "--json"], data: data).json() as? [[String: Any]])
        #expect(listed.compactMap { $0["id"] as? String } == [secondId])
        let got = try #require(try Self.onboard(["accounts", "get", secondId, "--json"], data: data).json() as? [String: Any])
        #expect(got["user_id"] as? String == "alice")
        #expect(try Self.onboard(["accounts", "delete", secondId], data: data).status == 0)
        let gone = try Self.onboard(["accounts", "get", secondId], data: data)
        #expect(gone.status == 1)

        for run in [first, again, replaced] {
            #expect(!run.stdout.contains(marker) && !run.stderr.contains(marker))
        }
    }

    @Test("import of 2,000 users killed with SIGKILL part way resumes to exactly 2,000 ACTIVE accounts, one per user")
    func importKilledAndResumed() async throws {
        let data = try TemporaryDirectory()
        let served = try ServedSandbox(binary: try OnboardBinary.path(), database: data.path + "/served.sqlite", key: "ak_import_test")
        defer { served.kill(signal: SIGTERM) }
        let remote = served.clientEnvironment
        let freshdesk = try Self.configId("freshdesk", data: data, environment: remote)
        let marker = "IMPORT-CANARY-\(UUID().uuidString.prefix(8))"
        var csv = "user_id,subdomain,generic_api_key\n"
        for index in 0..<2000 { csv += "user\(index),acme,\(marker)-\(index)\n" }
        let file = data.path + "/users.csv"
        try csv.write(toFile: file, atomically: true, encoding: .utf8)
        let journal = file + ".journal"

        // First run: killed once a few hundred rows are journaled as done.
        let stdin = data.path + "/empty"
        try "".write(toFile: stdin, atomically: true, encoding: .utf8)
        let pid = try ChildProcess.spawn(
            [try OnboardBinary.path(), "import", file, "--auth-config", freshdesk], environment: Self.environment(data, remote), stdin: stdin,
            stdout: data.path + "/first.out", stderr: data.path + "/first.err")
        let deadline = Date().addingTimeInterval(60)
        var doneLines = 0
        while Date() < deadline {
            let text = (try? String(contentsOfFile: journal, encoding: .utf8)) ?? ""
            doneLines = text.components(separatedBy: "\"kind\":\"done\"").count - 1
            if doneLines >= 300 { break }
            try await Task.sleep(for: .milliseconds(5))
        }
        kill(pid, SIGKILL)
        #expect(ChildProcess.wait(pid) == 128 + SIGKILL)
        #expect(doneLines >= 300 && doneLines < 2000, "killed after \(doneLines) rows")

        let rerun = try Self.onboard(["import", file, "--auth-config", freshdesk, "--report", data.path + "/report.json"], data: data, environment: remote)
        #expect(rerun.status == 0, "\(rerun.stderr.suffix(2000))")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: data.path + "/report.json"))) as? [String: Any])
        let summary = try #require(report["summary"] as? [String: Int])
        #expect(summary["failed"] == 0)
        #expect((summary["created"] ?? 0) + (summary["already_imported"] ?? 0) == 2000)
        #expect((summary["already_imported"] ?? 0) >= doneLines)

        let accounts = try #require(
            try Self.onboard(["accounts", "--auth-config", freshdesk, "--json"], data: data, environment: remote).json() as? [[String: Any]])
        #expect(accounts.count == 2000)
        #expect(Set(accounts.compactMap { $0["user_id"] as? String }).count == 2000)
        #expect(accounts.allSatisfy { $0["status"] as? String == "ACTIVE" })

        // No value from the file reached the terminal, the journal or the report.
        for path in [journal, data.path + "/report.json", data.path + "/first.out", data.path + "/first.err"] {
            // Read with try: a file that is missing must fail here, not pass as "holds no marker".
            #expect(!(try String(contentsOfFile: path, encoding: .utf8)).contains(marker), "\(path)")
        }
        #expect(!rerun.stdout.contains(marker) && !rerun.stderr.contains(marker))
    }

    @Test("an import against a sandbox limited to 600 requests a minute completes with under 1% answered 429; the sandbox's /metrics counts the same")
    func importUnderRateLimit() throws {
        let data = try TemporaryDirectory()
        let served = try ServedSandbox(
            binary: try OnboardBinary.path(), database: data.path + "/served.sqlite", key: "ak_limited", rateLimit: 600, metrics: true)
        defer { served.kill(signal: SIGTERM) }
        let remote = served.clientEnvironment
        let freshdesk = try Self.configId("freshdesk", data: data, environment: remote)
        // More rows than one window allows, so the run must wait for the next window.
        var csv = "user_id,subdomain,generic_api_key\n"
        for index in 0..<650 { csv += "limited\(index),acme,key-\(index)\n" }
        let file = data.path + "/limited.csv"
        try csv.write(toFile: file, atomically: true, encoding: .utf8)
        let run = try Self.onboard(["import", file, "--auth-config", freshdesk, "--json", "--concurrency", "16"], data: data, environment: remote)
        #expect(run.status == 0, "\(run.stderr.suffix(2000))")
        let report = try #require(try run.json() as? [String: Any])
        let summary = try #require(report["summary"] as? [String: Int])
        #expect(summary["created"] == 650)
        let requests = try #require(report["requests"] as? [String: Int])
        let sent = try #require(requests["sent"])
        let limited = try #require(requests["rate_limited"])
        #expect(sent >= 650)
        #expect(Double(limited) < Double(sent) * 0.01, "\(limited) of \(sent) requests answered 429")

        // What the sandbox counted, read as Prometheus reads it, agrees with what the client saw.
        let endpoint = try #require(served.metricsEndpoint)
        #expect(try PrometheusScrape.get(endpoint + "/ready").status == 200)
        let samples = try PrometheusScrape.samples(try PrometheusScrape.get(endpoint + "/metrics").body, in: data)
        let route = "/api/v3.1/connected_accounts"
        #expect(PrometheusScrape.value(samples, "onboard_sandbox_requests_total", ["route": route, "method": "POST", "status": "201"]) == 650)
        #expect(PrometheusScrape.value(samples, "onboard_sandbox_rate_limited_total") == Double(limited))
        #expect(PrometheusScrape.value(samples, "onboard_sandbox_server_errors_total") == 0)
        let timed = try #require(PrometheusScrape.value(samples, "onboard_sandbox_request_seconds_count", ["route": route]))
        #expect(timed >= 650)
        // Labels come from the routes, never from a request's path: no user id, no account id.
        #expect(!samples.contains { ($0["labels"] as? [String: String] ?? [:]).values.contains { $0.contains("limited") || $0.contains("ca_") } })
    }
}
