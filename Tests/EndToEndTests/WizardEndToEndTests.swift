import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// The real binary in a real terminal: tmux at 80x24 against the embedded sandbox.
@Suite("End to end in tmux", .serialized)
struct WizardEndToEndTests {
    static let sandboxKey = "ak_e2e_sandbox_key_0001"

    /// A shell line that records the terminal modes around the run, the exit code, and keeps
    /// the pane open for inspection.
    static func command(_ binary: String, data: String, extra: String = "", arguments: String = "") -> String {
        "cd \(data) && stty -a > stty-before; env TERM=xterm-256color XDG_DATA_HOME=\(data) XDG_STATE_HOME=\(data)/state ONBOARD_SANDBOX_API_KEY=\(sandboxKey) \(extra) \(binary) \(arguments); echo $? > exit-code; stty -a > stty-after; sleep 60"
    }

    @Test("keys alone create an ACTIVE API-key account on the embedded sandbox; the secret never shows; the terminal is restored")
    func apiKeyFlow() async throws {
        let binary = try OnboardBinary.path()
        let data = try TemporaryDirectory()
        let tmux = try TmuxSession(command: Self.command(binary, data: data.path))
        var screens: [String] = []
        screens.append(try await tmux.waitFor("SendGrid (API key)"))
        #expect(screens[0].contains("Step 1 of 4"))
        try tmux.keys("Down", "Down")
        screens.append(try await tmux.waitFor("› Freshdesk support desk"))
        try tmux.keys("Enter")
        screens.append(try await tmux.waitFor("Subdomain required"))
        try tmux.keys("Enter")
        try tmux.type("acme")
        try tmux.keys("Enter")
        let secret = "fdE2Ecanary0123456789"
        try tmux.type(secret)
        screens.append(try await tmux.waitFor("21 characters"))
        #expect(screens.last?.contains("•••••••••••••••••••••") == true)
        try tmux.keys("Enter")
        // The masked tail, on the review page.
        screens.append(try await tmux.waitFor("••••••••6789"))
        #expect(screens.last?.contains("Review before connecting") == true)
        try tmux.keys("Enter")
        let done = try await tmux.waitFor("✓ Connected")
        screens.append(done)
        let accountId = try #require(done.split(separator: "\n").first { $0.contains("Account") }?.split(separator: " ").last.map(String.init))
        #expect(accountId.hasPrefix("ca_"))
        try tmux.keys("Enter")
        let after = try await tmux.waitFor("Connected \(accountId): freshdesk for user default (ACTIVE)")
        screens.append(after)
        for screen in screens + [try tmux.history()] {
            #expect(!screen.contains(secret), "the secret reached the screen")
            #expect(!screen.contains(String(secret.prefix(12))), "part of the secret reached the screen")
        }
        try await Self.waitForFile(data.path + "/exit-code")
        #expect(try String(contentsOfFile: data.path + "/exit-code", encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines) == "0")
        try await Self.waitForFile(data.path + "/stty-after")
        #expect(try String(contentsOfFile: data.path + "/stty-before", encoding: .utf8) == String(contentsOfFile: data.path + "/stty-after", encoding: .utf8))
        #expect(try tmux.cursorVisible())

        // The account is on the sandbox, ACTIVE, when served alone from the same database.
        let account = try await Self.fetchAccount(accountId, binary: binary, database: data.path + "/onboard/sandbox.sqlite")
        #expect(account["status"] as? String == "ACTIVE")
        #expect((account["toolkit"] as? [String: Any])?["slug"] as? String == "freshdesk")
        #expect(!String(describing: account).contains(secret))
    }

    @Test("Ctrl-C asks first; a second Ctrl-C quits with 130 and restores the terminal")
    func controlCTwice() async throws {
        let binary = try OnboardBinary.path()
        let data = try TemporaryDirectory()
        let tmux = try TmuxSession(command: Self.command(binary, data: data.path))
        try await tmux.waitFor("SendGrid (API key)")
        try tmux.keys("C-c")
        try await tmux.waitFor("Quit onboard?")
        try tmux.keys("C-c")
        try await Self.waitForFile(data.path + "/stty-after")
        #expect(try String(contentsOfFile: data.path + "/exit-code", encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines) == "130")
        #expect(try String(contentsOfFile: data.path + "/stty-before", encoding: .utf8) == String(contentsOfFile: data.path + "/stty-after", encoding: .utf8))
        #expect(try tmux.cursorVisible())
    }

    @Test("a 4 KiB pasted token arrives whole in a masked field")
    func bigPaste() async throws {
        let binary = try OnboardBinary.path()
        let data = try TemporaryDirectory()
        let tmux = try TmuxSession(command: Self.command(binary, data: data.path))
        try await tmux.waitFor("SendGrid (API key)")
        try tmux.keys("Enter")
        try await tmux.waitFor("API Key required")
        try tmux.keys("Tab")
        let token = String((0..<4096).map { _ in "abcdefghijklmnopqrstuvwxyz0123456789".randomElement()! })
        try tmux.paste(token + "\n")
        let screen = try await tmux.waitFor("4096 characters")
        #expect(!screen.contains(String(token.prefix(16))))
        // The pasted newline did not submit: still on the fields page.
        #expect(screen.contains("Step 2 of 4"))
        try tmux.keys("C-c")
        try tmux.keys("C-c")
        try await Self.waitForFile(data.path + "/stty-after")
    }

