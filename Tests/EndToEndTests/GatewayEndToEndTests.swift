import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// A `gateway serve` of its own, on a free loopback port, with its own data and state
/// directories, and the OpenSSH client set up to trust its host key and nothing else.
final class GatewayProcess {
    let data: TemporaryDirectory
    let pid: pid_t
    let port: Int
    let log: String
    let knownHosts: String
    /// Variables for the gateway and every onboard command here (a service and its key).
    let environment: [String: String]

    /// - Parameter binary: the onboard to run as the gateway (default: the build's).
    init(_ extra: [String] = [], data: TemporaryDirectory? = nil, environment: [String: String] = [:], binary: String? = nil) async throws {
        let data = try data ?? TemporaryDirectory()
        self.data = data
        self.environment = environment
        log = data.path + "/gateway-\(UUID().uuidString.prefix(6)).log"
        try "".write(toFile: data.path + "/gateway.in", atomically: true, encoding: .utf8)
        pid = try ChildProcess.spawn(
            // A test's gateway is stopped at its end with sessions still up: no drain to wait out.
            [try binary ?? OnboardBinary.path(), "gateway", "serve", "--port", "0"] + (extra.contains("--drain-timeout") ? [] : ["--drain-timeout", "0"])
                + extra, environment: CommandEndToEndTests.environment(data, environment),
            stdin: data.path + "/gateway.in", stdout: data.path + "/gateway.out", stderr: log)
        var found: Int?
        for _ in 0..<400 where found == nil {
            let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
            if let range = text.range(of: #"onboard gateway listening on 127\.0\.0\.1:(\d+)"#, options: .regularExpression) {
                found = Int(text[range].split(separator: ":").last ?? "")
            }
            if found == nil { try await Task.sleep(for: .milliseconds(50)) }
        }
        guard let found else {
            kill(pid, SIGKILL)
            ChildProcess.wait(pid)
            throw E2EError.missing("the gateway did not start: \((try? String(contentsOfFile: log, encoding: .utf8)) ?? "")")
        }
        port = found
        knownHosts = data.path + "/known_hosts"
        let publicKey = try CommandEndToEndTests.onboard(["gateway", "fingerprint", "--public-key"], data: data, environment: environment).stdout
        try "[127.0.0.1]:\(port) \(publicKey)".write(toFile: knownHosts, atomically: true, encoding: .utf8)
    }

    /// Set once the gateway's exit was collected: its pid may be another's now.
    var reaped = false

