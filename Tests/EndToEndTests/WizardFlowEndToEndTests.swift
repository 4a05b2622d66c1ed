import Foundation
import Testing

/// Each wizard flow in the real binary, in tmux at 80x24, against the sandbox.
@Suite("End to end: every wizard flow", .serialized)
struct WizardFlowEndToEndTests {
    /// Starts the wizard on a fresh embedded sandbox (or with `environment` pointing elsewhere).
    static func start(_ data: TemporaryDirectory, environment: String = "") throws -> TmuxSession {
        try TmuxSession(command: WizardEndToEndTests.command(try OnboardBinary.path(), data: data.path, extra: environment))
    }

    /// Filters the list down to `filter` and chooses the first row.
    static func choose(_ tmux: TmuxSession, _ filter: String) async throws {
        try await tmux.waitFor("auth configs")
        try tmux.type(filter)
        // The footer, not the header's "Step 1 of 4": the list has loaded and filtered to one row.
        try await tmux.waitFor("  1 of 21 auth configs")
        try await tmux.enter(leaving: "Step 1 of 4")
    }

    static func exitCode(_ data: TemporaryDirectory) async throws -> String {
        try await WizardEndToEndTests.waitForFile(data.path + "/stty-after")
        return try String(contentsOfFile: data.path + "/exit-code", encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @Test("basic auth: subdomain, email and a masked API token make an ACTIVE Jira account")
    func basicAuth() async throws {
        let data = try TemporaryDirectory()
        let tmux = try Self.start(data)
        try await Self.choose(tmux, "jira")
        try await tmux.waitFor("Email required")
        try tmux.keys("Enter")
        try tmux.type("acme")
        try tmux.keys("Enter")
        try tmux.type("ops@acme.test")
        try tmux.keys("Enter")
        try tmux.type("jira-e2e-token-123")
        try tmux.keys("Enter")
        let review = try await tmux.waitFor("Enter connects")
        #expect(review.contains("ops@acme.test"))
        #expect(!review.contains("jira-e2e-token"))
        try tmux.keys("Enter")
        try await tmux.waitFor("✓ Connected")
        try tmux.keys("Enter")
        #expect(try await Self.exitCode(data) == "0")
    }

    @Test("a field with a default is prefilled and sent as is")
    func defaultField() async throws {
        let data = try TemporaryDirectory()
        let tmux = try Self.start(data)
        try await Self.choose(tmux, "firecrawl")
        let fields = try await tmux.waitFor("Base URL required")
        #expect(fields.contains("https://api.firecrawl.dev"))
        try tmux.keys("Enter", "Enter")
        try tmux.type("fc-abcdefgh12")
        try tmux.keys("Enter")
        let review = try await tmux.waitFor("Enter connects")
        #expect(review.contains("Base URL     https://api.firecrawl.dev"))
        try tmux.keys("Enter")
        try await tmux.waitFor("✓ Connected")
        try tmux.keys("Enter")
        #expect(try await Self.exitCode(data) == "0")
    }

    @Test("validation FAILED shows the reason; editing the key and replacing the failed account ends ACTIVE")
    func failedValidationThenRetry() async throws {
        let data = try TemporaryDirectory()
        let tmux = try Self.start(data)
        try await Self.choose(tmux, "sendgrid")
        try await tmux.waitFor("API Key required")
        try tmux.keys("Enter")
        try tmux.type("not-a-sendgrid-key")
        try tmux.keys("Enter")
        try await tmux.waitFor("Enter connects")
        try tmux.type("v")
        try await tmux.waitFor("[x] Ask the service")
        try tmux.keys("Enter")
        let failed = try await tmux.waitFor("Not connected: FAILED")
        // The reason wraps onto a second line at 80 columns.
        #expect(failed.contains("Reason: Credential validation failed: API Key does not look valid for"))
        try tmux.keys("Enter")
        try await tmux.waitFor("18 characters")
        try tmux.keys("C-u")
        try tmux.type("SG.abcdefghijkl.mnopqrstuvwx")
        try tmux.keys("Enter")
        let review = try await tmux.waitFor("already has 1 account here")
        #expect(review.contains("(FAILED)"))
        try tmux.type("x")
        try await tmux.waitFor("Enter connects")
        try tmux.keys("Enter")
        let done = try await tmux.waitFor("deleted")
        #expect(done.contains("✓ Connected"))
        #expect(done.contains("Replaced: ca_"))
        try tmux.keys("Enter")
        #expect(try await Self.exitCode(data) == "0")
    }

    @Test("an existing connection is replaced: the old account is deleted after the new one is ACTIVE")
    func replaceExisting() async throws {
        let data = try TemporaryDirectory()
        let tmux = try Self.start(data)
        try await Self.choose(tmux, "tavily")
        try await tmux.waitFor("API Key required")
        try tmux.keys("Enter")
        try tmux.type("tvly-firstkey01")
        try tmux.keys("Enter")
        try await tmux.waitFor("Enter connects")
        try tmux.keys("Enter")
        let first = try await tmux.waitFor("✓ Connected")
        let oldId = try #require(first.split(separator: "\n").first { $0.contains("Account") }?.split(separator: " ").last.map(String.init))
        try tmux.type("n")
        try await Self.choose(tmux, "tavily")
        try await tmux.waitFor("API Key required")
        try tmux.keys("Enter")
        try tmux.type("tvly-secondkey2")
        try tmux.keys("Enter")
        let review = try await tmux.waitFor("already has 1 account here")
        #expect(review.contains(oldId))
        try tmux.type("x")
        try tmux.keys("Enter")
        let done = try await tmux.waitFor("Replaced: \(oldId) deleted")
        #expect(done.contains("✓ Connected"))
        try tmux.keys("Enter")
        #expect(try await Self.exitCode(data) == "0")
        let served = try ServedSandbox(binary: try OnboardBinary.path(), database: data.path + "/onboard/sandbox.sqlite", key: WizardEndToEndTests.sandboxKey)
        defer { served.kill(signal: SIGTERM) }
        let remaining = try served.json("GET", "/api/v3.1/connected_accounts?user_ids=default")
        #expect((remaining["items"] as? [[String: Any]])?.count == 1)
        #expect(try served.json("GET", "/api/v3.1/connected_accounts/\(oldId)")["error"] != nil)
    }

    @Test("OAuth: a hosted link is shown, approved on the sandbox's page, and the wizard sees ACTIVE")
    func oauthLinkApproved() async throws {
        let data = try TemporaryDirectory()
        let tmux = try Self.start(data)
        try tmux.recordOutput(to: data.path + "/pane-output")
        try await Self.choose(tmux, "github")
        try await tmux.waitFor("User ID required")
        try tmux.keys("Enter")
        let review = try await tmux.waitFor("Enter creates the link")
        #expect(review.contains("OAUTH2 tokens cannot be imported"))
        try tmux.keys("Enter")
        let waiting = try await tmux.waitFor("left")
        #expect(waiting.range(of: #"Waiting for approval (10:00|9:[0-5][0-9]) left"#, options: .regularExpression) != nil)
        let url = try #require(
            waiting.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.first { $0.hasPrefix("http://") && $0.contains("/link/lt_") })
        // The URL is also an OSC 8 hyperlink, so terminals that support them make it clickable.
        let output = try String(contentsOfFile: data.path + "/pane-output", encoding: .utf8)
        #expect(output.contains("\u{1B}]8;id=onboard-"))
        #expect(output.contains(";\(url)\u{1B}\\"))
        let page = try TmuxSession.run("curl", ["-s", url])
        #expect(page.contains("Connect GitHub"))
        let csrf = try #require(page.firstMatch(of: /name="csrf" value="([0-9a-f]+)"/)?.output.1)
        _ = try TmuxSession.run("curl", ["-s", "-d", "csrf=\(csrf)&decision=approve", url])
        try await tmux.waitFor("✓ Connected")
        try tmux.keys("Enter")
        #expect(try await Self.exitCode(data) == "0")
    }

    @Test("a rejected key shows the 401 screen with where the key came from; Esc quits with 1")
    func unauthorized() async throws {
        let data = try TemporaryDirectory()
        let served = try ServedSandbox(binary: try OnboardBinary.path(), database: data.path + "/served.sqlite", key: "ak_served_key")
        defer { served.kill(signal: SIGTERM) }
        let tmux = try Self.start(data, environment: "COMPOSIO_API_KEY=ak_wrong_key COMPOSIO_BASE_URL=http://127.0.0.1:\(served.port)")
        let screen = try await tmux.waitFor("Could not load auth configs")
        #expect(screen.contains("Invalid API key provided (key from COMPOSIO_API_KEY)"))
        #expect(screen.contains("127.0.0.1:\(served.port)"))
        #expect(!screen.contains("ak_wrong_key"))
        try tmux.keys("Escape")
        #expect(try await Self.exitCode(data) == "1")
    }
}

@Suite("End to end: the key prompt", .serialized)
struct KeyPromptEndToEndTests {
    @Test("with a base URL and no key, a masked prompt takes the key, refuses a wrong one, and opens the project")
    func prompt() async throws {
        let data = try TemporaryDirectory()
        let served = try ServedSandbox(binary: try OnboardBinary.path(), database: data.path + "/served.sqlite", key: "ak_prompt_right_key")
        defer { served.kill(signal: SIGTERM) }
        let tmux = try WizardFlowEndToEndTests.start(data, environment: "COMPOSIO_BASE_URL=http://127.0.0.1:\(served.port)")
        try await tmux.waitFor("Project API key")
        try tmux.type("ak_prompt_wrong_key")
        try tmux.keys("Enter")
        let refused = try await tmux.waitFor("Invalid API key provided")
        #expect(!refused.contains("ak_prompt_wrong"))
        try tmux.paste("ak_prompt_right_key")
        let typed = try await tmux.waitFor("19 characters")
        #expect(!typed.contains("ak_prompt_right"))
        try tmux.keys("Enter")
        let list = try await tmux.waitFor("auth configs")
        #expect(list.contains("Sandbox project"))
        try tmux.keys("Escape")
        #expect(try await WizardFlowEndToEndTests.exitCode(data) == "1")
        #expect(!(try tmux.history()).contains("ak_prompt_right"))

        // The plain mode asks the same page's question on a line, echo off.
        let plainData = try TemporaryDirectory()
        let plain = try WizardFlowEndToEndTests.start(plainData, environment: "TERM=dumb COMPOSIO_BASE_URL=http://127.0.0.1:\(served.port)")
        try await plain.waitFor("typing hidden):")
        try plain.type("ak_prompt_wrong_key")
        try plain.keys("Enter")
        try await plain.waitFor("That key did not work: Invalid API key provided")
        try plain.type("ak_prompt_right_key")
        try plain.keys("Enter")
        try await plain.waitFor("Number to choose")
        try plain.type("q")
        try plain.keys("Enter")
        #expect(try await WizardFlowEndToEndTests.exitCode(plainData) == "1")
        let history = try plain.history()
        #expect(history.contains("(19 characters)") && !history.contains("ak_prompt_"))
    }
}

@Suite("End to end: multi-line credentials", .serialized)
struct MultilineEndToEndTests {
    static let json = """
        {
          "type": "service_account",
          "project_id": "acme-data",
          "private_key": "-----BEGIN PRIVATE KEY-----\\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\\n-----END PRIVATE KEY-----\\n",
          "client_email": "loader@acme-data.iam.gserviceaccount.com"
        }
        """