    static func waitForFile(_ path: String, timeout: Double = 10) async throws {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if FileManager.default.fileExists(atPath: path) {
                try await Task.sleep(for: .milliseconds(100))
                return
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw E2EError.missing(path)
    }

    /// Serves the database with `onboard sandbox serve --port 0` and reads one account over HTTP.
    static func fetchAccount(_ id: String, binary: String, database: String) async throws -> [String: Any] {
        let served = try ServedSandbox(binary: binary, database: database, key: sandboxKey)
        defer { served.kill(signal: SIGTERM) }
        return try served.json("GET", "/api/v3.1/connected_accounts/\(id)")
    }
}

@Suite("Sandbox process", .serialized)
struct SandboxProcessTests {
    @Test("an acknowledged create survives kill -9 of the server")
    func durableAcrossKill() async throws {
        let binary = try OnboardBinary.path()
        let data = try TemporaryDirectory()
        let database = data.path + "/db.sqlite"
        let first = try ServedSandbox(binary: binary, database: database, key: WizardEndToEndTests.sandboxKey)
        let configs = try first.json("GET", "/api/v3.1/auth_configs?toolkit_slug=tavily")
        let configId = try #require((configs["items"] as? [[String: Any]])?.first?["id"] as? String)
        let body =
            #"{"auth_config":{"id":"\#(configId)"},"connection":{"user_id":"durable","state":{"authScheme":"API_KEY","val":{"status":"ACTIVE","generic_api_key":"tvly-durable123"}}}}"#
        let created = try first.json("POST", "/api/v3.1/connected_accounts", body: body)
        let id = try #require(created["id"] as? String)
        first.kill(signal: SIGKILL)
        let second = try ServedSandbox(binary: binary, database: database, key: WizardEndToEndTests.sandboxKey)
        defer { second.kill(signal: SIGTERM) }
        let account = try second.json("GET", "/api/v3.1/connected_accounts/\(id)")
        #expect(account["status"] as? String == "ACTIVE")
        #expect(account["user_id"] as? String == "durable")
    }
}

/// `onboard sandbox serve --port 0` as a child process (posix_spawn, so it can be killed and
/// reaped without Foundation's Process), spoken to with curl.
final class ServedSandbox {
    let pid: pid_t
    let port: Int
    let key: String
    private var reaped = false

    /// `http://127.0.0.1:PORT` of `/metrics` and `/ready`, when started with `metrics: true`.
    private(set) var metricsEndpoint: String?

    /// What a client needs to use this sandbox as its service: the key and the base URL.
    var clientEnvironment: [String: String] { ["COMPOSIO_API_KEY": key, "COMPOSIO_BASE_URL": "http://127.0.0.1:\(port)"] }

    init(binary: String, database: String, key: String, rateLimit: Int = 0, faults: String? = nil, metrics: Bool = false) throws {
        self.key = key
        var environment = ProcessInfo.processInfo.environment
        environment["ONBOARD_SANDBOX_API_KEY"] = key
        let (child, errors) = try ChildProcess.spawn(
            [binary, "sandbox", "serve", "--port", "0", "--rate-limit", String(rateLimit), "--db", database] + (faults.map { ["--faults", $0] } ?? [])
                + (metrics ? ["--metrics", "127.0.0.1:0"] : []),
            environment: environment, readFrom: .standardError
        )
        defer { close(errors) }
        pid = child
        // Read stderr until the line that says where it listens.
        var buffer = ""
        var chunk = [UInt8](repeating: 0, count: 4096)
        var found: Int?
        var endpoint: String?
        // The API and the metrics endpoint start side by side: their lines come in either order.
        while found == nil || (metrics && endpoint == nil) {
            let count = read(errors, &chunk, chunk.count)
            if count <= 0 { break }
            buffer += String(decoding: chunk[0..<count], as: UTF8.self)
            if let match = buffer.firstMatch(of: /Sandbox listening on http:\/\/127\.0\.0\.1:(\d+)/) { found = Int(match.output.1) }
            endpoint = buffer.firstMatch(of: /Metrics on (http:\/\/127\.0\.0\.1:\d+)\/metrics/).map { String($0.output.1) }
        }
        guard let found else {
            Glibc.kill(child, SIGKILL)
            ChildProcess.wait(child)
            throw E2EError.missing("the sandbox did not start: \(buffer)")
        }
        port = found
        metricsEndpoint = endpoint
        if metrics && endpoint == nil { throw E2EError.missing("the sandbox's metrics endpoint did not start: \(buffer)") }
    }

    deinit { kill(signal: SIGKILL) }

    func json(_ method: String, _ path: String, body: String? = nil) throws -> [String: Any] {
        var arguments = ["-s", "-X", method, "-H", "x-api-key: \(key)", "-H", "content-type: application/json"]
        if let body { arguments += ["-d", body] }
        let output = try TmuxSession.run("curl", arguments + ["http://127.0.0.1:\(port)\(path)"])
        return (try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any]) ?? [:]
    }

    /// Sends `signal` and waits for the process to end.
    func kill(signal: Int32) {
        guard !reaped else { return }
        reaped = true
        Glibc.kill(pid, signal)
        ChildProcess.wait(pid)
    }
}