    /// Waits up to `seconds` for the gateway to exit; its exit status, or nil if it did not.
    func waitForExit(seconds: Int = 10) async throws -> Int32? {
        var status: Int32 = 0
        for _ in 0..<(seconds * 10) {
            if waitpid(pid, &status, WNOHANG) == pid {
                reaped = true
                return status
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        return nil
    }

    deinit {
        guard !reaped else { return }
        kill(pid, SIGTERM)
        ChildProcess.wait(pid)
    }

    /// `invite create --json`: the token and the invite's id.
    func invite(_ toolkit: String = "tavily", userId: String = "alice", ttl: String = "30m") throws -> (token: String, id: String, command: String) {
        let config = try CommandEndToEndTests.configId(toolkit, data: data, environment: environment)
        let run = try CommandEndToEndTests.onboard(
            ["invite", "create", "--auth-config", config, "--user-id", userId, "--ttl", ttl, "--note", "e2e", "--json"], data: data,
            environment: environment)
        let json = try #require(try run.json() as? [String: Any], "invite create: \(run.stderr)")
        let command = try #require(json["ssh_command"] as? String)
        // On a shared store the command names the gateway started last; alone, this one.
        #expect(command.hasPrefix(environment["ONBOARD_STORE"] == nil ? "ssh -p \(port) " : "ssh -p ") && command.hasSuffix("@127.0.0.1"))
        let token = String(try #require(command.split(separator: " ").last?.split(separator: "@").first))
        return (token, try #require(json["id"] as? String), command)
    }

    /// The customer's command: OpenSSH with no user configuration, trusting this gateway's key only.
    func ssh(_ token: String, options: String = "") -> String {
        "ssh -F /dev/null -o UserKnownHostsFile=\(knownHosts) -o StrictHostKeyChecking=yes -o BatchMode=yes \(options) -p \(port) \(token)@127.0.0.1"
    }

    /// A pane running the customer's command, then saying how it ended.
    func session(_ token: String, options: String = "", before: String = "", width: Int = 80, height: Int = 24) throws -> TmuxSession {
        try TmuxSession(command: "\(before)\(ssh(token, options: options)); echo SSH-EXIT=$?; sleep 120", width: width, height: height)
    }

    func invites() throws -> [[String: Any]] {
        try #require(try CommandEndToEndTests.onboard(["invite", "list", "--json"], data: data, environment: environment).json() as? [[String: Any]])
    }

    var logText: String { (try? String(contentsOfFile: log, encoding: .utf8)) ?? "" }

    func auditEvents() throws -> [[String: Any]] {
        try AuditEndToEndTests.records(data.path + "/xdg-state/onboard/audit.jsonl")
    }

    /// The pids of this gateway's session programs.
    func sessionPids() throws -> [pid_t] {
        sessionPrograms().compactMap { pid_t($0.split(separator: " ").first ?? "") }
    }

    /// This gateway's session programs still running (`ps` lines: pid, then argv). Their argv
    /// names no invite (what a session is for arrives on a pipe), so they are told by parent.
    func sessionPrograms() -> [String] {
        // ps exits 1 when the gateway has no children: no lines, not an error.
        let listed = (try? TmuxSession.run("ps", ["--ppid", "\(pid)", "-o", "pid=,args="])) ?? ""
        return listed.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { $0.hasSuffix("gateway session") }
    }
}

@Suite("The SSH gateway, with the real OpenSSH client", .serialized)
struct GatewayEndToEndTests {
    @Test("invite, ssh, the wizard locked to the invite, a resize, credentials, ACTIVE; watch and the trail see it; no value anywhere")
    func customerConnects() async throws {
        let gateway = try await GatewayProcess()
        let (token, id, _) = try gateway.invite()
        let canary = "tvly-SSHCANARY\(UUID().uuidString.prefix(8))"
        let watchOutput = gateway.data.path + "/watch.out"
        let watch = try ChildProcess.spawn(
            [try OnboardBinary.path(), "invite", "watch", "--json"], environment: CommandEndToEndTests.environment(gateway.data, [:]),
            stdin: gateway.data.path + "/gateway.in", stdout: watchOutput, stderr: gateway.data.path + "/watch.err")
        defer {
            kill(watch, SIGTERM)
            ChildProcess.wait(watch)
        }
        let pane = try gateway.session(token, width: 100, height: 30)
        var screen = try await pane.waitFor("API Key")
        #expect(screen.contains("alice") && screen.contains("esc quit"))
        #expect(!screen.contains("SendGrid"), "no other config of the project is shown")
        // The user id is the invite's: typing on it changes nothing.
        try pane.keys("BTab")
        try pane.type("mallory")
        try pane.keys("Tab")
        screen = try pane.screen()
        #expect(!screen.contains("mallory") && screen.contains("alice"))
        try pane.type(canary)
        try await pane.waitFor("characters")
        try pane.resize(width: 70, height: 22)
        // Redrawn at the new size: the header's rule is 70 columns.
        for _ in 0..<100 {
            if (try pane.screen()).split(separator: "\n").contains(where: { $0.count == 70 && $0.allSatisfy { $0 == "─" } }) { break }
            try await Task.sleep(for: .milliseconds(50))
        }
        #expect((try pane.screen()).split(separator: "\n").contains { $0.count == 70 && $0.allSatisfy { $0 == "─" } })
        try await pane.enter(leaving: "Enter credentials")
        try await pane.waitFor("enter connect")
        try pane.keys("Enter")
        screen = try await pane.waitFor("ACTIVE")
        let account = String(try #require(screen.firstMatch(of: /ca_[A-Za-z0-9]+/)?.output))
        try pane.keys("Enter")
        screen = try await pane.waitFor("SSH-EXIT=0")
        #expect(screen.contains("Connected \(account)"))

        let read = try CommandEndToEndTests.onboard(["accounts", "get", account, "--json"], data: gateway.data)
        let json = try #require(try read.json() as? [String: Any])
        #expect(json["status"] as? String == "ACTIVE" && json["user_id"] as? String == "alice")

        let invite = try #require(try gateway.invites().first { $0["id"] as? String == id })
        #expect(invite["state"] as? String == "connected" && invite["account_id"] as? String == account)
        #expect((invite["claimed_from"] as? String)?.hasPrefix("127.0.0.1:") == true)
        for _ in 0..<40 where !((try? String(contentsOfFile: watchOutput, encoding: .utf8)) ?? "").contains("\"connected\"") {
            try await Task.sleep(for: .milliseconds(100))
        }
        let watched = (try? String(contentsOfFile: watchOutput, encoding: .utf8)) ?? ""
        #expect(watched.contains("\"in_session\"") && watched.contains("\"connected\"") && watched.contains(account))

        let events = try gateway.auditEvents().compactMap { $0["event"] as? String }
        #expect(events.contains("invite.created") && events.contains("invite.claimed") && events.contains("connection.created"))
        for _ in 0..<40 where !(try gateway.auditEvents().contains { $0["event"] as? String == "gateway.session_ended" }) {
            try await Task.sleep(for: .milliseconds(100))
        }
        let created = try #require(try gateway.auditEvents().first { $0["event"] as? String == "connection.created" })
        let actor = try #require(created["actor"] as? [String: Any])
        #expect(actor["invite_id"] as? String == id && (actor["address"] as? String)?.hasPrefix("127.0.0.1:") == true)
        #expect(try gateway.auditEvents().contains { $0["event"] as? String == "gateway.session_ended" })

        // The canary typed over SSH: in no log, trail, listing, store or database file.
        let listing = try CommandEndToEndTests.onboard(["invite", "list", "--all"], data: gateway.data).stdout
        #expect(!listing.contains(canary) && !gateway.logText.contains(canary) && !watched.contains(canary))
        #expect(!gateway.logText.contains(token), "the token is never logged")
        let files = FileManager.default.enumerator(atPath: gateway.data.path)?.compactMap { $0 as? String } ?? []
        for file in files {
            guard let bytes = FileManager.default.contents(atPath: gateway.data.path + "/" + file) else { continue }
            #expect(bytes.range(of: Data(canary.utf8)) == nil, "\(file) holds the value typed over SSH")
        }
    }

    @Test("used, expired, revoked and unknown invites are refused with their banner; no terminal, exec and forwarding too")
    func refusals() async throws {
        let gateway = try await GatewayProcess()
        let used = try gateway.invite()
        let first = try gateway.session(used.token)
        try await first.waitFor("Connect Tavily search")
        let again = try gateway.session(used.token)
        var screen = try await again.waitFor("SSH-EXIT=1")
        #expect(screen.contains("This invite has already been used; each invite works once."))

        let expired = try gateway.invite(ttl: "1s")
        try await Task.sleep(for: .milliseconds(1500))
        screen = try await (try gateway.session(expired.token)).waitFor("SSH-EXIT=1")
        #expect(screen.contains("This invite has expired."))

        let revoked = try gateway.invite()
        #expect(try CommandEndToEndTests.onboard(["invite", "revoke", revoked.id], data: gateway.data).status == 0)
        screen = try await (try gateway.session(revoked.token)).waitFor("SSH-EXIT=1")
        #expect(screen.contains("This invite was withdrawn."))

        for name in ["aaaaaaaaaaaaaaaaaaaaaaaaaa", "root"] {
            screen = try await (try gateway.session(name)).waitFor("SSH-EXIT=1")
            #expect(screen.contains("This invite is not valid."))
        }
        #expect(!gateway.logText.contains("aaaaaaaaaaaaaaaaaaaaaaaaaa"), "an unknown user name is never logged")

        let spare = try gateway.invite()
        screen = try await (try gateway.session(spare.token, options: "-T")).waitFor("SSH-EXIT=1")
        #expect(screen.contains("This session needs a terminal"))
        let exec = try TmuxSession(command: "\(gateway.ssh(try gateway.invite().token)) id; echo SSH-EXIT=$?; sleep 60")
        screen = try await exec.waitFor("SSH-EXIT=")
        #expect(!screen.contains("uid=") && screen.contains("SSH-EXIT=255"))
        let forward = try TmuxSession(
            command: "\(gateway.ssh(try gateway.invite().token, options: "-o ExitOnForwardFailure=yes -N -L 0:127.0.0.1:22")); echo SSH-EXIT=$?; sleep 60")
        screen = try await forward.waitFor("SSH-EXIT=")
        #expect(screen.contains("SSH-EXIT=255"))

        let refused = try gateway.auditEvents().filter { $0["event"] as? String == "gateway.login_refused" }.compactMap { $0["error_code"] as? String }
        #expect(Set(refused) == ["used", "expired", "revoked", "unknown"])
    }

    @Test("two clients racing for one invite: exactly one session")
    func race() async throws {
        let gateway = try await GatewayProcess()
        let (token, _, _) = try gateway.invite()
        let panes = try (0..<2).map { _ in try gateway.session(token) }
        var sessions = 0
        var banners = 0
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline, sessions + banners < 2 {
            sessions = 0
            banners = 0
            for pane in panes {
                let screen = try pane.screen()
                if screen.contains("Connect Tavily search") { sessions += 1 }
                if screen.contains("already been used") { banners += 1 }
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(sessions == 1 && banners == 1)
        #expect(gateway.sessionPrograms().count == 1)
    }

    @Test("kill -9 of the client mid-entry leaves no session program behind")
    func clientKilled() async throws {
        let gateway = try await GatewayProcess()
        let (token, id, _) = try gateway.invite()
        let pane = try gateway.session(token)
        try await pane.waitFor("Connect Tavily search")
        try pane.type("tvly-half-typed")
        #expect(gateway.sessionPrograms().count == 1)
        let clients = try TmuxSession.run("pgrep", ["-f", "\(token)@127.0.0.1"]).split(separator: "\n").compactMap { pid_t($0) }
        #expect(!clients.isEmpty)
        for client in clients { kill(client, SIGKILL) }
        var left = gateway.sessionPrograms()
        for _ in 0..<100 where !left.isEmpty {
            try await Task.sleep(for: .milliseconds(100))
            left = gateway.sessionPrograms()
        }
        #expect(left.isEmpty, "still running: \(left)")
        // The end is written by the gateway's store writer, just after the program is reaped.
        var invite: [String: Any] = [:]
        for _ in 0..<50 {
            invite = try #require(try gateway.invites().first { $0["id"] as? String == id })
            if invite["state"] as? String == "ended" { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(invite["state"] as? String == "ended" && invite["ended_at"] != nil)
    }

    @Test("0x0 and 65535x65535 windows and an unknown TERM are survived, and the session still connects")
    func oddTerminals() async throws {
        let gateway = try await GatewayProcess()
        for size in ["0", "65535"] {
            let (token, _, _) = try gateway.invite()
            let pane = try gateway.session(token, before: "stty rows \(size) cols \(size); TERM=xterm-nonexistent-zz ")
            try await Task.sleep(for: .seconds(2))
            #expect(gateway.sessionPrograms().count == 1, "the session program is running at \(size)x\(size)")
            // A real size arrives with the next window change; the wizard draws and works.
            try pane.resize(width: 90, height: 26)
            try await pane.waitFor("Connect Tavily search")
            try pane.type("tvly-odd-terminal-\(size)")
            try await pane.enter(leaving: "Enter credentials")
            try pane.keys("Enter")
            try await pane.waitFor("ACTIVE")
        }
        #expect(gateway.logText.contains("TERM xterm-256color"), "an unknown TERM falls back")
    }

    @Test("limits: idle timeout, maximum sessions and the connection rate end or refuse with a message, in the log and the trail")
    func limits() async throws {
        let gateway = try await GatewayProcess(["--idle-timeout", "2", "--max-sessions", "1", "--connections-per-minute", "4"])
        let idle = try gateway.invite()
        let pane = try gateway.session(idle.token)
        try await pane.waitFor("Connect Tavily search")
        let busy = try gateway.invite()
        var screen = try await (try gateway.session(busy.token)).waitFor("SSH-EXIT=1")
        #expect(screen.contains("The gateway is busy."))
        screen = try await pane.waitFor("SSH-EXIT=", timeout: 20)
        #expect(screen.contains("without input"))
        #expect(gateway.sessionPrograms().isEmpty)
        // Over four connections a minute, the next is closed at accept, before any SSH.
        var closedAtAccept = false
        for _ in 0..<4 where !closedAtAccept {
            screen = try await (try gateway.session("root")).waitFor("SSH-EXIT=")
            closedAtAccept = screen.contains("SSH-EXIT=255")
        }
        #expect(closedAtAccept)
        let limits = try gateway.auditEvents().filter { $0["event"] as? String == "gateway.limit_reached" }.compactMap { $0["error_code"] as? String }
        #expect(Set(limits) == ["sessions", "idle", "rate"])
        #expect(gateway.logText.contains("refused for the rest of this minute"))
    }
}

@Suite("The SSH gateway on a service", .serialized)
struct GatewayServiceTests {
    @Test("the service key reaches the session on a pipe, never its argv or environment, and the session connects with it")
    func keyOnAPipe() async throws {
        let data = try TemporaryDirectory()
        let key = "ak_gateway_\(UUID().uuidString.prefix(8))"
        let served = try ServedSandbox(binary: try OnboardBinary.path(), database: data.path + "/served.sqlite", key: key)
        defer { served.kill(signal: SIGTERM) }
        let gateway = try await GatewayProcess(
            data: data, environment: served.clientEnvironment)
        #expect(gateway.logText.contains("sessions use 127.0.0.1:\(served.port)"))
        let (token, _, _) = try gateway.invite()
        let pane = try gateway.session(token)
        try await pane.waitFor("API Key")
        let pids = try gateway.sessionPids()
        #expect(pids.count == 1)
        for pid in pids {
            let arguments = try #require(FileManager.default.contents(atPath: "/proc/\(pid)/cmdline"))
            let environment = try #require(FileManager.default.contents(atPath: "/proc/\(pid)/environ"))
            #expect(arguments.range(of: Data(key.utf8)) == nil && environment.range(of: Data(key.utf8)) == nil)
            #expect(environment.range(of: Data("COMPOSIO_API_KEY".utf8)) == nil)
            #expect(environment.range(of: Data("TERM=".utf8)) != nil)
        }
        try pane.type("tvly-over-the-service")
        try await pane.enter(leaving: "Enter credentials")
        try pane.keys("Enter")
        let screen = try await pane.waitFor("ACTIVE")
        let account = String(try #require(screen.firstMatch(of: /ca_[A-Za-z0-9]+/)?.output))
        #expect(try served.json("GET", "/api/v3/connected_accounts/\(account)")["status"] as? String == "ACTIVE")
    }
}

@Suite("The SSH gateway's time limits", .serialized)
struct GatewayTimeLimitTests {
    /// A TCP client that connects and says nothing: how long until the gateway hangs up.
    static func silentConnection(port: Int, timeout: Double) throws -> Double? {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw E2EError.missing("cannot connect to the gateway") }
        let start = Date()
        var buffer = [UInt8](repeating: 0, count: 4096)
        while Date().timeIntervalSince(start) < timeout {
            var entry = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            guard poll(&entry, 1, 200) > 0 else { continue }
            if read(descriptor, &buffer, buffer.count) <= 0 { return Date().timeIntervalSince(start) }
        }
        return nil
    }

    @Test("a connection that never logs in is closed after the login grace; a session is ended at its maximum length")
    func graceAndLength() async throws {
        let gateway = try await GatewayProcess(["--login-grace", "1", "--max-session-length", "3"])
        let closedAfter = try #require(try Self.silentConnection(port: gateway.port, timeout: 10), "the silent connection was never closed")
        #expect(closedAfter >= 0.9 && closedAfter < 5)
        let (token, _, _) = try gateway.invite()
        let pane = try gateway.session(token)
        try await pane.waitFor("API Key")
        try pane.type("tvly-still-typing")
        let screen = try await pane.waitFor("SSH-EXIT=", timeout: 20)
        #expect(screen.contains("The session reached its limit of 3 seconds."))
        #expect(gateway.sessionPrograms().isEmpty)
        let limits = try gateway.auditEvents().filter { $0["event"] as? String == "gateway.limit_reached" }.compactMap { $0["error_code"] as? String }
        #expect(Set(limits) == ["login_grace", "session_length"])
    }
}
