import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// A PostgreSQL cluster of one test's own (script/postgres), removed with it.
final class PostgresCluster {
    let directory: TemporaryDirectory
    let port: Int
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

    init() throws {
        directory = try TemporaryDirectory()
        let output = try Self.script(["start", directory.path + "/pg"])
        guard let port = Int(output.trimmingCharacters(in: .whitespacesAndNewlines)) else {
            throw E2EError.missing("script/postgres could not start PostgreSQL: \(output)")
        }
        self.port = port
    }

    deinit { _ = try? Self.script(["stop", directory.path + "/pg"]) }

    /// What onboard needs to use it: the URL, and the password the way operators pass it.
    var environment: [String: String] {
        ["ONBOARD_STORE": "postgres://onboard@127.0.0.1:\(port)/postgres?sslmode=disable", "PGPASSWORD": "onboard-test"]
    }

    func stop() throws { try Self.script(["stop", directory.path + "/pg"]) }
    func start() throws { try Self.script(["start", directory.path + "/pg"]) }

    @discardableResult
    static func script(_ arguments: [String]) throws -> String {
        let output = NSTemporaryDirectory() + "pg-\(UUID().uuidString.prefix(8)).out"
        defer { unlink(output) }
        try "".write(toFile: output + ".in", atomically: true, encoding: .utf8)
        defer { unlink(output + ".in") }
        let pid = try ChildProcess.spawn(
            [root + "/script/postgres"] + arguments, environment: ProcessInfo.processInfo.environment, stdin: output + ".in", stdout: output,
            stderr: output + ".err")
        let status = ChildProcess.wait(pid)
        let text = (try? String(contentsOfFile: output, encoding: .utf8)) ?? ""
        let errors = (try? String(contentsOfFile: output + ".err", encoding: .utf8)) ?? ""
        unlink(output + ".err")
        guard status == 0 else { throw E2EError.missing("script/postgres \(arguments.joined(separator: " ")) failed: \(text)\(errors)") }
        return text
    }
}

@Suite("Several gateways on one PostgreSQL store", .serialized)
struct SharedStoreEndToEndTests {
    /// Two gateways (each with its own host key and data) on one store and one service.
    static func twoGateways(_ cluster: PostgresCluster, served: ServedSandbox) async throws -> (GatewayProcess, GatewayProcess) {
        let environment = environment(cluster, served: served)
        return (try await GatewayProcess(environment: environment), try await GatewayProcess(environment: environment))
    }

    /// The store's variables and the served sandbox as the service, for gateways and commands.
    static func environment(_ cluster: PostgresCluster, served: ServedSandbox) -> [String: String] {
        var environment = cluster.environment
        environment["COMPOSIO_API_KEY"] = served.key
        environment["COMPOSIO_BASE_URL"] = "http://127.0.0.1:\(served.port)"
        return environment
    }

    static func served(_ data: TemporaryDirectory) throws -> ServedSandbox {
        try ServedSandbox(binary: try OnboardBinary.path(), database: data.path + "/served.sqlite", key: "ak_shared_\(UUID().uuidString.prefix(6))")
    }

