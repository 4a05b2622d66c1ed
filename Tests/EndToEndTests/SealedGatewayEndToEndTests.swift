import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// The gateway against a customer who tries more than the form: each case is an attack a
/// stranger holding an invite (or none) can make with the real OpenSSH client.
@Suite("The gateway sealed: a stranger with an invite gets the form and nothing more", .serialized)
struct SealedGatewayEndToEndTests {
    @Test("@path in a locked session reads nothing: the host key, /etc/passwd and a missing file get the same words; the session is confined")
    func noFileReads() async throws {
        let gateway = try await GatewayProcess()
        let (token, _, _) = try gateway.invite("google_bigquery")
        let pane = try gateway.session(token, width: 110, height: 30)
        var screen = try await pane.waitFor("Service account key")
        #expect(screen.contains("Paste it whole.") && !screen.contains("type @"), "the hint offers no file path here")
        let hostKey = gateway.data.path + "/xdg/onboard/gateway_ed25519_key"
        #expect(FileManager.default.fileExists(atPath: hostKey), "the host key is where the attack aims")
        var messages: [String] = []
        for path in [hostKey, "/etc/passwd", "/no/such/file/anywhere"] {
            try pane.keys("C-u")
            try pane.type("@" + path)
            try pane.keys("Enter")
            // Nothing was read: the field holds what was typed (a bullet each).
            screen = try await pane.waitFor("\(path.count + 1) characters")
            screen = try await pane.waitFor("cannot be read")
            let message = try #require(screen.split(separator: "\n").first { $0.contains("cannot be read") })
            messages.append(message.trimmingCharacters(in: .whitespaces))
            // Reveal shows the path, not a file's contents.
            try pane.keys("C-r")
            try await Task.sleep(for: .milliseconds(200))
            screen = try pane.screen()
            #expect(screen.contains("@" + path.prefix(40)))
            #expect(!screen.contains("OPENSSH") && !screen.contains("root:x:0"))
            try pane.keys("C-r")
        }
        #expect(Set(messages).count == 1, "the same words for every path: \(messages)")
        // The kernel's half: the session runs with no new privileges, no core and few descriptors.
        let pid = try #require(gateway.sessionPids().first)
        let status = try String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)
        #expect(status.contains("NoNewPrivs:\t1"))
        #expect(status.contains("CapEff:\t0000000000000000") && status.contains("CapBnd:\t0000000000000000"), "no capability, even as root")
        let limits = try String(contentsOfFile: "/proc/\(pid)/limits", encoding: .utf8)
        #expect(limits.split(separator: "\n").contains { $0.hasPrefix("Max open files") && $0.contains(" 256 ") })
        #expect(limits.split(separator: "\n").contains { $0.hasPrefix("Max core file size") && $0.contains(" 0 ") })
        // Nothing about the customer in its argv: what it is for came on a pipe.
        let arguments = try #require(FileManager.default.contents(atPath: "/proc/\(pid)/cmdline"))
        #expect(String(decoding: arguments, as: UTF8.self).split(separator: "\0").suffix(2) == ["gateway", "session"])
        #expect(arguments.range(of: Data("alice".utf8)) == nil && arguments.range(of: Data("127.0.0.1".utf8)) == nil)
        // The pty is the customer's alone: no `write` from other users.
        let tty = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(pid)/fd/0")
        let mode = try #require(try FileManager.default.attributesOfItem(atPath: tty)[.posixPermissions] as? Int)
        #expect(mode & 0o077 == 0, "the pty is \(String(mode, radix: 8))")
    }

    @Test("run as root with --session-user nobody: the session's program is nobody's, its pty too, with no capability; it still ends ACTIVE")
    func sessionUser() async throws {
        let data = try TemporaryDirectory()
        let key = "ak_session_user_\(UUID().uuidString.prefix(6))"
        let served = try ServedSandbox(binary: try OnboardBinary.path(), database: data.path + "/served.sqlite", key: key)
        defer { served.kill(signal: SIGTERM) }
        let remote = served.clientEnvironment
        guard geteuid() == 0 else {
            // Not root: there is no one to become, and the flag says so rather than doing nothing.
            let run = try CommandEndToEndTests.onboard(["gateway", "serve", "--port", "0", "--session-user", "nobody"], data: data, environment: remote)
            #expect(run.status == 2 && run.stderr.contains("needs the gateway to run as root"), "\(run.stderr)")
            return
        }
        // The program is run by a user who may not enter the build's directories: a copy where
        // anyone may read it, as a package installs it.
        let shared = data.path + "/bin"
        try FileManager.default.createDirectory(atPath: shared, withIntermediateDirectories: true)
        chmod(data.path, 0o755)
        chmod(shared, 0o755)
        try OnboardBinary.copy(to: shared + "/onboard")
        let gateway = try await GatewayProcess(["--session-user", "nobody"], data: data, environment: remote, binary: shared + "/onboard")
        #expect(gateway.logText.contains("Sessions run as nobody, confined"), "\(gateway.logText)")
        let (token, _, _) = try gateway.invite()
        let pane = try gateway.session(token)
        try await pane.waitFor("API Key")
        let nobody = try #require(getpwnam("nobody")).pointee.pw_uid
        let pid = try #require(gateway.sessionPids().first)
        let status = try String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)
        let uids = try #require(status.split(separator: "\n").first { $0.hasPrefix("Uid:") }).split(separator: "\t").dropFirst()
        #expect(uids.allSatisfy { UInt32($0) == nobody }, "real, effective, saved and file uids are nobody's: \(uids)")
        #expect(status.contains("CapEff:\t0000000000000000") && status.contains("NoNewPrivs:\t1"))
        let tty = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(pid)/fd/0")
        let owner = try #require(try FileManager.default.attributesOfItem(atPath: tty)[.ownerAccountID] as? NSNumber)
        #expect(owner.uint32Value == nobody, "the pty is the session user's")
        try pane.type("tvly-as-nobody-0123456789")
        try await pane.enter(leaving: "Enter credentials")
        try pane.keys("Enter")
        try await pane.waitFor("ACTIVE")
    }

    @Test("--existing add (the default) offers no replace or update, and x does nothing; --existing replace offers it")
    func existingAccountsAsTheInviteAllows() async throws {
        let gateway = try await GatewayProcess()
        let tavily = try CommandEndToEndTests.configId("tavily", data: gateway.data)
        let first = try CommandEndToEndTests.onboard(
            ["connect", "--auth-config", tavily, "--user-id", "alice", "--secrets-stdin", "--json"], input: "generic_api_key=tvly-first\n",
            data: gateway.data)
        #expect(first.status == 0, "\(first.stderr)")
        let (token, id, _) = try gateway.invite()
        #expect(try gateway.invites().first { $0["id"] as? String == id }?["existing"] as? String == "add")
        let pane = try gateway.session(token, width: 100, height: 30)
        try await pane.waitFor("Connect Tavily search")
        try pane.type("tvly-second-key")
        try await pane.enter(leaving: "Enter credentials")
        var screen = try await pane.waitFor("add another")
        #expect(!screen.contains("replace") && !screen.contains("update it"), "\(screen)")
        try pane.keys("x")
        try pane.keys("Enter")
        try await Task.sleep(for: .milliseconds(500))
        screen = try pane.screen()
        #expect(screen.contains("Step 3 of 4") && screen.contains("( ) a: add another"), "x chose nothing, so Enter cannot connect yet: \(screen)")
        try pane.keys("a")
        try pane.keys("Enter")
        try await pane.waitFor("Step 4 of 4")
        try await pane.waitFor("ACTIVE")
        let accounts = try #require(
            try CommandEndToEndTests.onboard(["accounts", "--user-id", "alice", "--json"], data: gateway.data).json() as? [[String: Any]])
        #expect(accounts.count == 2, "the first account is still there")

        let config = try CommandEndToEndTests.onboard(
            ["invite", "create", "--auth-config", tavily, "--user-id", "alice", "--existing", "replace", "--json"], data: gateway.data)
        let replaceToken = try #require(
            ((try config.json() as? [String: Any])?["ssh_command"] as? String)?.split(separator: " ").last?.split(separator: "@").first)
        let second = try gateway.session(String(replaceToken), width: 100, height: 30)
        try await second.waitFor("Connect Tavily search")
        try second.type("tvly-third-key")
        try await second.enter(leaving: "Enter credentials")
        screen = try await second.waitFor("add another")
        #expect(screen.contains("replace"))
    }

    @Test("a session that cannot start gives its invite back: the same command works once the gateway can start sessions again")
    func spawnFailureKeepsTheInvite() async throws {
        let data = try TemporaryDirectory()
        let copy = data.path + "/onboard-copy"
        try OnboardBinary.copy(to: copy)
        let gateway = try await GatewayProcess(data: data, binary: copy)
        let (token, id, _) = try gateway.invite()
        // A deploy moved the binary away mid-flight: the next session's program cannot start.
        try FileManager.default.moveItem(atPath: copy, toPath: copy + ".moved")
        let failed = try gateway.session(token)
        let screen = try await failed.waitFor("SSH-EXIT=")
        #expect(screen.contains("your invite still works"), "\(screen)")
        var state = ""
        for _ in 0..<50 {
            state = try #require(try gateway.invites().first { $0["id"] as? String == id }?["state"] as? String)
            if state == "pending" { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(state == "pending", "the invite was given back")
        try FileManager.default.moveItem(atPath: copy + ".moved", toPath: copy)
        let pane = try gateway.session(token)
        try await pane.waitFor("Connect Tavily search")
        try pane.type("tvly-after-the-failure")
        try await pane.enter(leaving: "Enter credentials")
        try pane.keys("Enter")
        try await pane.waitFor("ACTIVE")
        #expect(gateway.logText.contains("given back"))
    }

    @Test("50 refused sessions through control masters leave no connection open after the login grace")
    func controlMastersLeaveNothing() async throws {
        let gateway = try await GatewayProcess(["--login-grace", "3", "--connections-per-minute", "0"])
        let sockets = try TemporaryDirectory()
        // Ten at a time: more from one address at once are refused at accept (the waiting cap).
        for batch in 0..<5 {
            var clients: [pid_t] = []
            for index in (batch * 10)..<(batch * 10 + 10) {
                // -T: no terminal, refused; the master would keep the TCP connection for later sessions.
                let command = gateway.ssh(
                    "nobody\(index)", options: "-T -o ControlMaster=yes -o ControlPersist=yes -o ControlPath=\(sockets.path)/m\(index)")
                clients.append(
                    try ChildProcess.spawn(
                        ["/bin/sh", "-c", command], environment: ProcessInfo.processInfo.environment, stdin: "/dev/null",
                        stdout: sockets.path + "/out\(index)", stderr: sockets.path + "/err\(index)"))
            }
            for client in clients { ChildProcess.wait(client) }
            // The gateway closes each refused connection at once, well within the grace.
            for _ in 0..<20 where try !Self.established(gateway.port).isEmpty { try await Task.sleep(for: .milliseconds(100)) }
            #expect(try Self.established(gateway.port).isEmpty, "batch \(batch) left connections open")
        }
        try await Task.sleep(for: .seconds(4))
        let open = try Self.established(gateway.port)
        #expect(open.isEmpty, "still connected after the grace: \(open)")
        let refusals = (0..<50).filter {
            ((try? String(contentsOfFile: sockets.path + "/err\($0)", encoding: .utf8)) ?? "").contains("needs a terminal")
                || ((try? String(contentsOfFile: sockets.path + "/out\($0)", encoding: .utf8)) ?? "").contains("needs a terminal")
        }
        #expect(refusals.count == 50, "each was told why")
        _ = try? TmuxSession.run("pkill", ["-f", "ControlPath=\(sockets.path)"])
    }
}

extension SealedGatewayEndToEndTests {
    /// Established TCP connections to `port` on this machine, as `ss` lists them.
    static func established(_ port: Int) throws -> [String] {
        try TmuxSession.run("ss", ["-Htn", "state", "established", "( sport = :\(port) )"]).split(separator: "\n").map(String.init)
    }

    /// Resident memory of a process, in kilobytes.
    static func residentKilobytes(_ pid: pid_t) throws -> Int {
        let status = try String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)
        let line = try #require(status.split(separator: "\n").first { $0.hasPrefix("VmRSS:") })
        return try #require(Int(line.split(separator: " ", omittingEmptySubsequences: true)[1]))
    }

    @Test("10^5 environment requests before any session (paramiko) grow the gateway by less than 5 MB, and the cap is on record")
    func environmentFlood() async throws {
        let gateway = try await GatewayProcess(["--connections-per-minute", "0"])
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Clients/env_flood.py")
        // A first, small flood settles the gateway's allocations; the second is measured.
        _ = try TmuxSession.run("python3", [script.path, String(gateway.port), "2000"])
        let before = try Self.residentKilobytes(gateway.pid)
        let output = try TmuxSession.run("python3", [script.path, String(gateway.port), "100000"])
        #expect(output.contains("sent 100000 "), "\(output)")
        let after = try Self.residentKilobytes(gateway.pid)
        #expect(after - before < 5 * 1024, "grew \(after - before) kB")
        #expect(gateway.logText.contains("more than 16 environment entries"))
        let limits = try gateway.auditEvents().filter { $0["event"] as? String == "gateway.limit_reached" && $0["error_code"] as? String == "requests" }
        #expect(!limits.isEmpty, "each cap hit is in the trail")
    }
}