    @Test("a service-account JSON pasted over several lines connects, validated")
    func pasteJSON() async throws {
        let data = try TemporaryDirectory()
        let tmux = try WizardFlowEndToEndTests.start(data)
        try await WizardFlowEndToEndTests.choose(tmux, "bigquery")
        try await tmux.waitFor("Service account key (JSON) required")
        try tmux.keys("Enter")
        try tmux.paste(Self.json)
        let pasted = try await tmux.waitFor("6 lines")
        #expect(!pasted.contains("BEGIN PRIVATE KEY"))
        try tmux.keys("Enter")
        try await tmux.waitFor("Enter connects")
        try tmux.type("v")
        try tmux.keys("Enter")
        try await tmux.waitFor("✓ Connected")
        try tmux.keys("Enter")
        #expect(try await WizardFlowEndToEndTests.exitCode(data) == "0")
    }

    @Test("@path reads the key file into the masked field")
    func readFile() async throws {
        let data = try TemporaryDirectory()
        let file = data.path + "/sa.json"
        try Self.json.write(toFile: file, atomically: true, encoding: .utf8)
        let tmux = try WizardFlowEndToEndTests.start(data)
        try await WizardFlowEndToEndTests.choose(tmux, "bigquery")
        try await tmux.waitFor("Service account key (JSON) required")
        try tmux.keys("Enter")
        try tmux.type("@" + file)
        try tmux.keys("Enter")
        let review = try await tmux.waitFor("Enter connects")
        #expect(!review.contains("acme-data"))
        try tmux.keys("Enter")
        try await tmux.waitFor("✓ Connected")
        try tmux.keys("Enter")
        #expect(try await WizardFlowEndToEndTests.exitCode(data) == "0")
    }
}
