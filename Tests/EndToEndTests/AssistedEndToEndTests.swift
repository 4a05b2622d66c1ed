import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Operator-assisted sessions with the real OpenSSH client: the customer in one pane, operators
/// attached in others (on the gateway's host through its control socket, and from "elsewhere"
/// over SSH with a key from --operator-keys).
@Suite("Operator-assisted sessions, with the real OpenSSH client", .serialized)
struct AssistedEndToEndTests {
    /// An ed25519 key pair made with ssh-keygen in `directory`: (private key path, public line).
    static func keyPair(_ directory: String, name: String, comment: String) throws -> (path: String, publicLine: String) {
        let path = directory + "/" + name
        try TmuxSession.run("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", comment, "-f", path])
        return (path, try String(contentsOfFile: path + ".pub", encoding: .utf8))
    }

    @Test(
        "the customer's revealed canary never reaches either operator; fields, pages, notes, help, a resize and a second observer do; ACTIVE"
    )
    func attachedOperatorsSeeItMasked() async throws {
        let data = try TemporaryDirectory()
        let key = try Self.keyPair(data.path, name: "operator_key", comment: "alice@support")
        let stranger = try Self.keyPair(data.path, name: "stranger_key", comment: "mallory")
        try key.publicLine.write(toFile: data.path + "/operators", atomically: true, encoding: .utf8)
        chmod(data.path + "/operators", 0o644)
        let gateway = try await GatewayProcess(["--operator-keys", data.path + "/operators", "--metrics", "127.0.0.1:0"], data: data)
        let endpoint = String(try #require(gateway.logText.firstMatch(of: /Metrics on (http:\/\/127\.0\.0\.1:\d+)\/metrics/)?.output.1))
        let config = try CommandEndToEndTests.configId("tavily", data: data)
        let greeting = "Acme Support asks you to connect your Tavily key for the new dashboard"
        let created = try CommandEndToEndTests.onboard(
            ["invite", "create", "--auth-config", config, "--user-id", "alice", "--greeting", greeting, "--json"], data: data)
        let json = try #require(try created.json() as? [String: Any], "invite create: \(created.stderr)")
        let id = try #require(json["id"] as? String)
        let token = String(try #require((json["ssh_command"] as? String)?.split(separator: " ").last?.split(separator: "@").first))

        let customer = try gateway.session(token, width: 100, height: 30)
        var screen = try await customer.waitFor("API Key")
        #expect(screen.contains(greeting) && screen.contains("Host key SHA256:"), "the customer sees who asked and the key to compare")

        // On the gateway's host: the control socket. From elsewhere: SSH with the listed key.
        let variables = "XDG_DATA_HOME=\(data.path)/xdg XDG_STATE_HOME=\(data.path)/xdg-state"
        let local = try TmuxSession(
            command: "env \(variables) \(try OnboardBinary.path()) invite attach \(id); echo ATTACH-EXIT=$?; sleep 60", width: 90, height: 32)
        let ssh = "ssh -F /dev/null -o UserKnownHostsFile=\(gateway.knownHosts) -o StrictHostKeyChecking=yes -o BatchMode=yes -o IdentitiesOnly=yes"
        let remote = try TmuxSession(
            command: "\(ssh) -i \(key.path) -t -p \(gateway.port) operator@127.0.0.1 attach \(id); echo ATTACH-EXIT=$?; sleep 60", width: 110, height: 34)
        let recorded = [data.path + "/local.out", data.path + "/remote.out"]
        try local.recordOutput(to: recorded[0])
        try remote.recordOutput(to: recorded[1])
        for pane in [local, remote] { try await pane.waitFor("Watching \(id)") }
        screen = try await customer.waitFor("2 operators")
        #expect(screen.contains("watched by"), "the customer always sees that operators watch")
        // The attach over SSH holds a place, and the metrics say so beside the customer's session.
        var samples = try PrometheusScrape.samples(try PrometheusScrape.get(endpoint + "/metrics").body, in: data)
        #expect(PrometheusScrape.value(samples, "onboard_gateway_sessions") == 1)
        #expect(PrometheusScrape.value(samples, "onboard_gateway_operators_attached") == 1)

        // A key not in the file gets nothing.
        let refused = try TmuxSession(
            command: "\(ssh) -i \(stranger.path) -t -p \(gateway.port) operator@127.0.0.1 attach \(id); echo ATTACH-EXIT=$?; sleep 60")
        screen = try await refused.waitFor("ATTACH-EXIT=")
        #expect(screen.contains("Permission denied") && screen.contains("ATTACH-EXIT=255"))
        // A listed key may run one command, with a terminal, on an invite id: nothing else.
        let operatorSSH = "\(ssh) -i \(key.path) -p \(gateway.port)"
        for (command, expected) in [
            ("-t operator@127.0.0.1 id", "Operators run one command here"), ("-t operator@127.0.0.1 'attach inv_x;id'", "Operators run one command here"),
            ("-t operator@127.0.0.1", "Operators run one command here"), ("-T operator@127.0.0.1 attach \(id)", "it needs a terminal"),
        ] {
            let attempt = try TmuxSession(command: "\(operatorSSH) \(command); echo ATTACH-EXIT=$?; sleep 60")
            screen = try await attempt.waitFor("ATTACH-EXIT=")
            #expect(screen.contains(expected) && screen.contains("ATTACH-EXIT=2"), "\(command): \(screen)")
        }
        // A key added to the file works at the next login, without a restart.
        try (key.publicLine + stranger.publicLine).write(toFile: data.path + "/operators", atomically: true, encoding: .utf8)
        let added = try TmuxSession(command: "\(ssh) -i \(stranger.path) -T -p \(gateway.port) operator@127.0.0.1 attach \(id); echo ATTACH-EXIT=$?; sleep 60")
        screen = try await added.waitFor("ATTACH-EXIT=")
        #expect(screen.contains("it needs a terminal") && screen.contains("ATTACH-EXIT=2"), "the added key logs in: \(screen)")
        let noKey = try TmuxSession(
            command: "\(ssh) -o PubkeyAuthentication=no -p \(gateway.port) operator@127.0.0.1 attach \(id); echo ATTACH-EXIT=$?; sleep 60")
        screen = try await noKey.waitFor("ATTACH-EXIT=")
        #expect(screen.contains("Permission denied") && screen.contains("ATTACH-EXIT=255"), "no key, no login: \(screen)")

        // A validation error reaches the operators as the customer sees it.
        try customer.keys("Enter")
        try await customer.waitFor("API Key is required.")
        for pane in [local, remote] { try await pane.waitFor("API Key is required.") }

        // The canary, typed into the secret field and revealed: on the customer's screen only.
        let canary = "tvly-ASSISTCANARY\(UUID().uuidString.prefix(8))"
        try customer.type(canary)
        for pane in [local, remote] { try await pane.waitFor("\(canary.count) characters") }
        try customer.keys("C-r")
        try await customer.waitFor(canary)
        try await Task.sleep(for: .milliseconds(500))
        for pane in [local, remote] {
            let seen = try pane.screen()
            #expect(!seen.contains(canary) && !seen.contains("ASSISTCANARY"))
            #expect(seen.contains("•••••"), "the operator sees the field masked")
        }

        // A note from the operator on the host; help from the customer to both.
        try local.keys("n")
        try local.type("Your key is under Settings, API Keys")
        try local.keys("Enter")
        try await customer.waitFor("Your key is under Settings, API Keys")
        try customer.keys("F1")
        for pane in [local, remote] { try await pane.waitFor("HELP ASKED") }

        // The remote operator's window changes: frames come at its new size.
        try remote.resize(width: 84, height: 30)
        for _ in 0..<100 {
            if (try remote.screen()).split(separator: "\n").prefix(3).contains(where: { $0.count == 84 && $0.allSatisfy { $0 == "─" } }) { break }
            try await Task.sleep(for: .milliseconds(50))
        }
        #expect((try remote.screen()).split(separator: "\n").prefix(3).contains { $0.count == 84 && $0.allSatisfy { $0 == "─" } })

        // Page changes reach them; the customer, watched twice, still connects.
        try customer.keys("C-r")
        try await customer.enter(leaving: "Enter credentials")
        for pane in [local, remote] { try await pane.waitFor("Review before connecting") }
        // Where no field takes typing, ? asks for help too.
        try customer.keys("?")
        for _ in 0..<40 where (try gateway.auditEvents().filter { $0["event"] as? String == "session.help_requested" }.count) < 2 {
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(try gateway.auditEvents().filter { $0["event"] as? String == "session.help_requested" }.count == 2)
        try customer.keys("Enter")
        try await customer.waitFor("ACTIVE")
        for pane in [local, remote] { try await pane.waitFor("ACTIVE") }
        try customer.keys("Enter")
        try await customer.waitFor("SSH-EXIT=0")
        for pane in [local, remote] {
            screen = try await pane.waitFor("ATTACH-EXIT=0")
            #expect(screen.contains("The session has ended"))
        }
        samples = try PrometheusScrape.samples(try PrometheusScrape.get(endpoint + "/metrics").body, in: data)
        #expect(PrometheusScrape.value(samples, "onboard_gateway_operators_attached") == 0)
        #expect(PrometheusScrape.value(samples, "onboard_gateway_operator_attaches_total") == 1, "the refused attempts started none")

        // Every frame either operator's terminal received: no canary. Nor any file, nor the trail.
        for path in recorded {
            let bytes = FileManager.default.contents(atPath: path) ?? Data()
            #expect(bytes.count > 1000, "\(path) recorded the operator's frames")
            #expect(bytes.range(of: Data("ASSISTCANARY".utf8)) == nil, "\(path) shows the canary")
        }
        let files = FileManager.default.enumerator(atPath: data.path)?.compactMap { $0 as? String } ?? []
        for file in files where !recorded.contains(data.path + "/" + file) {
            guard let bytes = FileManager.default.contents(atPath: data.path + "/" + file) else { continue }
            #expect(bytes.range(of: Data(canary.utf8)) == nil, "\(file) holds the canary")
        }
        var events: [[String: Any]] = []
        for _ in 0..<40 {
            events = try gateway.auditEvents()
            if events.filter({ $0["event"] as? String == "session.observed" }).count == 2 { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        let observed = events.filter { $0["event"] as? String == "session.observed" }
        #expect(observed.count == 2)
        let actors = observed.compactMap { $0["actor"] as? [String: Any] }
        #expect(actors.contains { $0["user"] as? String == "alice@support" && ($0["key_fingerprint"] as? String)?.hasPrefix("SHA256:") == true })
        #expect(observed.allSatisfy { (($0["counts"] as? [String: Int])?["seconds"] ?? -1) >= 0 && $0["user_id"] as? String == "alice" })
        #expect(events.contains { $0["event"] as? String == "session.note" && $0["note"] as? String == "Your key is under Settings, API Keys" })
        #expect(events.contains { $0["event"] as? String == "session.help_requested" })
        let invite = try #require(try gateway.invites().first { $0["id"] as? String == id })
        #expect(invite["greeting"] as? String == greeting && invite["help_requested_at"] != nil)
        #expect((invite["gateway"] as? String)?.hasSuffix(":\(gateway.port)") == true)
    }
}
