import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// A fast typist: keys sent the instant a frame is on the screen, while the page behind it is
/// still loading (the service answers 300 ms late), are all read back on the page they land on.
@Suite("Type-ahead, locally and over the gateway", .serialized)
struct TypeAheadEndToEndTests {
    /// Polls the screen as fast as tmux answers until `text` shows, then returns at once.
    static func firstFrame(_ pane: TmuxSession, showing text: String) async throws {
        for _ in 0..<2000 {
            if try pane.screen().contains(text) { return }
            try await Task.sleep(for: .milliseconds(5))
        }
        throw E2EError.timedOut(text)
    }

    @Test("every key typed on the first frame of step 2 reaches the field, locally and in a gateway session")
    func noKeyLost() async throws {
        let data = try TemporaryDirectory()
        let key = "ak_typeahead_\(UUID().uuidString.prefix(6))"
        let served = try ServedSandbox(binary: try OnboardBinary.path(), database: data.path + "/served.sqlite", key: key, faults: "latency=300ms")
        defer { served.kill(signal: SIGTERM) }
        let remote = served.clientEnvironment

        // Locally: the config and user id given, so step 2 shows while its fields load.
        let freshdesk = try CommandEndToEndTests.configId("freshdesk", data: data, environment: remote)
        let variables = remote.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        let local = try TmuxSession(
            command: WizardEndToEndTests.command(
                try OnboardBinary.path(), data: data.path, extra: variables + " ", arguments: "--auth-config \(freshdesk) --user-id alice"))
        try await Self.firstFrame(local, showing: "Step 2")
        try local.type("acmesite")
        var screen = try await local.waitFor("Subdomain")
        for _ in 0..<100 where !screen.contains("acmesite") {
            try await Task.sleep(for: .milliseconds(20))
            screen = try local.screen()
        }
        #expect(screen.contains("acmesite"), "a key typed while the fields loaded was lost:\n\(screen)")

        // Over the gateway: typed on the session's first frame, read back revealed.
        let gateway = try await GatewayProcess(data: data, environment: remote)
        let (token, _, _) = try gateway.invite()
        let pane = try gateway.session(token, width: 100, height: 30)
        try await Self.firstFrame(pane, showing: "Step")
        let typed = "tvly-typeahead-0123456789"
        try pane.type(typed)
        try await pane.waitFor("\(typed.count) characters")
        try pane.keys("C-r")
        screen = try await pane.waitFor(typed)
        #expect(screen.contains(typed))
    }
}
