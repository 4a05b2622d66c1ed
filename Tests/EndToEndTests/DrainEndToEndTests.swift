import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// A deploy stops the gateway with SIGTERM: no new connections, the sessions in flight finish (or
/// are told why they end at the drain's timeout), every record is written, exit 0. Its metrics
/// and readiness, as a balancer and Prometheus read them, along the way.
@Suite("The SSH gateway drained on SIGTERM", .serialized)
struct DrainEndToEndTests {
    @Test("SIGTERM with two sessions at the form: new connections refused, one completes to ACTIVE, the other is told at the timeout; exit 0")
    func drain() async throws {
        let gateway = try await GatewayProcess(["--drain-timeout", "10", "--metrics", "127.0.0.1:0"])
        let endpoint = String(try #require(gateway.logText.firstMatch(of: /Metrics on (http:\/\/127\.0\.0\.1:\d+)\/metrics/)?.output.1))
        let (first, firstId, _) = try gateway.invite()
        let (second, _, _) = try gateway.invite(userId: "bob")
        let finishing = try gateway.session(first)
        let idle = try gateway.session(second)
        try await finishing.waitFor("API Key")
        try await idle.waitFor("API Key")
        let stranger = try TmuxSession(command: gateway.ssh("notatoken") + "; echo SSH-EXIT=$?; sleep 30")
        try await stranger.waitFor("SSH-EXIT=")

        #expect(try PrometheusScrape.get(endpoint + "/ready").status == 200)
        let before = try PrometheusScrape.samples(try PrometheusScrape.get(endpoint + "/metrics").body, in: gateway.data)
        #expect(PrometheusScrape.value(before, "onboard_gateway_sessions") == 2)
        #expect(PrometheusScrape.value(before, "onboard_gateway_sessions_started_total") == 2)
        #expect(PrometheusScrape.value(before, "onboard_gateway_claims_total", ["outcome": "claimed"]) == 2)
        #expect(PrometheusScrape.value(before, "onboard_gateway_claims_total", ["outcome": "unknown"]) == 1)
        #expect(PrometheusScrape.value(before, "onboard_gateway_claim_seconds_count") == 3)
        #expect(PrometheusScrape.value(before, "onboard_gateway_first_frame_seconds_count") == 2)
        #expect(PrometheusScrape.value(before, "onboard_gateway_draining") == 0)

        kill(gateway.pid, SIGTERM)
        for _ in 0..<50 where !gateway.logText.contains("Draining") { try await Task.sleep(for: .milliseconds(100)) }
        #expect(gateway.logText.contains("Draining: no new connections; 2 sessions in flight may finish"))
        let refused = try LoopbackClient.exchange(from: "127.0.0.1", port: gateway.port, timeout: 1)
        #expect(refused.bytes.isEmpty && refused.closed, "a new connection was taken while draining")
        // The balancer's health check now sends new customers elsewhere.
        let ready = try PrometheusScrape.get(endpoint + "/ready")
        #expect(ready.status == 503 && ready.body.contains("draining"))
        #expect(
            PrometheusScrape.value(
                try PrometheusScrape.samples(try PrometheusScrape.get(endpoint + "/metrics").body, in: gateway.data), "onboard_gateway_draining") == 1)

        try finishing.type("tvly-drained-but-done")
        try await finishing.enter(leaving: "Enter credentials")
        try finishing.keys("Enter")
        let screen = try await finishing.waitFor("ACTIVE")
        let account = String(try #require(screen.firstMatch(of: /ca_[A-Za-z0-9]+/)?.output))
        try finishing.keys("Enter")
        try await finishing.waitFor("SSH-EXIT=0")

        let told = try await idle.waitFor("SSH-EXIT=", timeout: 30)
        #expect(told.contains("The gateway is shutting down"))
        #expect(try await gateway.waitForExit() == 0, "the gateway did not exit 0 after its drain")
        #expect(gateway.logText.contains("every record is written"))

        let invite = try #require(try gateway.invites().first { $0["id"] as? String == firstId })
        #expect(invite["state"] as? String == "connected" && invite["account_id"] as? String == account)
        let events = try gateway.auditEvents()
        #expect(events.contains { $0["event"] as? String == "gateway.limit_reached" && $0["error_code"] as? String == "shutdown" })
        #expect(try CommandEndToEndTests.onboard(["audit", "verify"], data: gateway.data, environment: gateway.environment).status == 0)
    }

    @Test("onboard gateway drain: through the control socket, as a SIGTERM; the gateway exits 0; with none running, says so")
    func drainCommand() async throws {
        let gateway = try await GatewayProcess(["--drain-timeout", "60"])
        let (token, id, _) = try gateway.invite()
        let pane = try gateway.session(token)
        try await pane.waitFor("API Key")
        let asked = try CommandEndToEndTests.onboard(["gateway", "drain"], data: gateway.data)
        #expect(asked.status == 0 && asked.stderr.contains("is draining: no new connections; 1 session in flight"), "\(asked.stderr)")
        // The control socket outlives the listener: a second drain is answered, and an operator
        // on the host can still attach to the customer at the form.
        try await Task.sleep(for: .milliseconds(500))
        let again = try CommandEndToEndTests.onboard(["gateway", "drain"], data: gateway.data)
        #expect(again.stderr.contains("already draining: 1 session in flight"), "\(again.stderr)")
        let variables = "XDG_DATA_HOME=\(gateway.data.path)/xdg XDG_STATE_HOME=\(gateway.data.path)/xdg-state"
        let attach = try TmuxSession(command: "env \(variables) \(try OnboardBinary.path()) invite attach \(id); echo ATTACH-EXIT=$?; sleep 30")
        try await attach.waitFor("Watching \(id)")
        // The session in flight finishes; then the gateway exits 0.
        try pane.keys("Escape")
        try await pane.waitFor("SSH-EXIT=")
        try await attach.waitFor("ATTACH-EXIT=0")
        #expect(try await gateway.waitForExit() == 0, "the gateway did not exit 0 after gateway drain")
        let none = try CommandEndToEndTests.onboard(["gateway", "drain"], data: gateway.data)
        #expect(none.status == 1 && none.stderr.contains("No gateway runs for this user on this host"))
    }

    @Test("SIGHUP reads --limits again: a session in flight goes on to ACTIVE, the next connections meet the lowered rate, a broken file changes nothing")
    func reloadOnHangUp() async throws {
        let data = try TemporaryDirectory()
        let file = data.path + "/limits.toml"
        func limits(_ text: String) throws {
            try text.write(toFile: file, atomically: true, encoding: .utf8)
            chmod(file, 0o600)
        }
        try limits("# as shipped\nconnections-per-minute = 30\n")
        let gateway = try await GatewayProcess(["--limits", file], data: data)
        #expect(gateway.logText.contains("Limits: login-grace 60, idle-timeout 900, max-session-length 3600, max-sessions 128, connections-per-minute 30"))
        let (token, _, _) = try gateway.invite()
        let pane = try gateway.session(token)
        try await pane.waitFor("API Key")

        try limits("max-sessions = 5\nconnections-per-minute = 3\n")
        kill(gateway.pid, SIGHUP)
        for _ in 0..<50 where !gateway.logText.contains("SIGHUP: limits") { try await Task.sleep(for: .milliseconds(100)) }
        #expect(gateway.logText.contains("SIGHUP: limits read again: max-sessions 128 \u{2192} 5, connections-per-minute 30 \u{2192} 3."))
        // Three connections a minute from one address now: the fourth is closed before SSH.
        for attempt in 1...3 {
            let taken = try LoopbackClient.exchange(from: "127.0.0.9", port: gateway.port, timeout: 2)
            #expect(String(decoding: taken.bytes, as: UTF8.self).hasPrefix("SSH-2.0-"), "connection \(attempt) under the new rate")
        }
        let refused = try LoopbackClient.exchange(from: "127.0.0.9", port: gateway.port, timeout: 2)
        #expect(refused.bytes.isEmpty && refused.closed, "the fourth connection in a minute was taken")

        // A file that no longer reads leaves the limits as they were, and is not quoted.
        try limits("connections-per-minute = sk_live_not_a_number\n")
        kill(gateway.pid, SIGHUP)
        for _ in 0..<50 where !gateway.logText.contains("were not changed") { try await Task.sleep(for: .milliseconds(100)) }
        #expect(gateway.logText.contains("SIGHUP: the limits were not changed: \(file) line 1: connections-per-minute takes a whole number"))
        #expect(!gateway.logText.contains("sk_live_not_a_number"))

        // The customer who was typing all along finishes, as if nothing happened.
        try pane.type("tvly-reloaded-under-them")
        try await pane.enter(leaving: "Enter credentials")
        try pane.keys("Enter")
        try await pane.waitFor("ACTIVE")

        // A limits file others may write is refused at start: whoever can write it sets the limits.
        chmod(file, 0o666)
        let loose = try CommandEndToEndTests.onboard(["gateway", "serve", "--port", "0", "--limits", file], data: data)
        #expect(loose.status != 0 && loose.stderr.contains("is writable by others, who could lift the gateway's limits"), "\(loose.stderr)")
    }
}
