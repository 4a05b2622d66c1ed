import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// A deploy stops the gateway with SIGTERM: no new connections, the sessions in flight finish (or
/// are told why they end at the drain's timeout), every record is written, exit 0.
@Suite("The SSH gateway drained on SIGTERM", .serialized)
struct DrainEndToEndTests {
    @Test("SIGTERM with two sessions at the form: new connections refused, one completes to ACTIVE, the other is told at the timeout; exit 0")
    func drain() async throws {
        let gateway = try await GatewayProcess(["--drain-timeout", "10"])
        let (first, firstId, _) = try gateway.invite()
        let (second, _, _) = try gateway.invite(userId: "bob")
        let finishing = try gateway.session(first)
        let idle = try gateway.session(second)
        try await finishing.waitFor("API Key")
        try await idle.waitFor("API Key")

        kill(gateway.pid, SIGTERM)
        for _ in 0..<50 where !gateway.logText.contains("Draining") { try await Task.sleep(for: .milliseconds(100)) }
        #expect(gateway.logText.contains("Draining: no new connections; 2 sessions in flight may finish"))
        let refused = try LoopbackClient.exchange(from: "127.0.0.1", port: gateway.port, timeout: 1)
        #expect(refused.bytes.isEmpty && refused.closed, "a new connection was taken while draining")

        try finishing.type("tvly-drained-but-done")
        try await finishing.enter(leaving: "Enter credentials")
        try finishing.keys("Enter")
        let screen = try await finishing.waitFor("ACTIVE")
        let account = String(try #require(screen.firstMatch(of: /ca_[A-Za-z0-9]+/)?.output))
        try finishing.keys("Enter")
        try await finishing.waitFor("SSH-EXIT=0")

        let told = try await idle.waitFor("SSH-EXIT=", timeout: 30)
        #expect(told.contains("The gateway is shutting down"))
        var status: Int32 = 0
        var exited = false
        for _ in 0..<100 where !exited {
            exited = waitpid(gateway.pid, &status, WNOHANG) == gateway.pid
            if !exited { try await Task.sleep(for: .milliseconds(100)) }
        }
        gateway.reaped = exited
        #expect(exited && status == 0, "the gateway did not exit 0 after its drain")
        #expect(gateway.logText.contains("every record is written"))

        let invite = try #require(try gateway.invites().first { $0["id"] as? String == firstId })
        #expect(invite["state"] as? String == "connected" && invite["account_id"] as? String == account)
        let events = try gateway.auditEvents()
        #expect(events.contains { $0["event"] as? String == "gateway.limit_reached" && $0["error_code"] as? String == "shutdown" })
        #expect(try CommandEndToEndTests.onboard(["audit", "verify"], data: gateway.data, environment: gateway.environment).status == 0)
    }
}