extension SealedGatewayEndToEndTests {
    @Test("a torn trail line: the next session completes, audit verify passes and names the repair; an emptied trail then fails verify")
    func tornAndEmptiedTrail() async throws {
        let gateway = try await GatewayProcess()
        let trail = gateway.data.path + "/xdg-state/onboard/audit.jsonl"
        let first = try CommandEndToEndTests.onboard(["audit", "verify"], data: gateway.data)
        #expect(first.status == 0, "\(first.stderr)")
        // A crash mid-write: half a record, no newline.
        let handle = try #require(FileHandle(forWritingAtPath: trail))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(#"{"event":{"actor":{"user":"ops"},"event":"connection.cre"#.utf8))
        try handle.close()
        let (token, _, _) = try gateway.invite()
        let pane = try gateway.session(token)
        try await pane.waitFor("Connect Tavily search")
        try pane.type("tvly-after-a-torn-line")
        try await pane.enter(leaving: "Enter credentials")
        try pane.keys("Enter")
        try await pane.waitFor("ACTIVE", timeout: 20)
        let verified = try CommandEndToEndTests.onboard(["audit", "verify"], data: gateway.data)
        #expect(verified.status == 0, "\(verified.stderr)")
        #expect(verified.stdout.contains("1 repair") && verified.stdout.contains("bytes of a torn line cut off"), "\(verified.stdout)")
        #expect(try gateway.auditEvents().contains { $0["event"] as? String == "connection.created" })
        // Whoever can write the file empties it: the head kept by the last verify says so.
        try Data().write(to: URL(fileURLWithPath: trail))
        let emptied = try CommandEndToEndTests.onboard(["audit", "verify"], data: gateway.data)
        #expect(emptied.status == 1)
        #expect(emptied.stderr.contains("empty"), "\(emptied.stderr)")
    }
}
