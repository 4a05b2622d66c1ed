import Foundation
import Testing

/// The real binary in a real terminal: tmux at 80x24 against the embedded sandbox.
@Suite("End to end in tmux", .serialized)
struct WizardEndToEndTests {
    static let sandboxKey = "ak_e2e_sandbox_key_0001"

    /// A shell line that records the terminal modes around the run, the exit code, and keeps
    /// the pane open for inspection.
    static func command(_ binary: String, data: String, extra: String = "") -> String {
        "cd \(data) && stty -a > stty-before; env TERM=xterm-256color XDG_DATA_HOME=\(data) ONBOARD_SANDBOX_API_KEY=\(sandboxKey) \(extra) \(binary); echo $? > exit-code; stty -a > stty-after; sleep 60"
    }

    @Test("keys alone create an ACTIVE API-key account on the embedded sandbox; the secret never shows; the terminal is restored")
    func apiKeyFlow() async throws {
        let binary = try OnboardBinary.path()
        let data = try TemporaryDirectory()
        let tmux = try TmuxSession(command: Self.command(binary, data: data.path))
        var screens: [String] = []
        screens.append(try tmux.waitFor("SendGrid (API key)"))
        #expect(screens[0].contains("Step 1 of 4"))
        try tmux.keys("Down", "Down")
        screens.append(try tmux.waitFor("› Freshdesk support desk"))
        try tmux.keys("Enter")
        screens.append(try tmux.waitFor("Subdomain required"))
        try tmux.keys("Enter")
        try tmux.type("acme")
        try tmux.keys("Enter")
        let secret = "fdE2Ecanary0123456789"
        try tmux.type(secret)
        screens.append(try tmux.waitFor("21 characters"))
        #expect(screens.last?.contains("•••••••••••••••••••••") == true)
        try tmux.keys("Enter")
        screens.append(try tmux.waitFor("Review before connecting"))
        #expect(screens.last?.contains("••••••••6789") == true)
        try tmux.keys("Enter")
        let done = try tmux.waitFor("✓ Connected")
        screens.append(done)
        let accountId = try #require(done.split(separator: "\n").first { $0.contains("Account") }?.split(separator: " ").last.map(String.init))
        #expect(accountId.hasPrefix("ca_"))
        try tmux.keys("Enter")
        let after = try tmux.waitFor("Connected \(accountId): freshdesk for user default (ACTIVE)")
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
        try tmux.waitFor("SendGrid (API key)")
        try tmux.keys("C-c")
        try tmux.waitFor("Press Ctrl-C again to quit")
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
        try tmux.waitFor("SendGrid (API key)")
        try tmux.keys("Enter")
        try tmux.waitFor("API Key required")
        try tmux.keys("Tab")
        let token = String((0..<4096).map { _ in "abcdefghijklmnopqrstuvwxyz0123456789".randomElement()! })
        try tmux.paste(token + "\n")
        let screen = try tmux.waitFor("4096 characters")
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
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = ["sandbox", "serve", "--port", "0", "--db", database]
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        defer {
            process.terminate()
            process.waitUntilExit()
        }
        var port: Int?
        var buffer = ""
        let deadline = Date().addingTimeInterval(15)
        while port == nil, Date() < deadline {
            let chunk = errors.fileHandleForReading.availableData
            buffer += String(decoding: chunk, as: UTF8.self)
            if let range = buffer.range(of: #"http://127\.0\.0\.1:(\d+)"#, options: .regularExpression) {
                port = Int(buffer[range].split(separator: ":").last ?? "")
            }
        }
        let bound = try #require(port, "the sandbox did not say where it listens: \(buffer)")
        let curl = try TmuxSession.run("curl", ["-s", "-H", "x-api-key: \(sandboxKey)", "http://127.0.0.1:\(bound)/api/v3.1/connected_accounts/\(id)"])
        return (try JSONSerialization.jsonObject(with: Data(curl.utf8)) as? [String: Any]) ?? [:]
    }
}
