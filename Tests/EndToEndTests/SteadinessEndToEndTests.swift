import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// onboard under stress from outside: many processes starting at once on one new data
/// directory, and a service that fails, rate-limits and drops replies.
@Suite("Steady through concurrent first runs and faults", .serialized)
struct SteadinessEndToEndTests {
    /// Starts every command at once and waits for all; returns each one's status and output.
    static func together(_ commands: [(arguments: [String], input: String)], data: TemporaryDirectory, environment: [String: String] = [:]) throws
        -> [CommandEndToEndTests.Run]
    {
        let binary = try OnboardBinary.path()
        let started: [(pid: pid_t, out: String, err: String)] = try commands.enumerated().map { index, command in
            let (stdin, stdout, stderr) = ("\(data.path)/in-\(index)", "\(data.path)/out-\(index)", "\(data.path)/err-\(index)")
            try command.input.write(toFile: stdin, atomically: true, encoding: .utf8)
            let pid = try ChildProcess.spawn(
                [binary] + command.arguments, environment: CommandEndToEndTests.environment(data, environment), stdin: stdin, stdout: stdout,
                stderr: stderr)
            return (pid, stdout, stderr)
        }
        return started.map { child in
            let status = ChildProcess.wait(child.pid)
            return CommandEndToEndTests.Run(
                status: status, stdout: (try? String(contentsOfFile: child.out, encoding: .utf8)) ?? "",
                stderr: (try? String(contentsOfFile: child.err, encoding: .utf8)) ?? "")
        }
    }

    @Test("8 first runs at once on one new data directory agree on one key and one seed; every credential stays readable")
    func concurrentFirstRuns() throws {
        let data = try TemporaryDirectory()
        let runs = try Self.together(
            (0..<8).map { index in
                (
                    ["connect", "--auth-config", "ac_placeholder", "--user-id", "first-\(index)", "--secrets-stdin"], "generic_api_key=k\(index)\n"
                )
            }, data: data)
        // The config id is unknown before the database exists: these runs only race to create it.
        for run in runs { #expect(run.status == 1 && run.stderr.contains("ac_placeholder"), "a first run failed to open: \(run.stderr)") }
        let key = data.path + "/xdg/onboard/sandbox.sqlite.key"
        let attributes = try FileManager.default.attributesOfItem(atPath: key)
        #expect(attributes[.size] as? Int == 32)
        #expect((attributes[.posixPermissions] as? Int).map { $0 & 0o077 } == 0)
        let configs = try #require(try CommandEndToEndTests.onboard(["auth-configs", "--json"], data: data).json() as? [[String: Any]])
        #expect(configs.count == 21, "seeded once")

        // Now 8 creates at once, then every sealed credential opens with the one key.
        let sendgrid = try CommandEndToEndTests.configId("tavily", data: data)
        let creates = try Self.together(
            (0..<8).map { index in
                (["connect", "--auth-config", sendgrid, "--user-id", "user-\(index)", "--secrets-stdin"], "generic_api_key=tvly-key\(index)\n")
            }, data: data)
        for run in creates { #expect(run.status == 0, "\(run.stderr)") }
        let check = try CommandEndToEndTests.onboard(["sandbox", "check", "--db", data.path + "/xdg/onboard/sandbox.sqlite"], data: data)
        #expect(check.status == 0, "\(check.stderr)")
        #expect(check.stdout.contains("8 stored credentials decrypt"))
    }

    @Test("a key file that is not a key is never replaced: the sandbox refuses to start and says what to do")
    func damagedKeyFile() throws {
        let data = try TemporaryDirectory()
        #expect(try CommandEndToEndTests.onboard(["auth-configs"], data: data).status == 0)
        let key = data.path + "/xdg/onboard/sandbox.sqlite.key"
        try Data("short".utf8).write(to: URL(fileURLWithPath: key))
        chmod(key, 0o600)
        let refused = try CommandEndToEndTests.onboard(["auth-configs"], data: data)
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("is not a 32-byte key"))
        #expect(try Data(contentsOf: URL(fileURLWithPath: key)) == Data("short".utf8), "the file was left as it was")
    }

    @Test("50 connects through a sandbox that fails 20%, rate-limits 10% and drops 5% of requests: 50 ACTIVE, exactly 50 accounts")
    func connectsThroughFaults() throws {
        let data = try TemporaryDirectory()
        let served = try ServedSandbox(
            binary: try OnboardBinary.path(), database: data.path + "/faulty.sqlite", key: "ak_faults_test", faults: "500=0.2,429=0.1,drop=0.05")
        defer { served.kill(signal: SIGTERM) }
        let remote = served.clientEnvironment
        let configs = try #require(try CommandEndToEndTests.onboard(["auth-configs", "--json"], data: data, environment: remote).json() as? [[String: Any]])
        let sendgrid = try #require(configs.first { $0["toolkit"] as? String == "sendgrid" }?["id"] as? String)
        var runs: [CommandEndToEndTests.Run] = []
        for batch in 0..<10 {
            runs += try Self.together(
                (0..<5).map { index in
                    (
                        ["connect", "--auth-config", sendgrid, "--user-id", "faulty-\(batch * 5 + index)", "--secrets-stdin", "--json"],
                        "generic_api_key=SG.abcdefghijkl.mnopqrstuvwx\n"
                    )
                }, data: data, environment: remote)
        }
        let active = runs.filter { $0.status == 0 && $0.stdout.contains("\"ACTIVE\"") }
        #expect(active.count == 50, "failures: \(runs.filter { $0.status != 0 }.map(\.stderr))")
        // Read back without faults in the way: every user has exactly one account.
        served.kill(signal: SIGTERM)
        let clean = try ServedSandbox(binary: try OnboardBinary.path(), database: data.path + "/faulty.sqlite", key: "ak_faults_test")
        defer { clean.kill(signal: SIGTERM) }
        let cleanRemote = ["COMPOSIO_API_KEY": "ak_faults_test", "COMPOSIO_BASE_URL": "http://127.0.0.1:\(clean.port)"]
        let accounts = try #require(
            try CommandEndToEndTests.onboard(["accounts", "--auth-config", sendgrid, "--json"], data: data, environment: cleanRemote).json()
                as? [[String: Any]])
        #expect(accounts.count == 50)
        #expect(Set(accounts.compactMap { $0["user_id"] as? String }).count == 50)
    }
}