    @Test("an invite made by a third process is claimed through one gateway and refused through the other; one chain holds both")
    func claimedOnce() async throws {
        let cluster = try PostgresCluster()
        let served = try Self.served(cluster.directory)
        defer { served.kill(signal: SIGTERM) }
        let (first, second) = try await Self.twoGateways(cluster, served: served)
        #expect(first.logText.contains("Invites and the audit trail: postgres://onboard@127.0.0.1:\(cluster.port)/postgres"))
        // The operator's machine: its own data directory, the same store.
        let (token, id, _) = try first.invite()
        let session = try first.session(token)
        try await session.waitFor("API Key")
        let refused = try second.session(token)
        let screen = try await refused.waitFor("SSH-EXIT=1")
        #expect(screen.contains("already been used"))
        let listing = try #require(try second.invites().first { $0["id"] as? String == id })
        #expect(listing["state"] as? String == "in_session")
        #expect((listing["gateway"] as? String)?.hasSuffix(":\(first.port)") == true, "the list names the gateway holding it")
        // An operator on the other gateway's host is told where the session is.
        var variables = cluster.environment
        variables["XDG_DATA_HOME"] = second.data.path + "/xdg"
        variables["XDG_STATE_HOME"] = second.data.path + "/xdg-state"
        let prefix = variables.map { "\($0.key)='\($0.value)'" }.sorted().joined(separator: " ")
        let attach = try TmuxSession(command: "env \(prefix) \(try OnboardBinary.path()) invite attach \(id); echo ATTACH-EXIT=$?; sleep 30", width: 200)
        let directions = try await attach.waitFor("ATTACH-EXIT=")
        #expect(directions.contains("in session on the gateway at") && directions.contains("ssh -t -p \(first.port) operator@"), "\(directions)")
        #expect(directions.contains("ATTACH-EXIT=1"))
        let audit = try CommandEndToEndTests.onboard(["audit", "--json"], data: second.data, environment: cluster.environment)
        let events = try #require(try audit.json() as? [[String: Any]])
        let names = events.compactMap { $0["event"] as? String }
        #expect(names.filter { $0 == "gateway.started" }.count == 2)
        #expect(names.contains("invite.claimed") && names.contains("gateway.login_refused"))
        let sources = Set(events.filter { $0["event"] as? String == "gateway.started" }.compactMap { $0["source"] as? String })
        #expect(sources.count == 2, "each line names the gateway that wrote it")
        #expect(try CommandEndToEndTests.onboard(["audit", "verify"], data: first.data, environment: cluster.environment).status == 0)

        // An operator's own command, with ONBOARD_STORE set, joins the same chain.
        let desk = Self.environment(cluster, served: served)
        let config = try CommandEndToEndTests.configId("tavily", data: first.data, environment: desk)
        let connect = try CommandEndToEndTests.onboard(
            ["connect", "--auth-config", config, "--user-id", "from-the-desk", "--secrets-stdin"], input: "generic_api_key=tvly-desk\n",
            data: first.data, environment: desk)
        #expect(connect.status == 0, "\(connect.stderr)")
        let after = try #require(
            try CommandEndToEndTests.onboard(["audit", "--json", "--user-id", "from-the-desk"], data: second.data, environment: cluster.environment).json()
                as? [[String: Any]])
        #expect(after.first?["event"] as? String == "connection.created")
        #expect(!FileManager.default.fileExists(atPath: first.data.path + "/xdg-state/onboard/audit.jsonl"), "no file trail beside the store")
    }

    @Test("20 clients racing for 10 invites across two gateways: exactly 10 sessions")
    func racingAcrossGateways() async throws {
        let cluster = try PostgresCluster()
        let served = try Self.served(cluster.directory)
        defer { served.kill(signal: SIGTERM) }
        let (first, second) = try await Self.twoGateways(cluster, served: served)
        let invites = try (0..<10).map { index in try first.invite(userId: "racer-\(index)") }
        var clients: [pid_t] = []
        defer {
            for client in clients { kill(client, SIGKILL) }
            for client in clients { ChildProcess.wait(client) }
        }
        let outputs = cluster.directory.path
        try "".write(toFile: outputs + "/none", atomically: true, encoding: .utf8)
        for (index, invite) in invites.enumerated() {
            for (side, gateway) in [first, second].enumerated() {
                let command = gateway.ssh(invite.token, options: "-tt").split(separator: " ").map(String.init)
                clients.append(
                    try ChildProcess.spawn(
                        ["/usr/bin/env"] + command, environment: ProcessInfo.processInfo.environment, stdin: outputs + "/none",
                        stdout: outputs + "/client-\(index)-\(side).out", stderr: outputs + "/client-\(index)-\(side).err"))
            }
        }
        var running = 0
        var refused = 0
        for _ in 0..<200 {
            running = first.sessionPrograms().count + second.sessionPrograms().count
            refused =
                (0..<10).flatMap { index in (0..<2).map { "\(outputs)/client-\(index)-\($0).out" } }.filter {
                    ((try? String(contentsOfFile: $0, encoding: .utf8)) ?? "").contains("already been used")
                }.count
            if running + refused >= 20 { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(running == 10 && refused == 10)
        let states = try first.invites().filter { invite in invites.contains { $0.id == invite["id"] as? String } }.compactMap { $0["state"] as? String }
        #expect(
            states == Array(repeating: "in_session", count: 10),
            "logs:\n\(first.logText)\n\(second.logText)"
        )
    }

    @Test("PostgreSQL stops during a session: new logins are refused with a banner, the session's connect waits, then completes and is in the chain")
    func databaseRestart() async throws {
        let cluster = try PostgresCluster()
        let served = try Self.served(cluster.directory)
        defer { served.kill(signal: SIGTERM) }
        let (gateway, _) = try await Self.twoGateways(cluster, served: served)
        let (token, id, _) = try gateway.invite()
        let spare = try gateway.invite()
        let pane = try gateway.session(token)
        try await pane.waitFor("API Key")
        try pane.type("tvly-through-a-restart")
        try await pane.enter(leaving: "Enter credentials")
        try await pane.waitFor("enter connect")
        try cluster.stop()
        try pane.keys("Enter")
        // The account is made at the service; its record waits for the database, and so does the screen.
        try await Task.sleep(for: .seconds(3))
        #expect(!(try pane.screen()).contains("ACTIVE"), "the session must not report success before its audit record is written")
        let refusedScreen = try await (try gateway.session(spare.token)).waitFor("SSH-EXIT=1", timeout: 30)
        #expect(refusedScreen.contains("cannot check invites right now"))
        // After 5 seconds the screen says what it waits for.
        try await pane.waitFor("waiting for it to be recorded", timeout: 15)
        try cluster.start()
        let screen = try await pane.waitFor("ACTIVE", timeout: 60)
        let account = String(try #require(screen.firstMatch(of: /ca_[A-Za-z0-9]+/)?.output))
        try pane.keys("Enter")
        try await pane.waitFor("SSH-EXIT=0")
        #expect(gateway.logText.contains("retrying with backoff") && gateway.logText.contains("reachable again"))
        // The record is there, chained, and the invite shows the account.
        var records: [[String: Any]] = []
        for _ in 0..<50 {
            let audit = try CommandEndToEndTests.onboard(["audit", "--json"], data: gateway.data, environment: cluster.environment)
            records = (try? audit.json() as? [[String: Any]]) ?? []
            if records.contains(where: { $0["event"] as? String == "gateway.session_ended" }) { break }
            try await Task.sleep(for: .milliseconds(200))
        }
        let created = try #require(records.first { $0["event"] as? String == "connection.created" })
        #expect(created["account_id"] as? String == account)
        #expect((created["actor"] as? [String: Any])?["invite_id"] as? String == id)
        #expect(try CommandEndToEndTests.onboard(["audit", "verify"], data: gateway.data, environment: cluster.environment).status == 0)
        let listing = try #require(try gateway.invites().first { $0["id"] as? String == id })
        #expect(listing["state"] as? String == "connected" && listing["account_id"] as? String == account)

        // Stopped while the database is down, the gateway still exits, in bounded time.
        try cluster.stop()
        kill(gateway.pid, SIGTERM)
        let exited = try await gateway.waitForExit(seconds: 25) != nil
        #expect(exited, "the gateway did not exit within 25 s of SIGTERM with its store down")
        if !exited { kill(gateway.pid, SIGKILL) }
    }

    @Test(
        "a gateway killed (-9) while a customer is at the form: within the lease time the invite reads interrupted, the same command ends ACTIVE on the other")
    func crashLosesNoInvite() async throws {
        let cluster = try PostgresCluster()
        let served = try Self.served(cluster.directory)
        defer { served.kill(signal: SIGTERM) }
        let environment = Self.environment(cluster, served: served)
        let doomed = try await GatewayProcess(["--lease-time", "2"], environment: environment)
        let survivor = try await GatewayProcess(["--lease-time", "2"], environment: environment)
        let (token, id, _) = try doomed.invite()
        let pane = try doomed.session(token)
        try await pane.waitFor("API Key")
        try pane.type("tvly-half-typed")
        kill(doomed.pid, SIGKILL)
        ChildProcess.wait(doomed.pid)
        doomed.reaped = true
        var state = ""
        for _ in 0..<100 where state != "interrupted" {
            state = (try survivor.invites().first { $0["id"] as? String == id }?["state"] as? String) ?? ""
            if state != "interrupted" { try await Task.sleep(for: .milliseconds(100)) }
        }
        #expect(state == "interrupted", "the survivor reconciles the dead gateway's session within its lease time")
        let listing = try CommandEndToEndTests.onboard(["invite", "list"], data: survivor.data, environment: cluster.environment).stdout
        #expect(listing.contains("interrupted, can reconnect"))

        // The same command, through the gateway that is left, reaches the form and connects.
        let again = try survivor.session(token)
        try await again.waitFor("API Key")
        try again.type("tvly-second-try")
        try await again.enter(leaving: "Enter credentials")
        try await again.waitFor("enter connect")
        try again.keys("Enter")
        try await again.waitFor("ACTIVE")
        try again.keys("Enter")
        try await again.waitFor("SSH-EXIT=0")
        let events = try #require(
            try CommandEndToEndTests.onboard(["audit", "--json"], data: survivor.data, environment: cluster.environment).json() as? [[String: Any]])
        #expect(events.contains { $0["event"] as? String == "gateway.session_interrupted" && ($0["actor"] as? [String: Any])?["invite_id"] as? String == id })
        #expect(try CommandEndToEndTests.onboard(["audit", "verify"], data: survivor.data, environment: cluster.environment).status == 0)
        let invite = try #require(try survivor.invites().first { $0["id"] as? String == id })
        #expect(invite["state"] as? String == "connected")
    }
}