/// Ctrl-C during an import: the first stops after the rows in flight and keeps the run
/// resumable; the rerun finishes it with one account per user.
@Suite("An import interrupted with SIGINT", .serialized)
struct ImportInterruptEndToEndTests {
    @Test("SIGINT stops the import cleanly (exit 130, journal kept), and the same command resumes to every row")
    func interruptAndResume() async throws {
        let data = try TemporaryDirectory()
        let served = try ServedSandbox(
            binary: try OnboardBinary.path(), database: data.path + "/slow.sqlite", key: "ak_interrupt_test", faults: "latency=200ms")
        defer { served.kill(signal: SIGTERM) }
        let remote = served.clientEnvironment
        let configs = try #require(try CommandEndToEndTests.onboard(["auth-configs", "--json"], data: data, environment: remote).json() as? [[String: Any]])
        let tavily = try #require(configs.first { $0["toolkit"] as? String == "tavily" }?["id"] as? String)
        let file = data.path + "/users.csv"
        try ("user_id,generic_api_key\n" + (0..<60).map { "user-\($0),tvly-key\($0)abcdef" }.joined(separator: "\n") + "\n")
            .write(toFile: file, atomically: true, encoding: .utf8)
        try "".write(toFile: data.path + "/empty", atomically: true, encoding: .utf8)
        let pid = try ChildProcess.spawn(
            [try OnboardBinary.path(), "import", file, "--auth-config", tavily, "--concurrency", "2"],
            environment: CommandEndToEndTests.environment(data, remote), stdin: data.path + "/empty", stdout: data.path + "/out",
            stderr: data.path + "/err")
        try await Task.sleep(for: .seconds(3))
        kill(pid, SIGINT)
        let status = ChildProcess.wait(pid)
        let stderr = try String(contentsOfFile: data.path + "/err", encoding: .utf8)
        #expect(status == 130, "\(stderr)")
        #expect(stderr.contains("Stopping after the rows in flight"))
        #expect(stderr.contains("Run the same command again to resume"))
        let resumed = try CommandEndToEndTests.onboard(["import", file, "--auth-config", tavily, "--concurrency", "8"], data: data, environment: remote)
        #expect(resumed.status == 0, "\(resumed.stderr)")
        let accounts = try #require(
            try CommandEndToEndTests.onboard(["accounts", "--auth-config", tavily, "--json"], data: data, environment: remote).json() as? [[String: Any]])
        #expect(accounts.count == 60)
        #expect(Set(accounts.compactMap { $0["user_id"] as? String }).count == 60)
    }
}
