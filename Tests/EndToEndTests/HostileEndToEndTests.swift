import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// A sandbox seeded with hostile text (`onboard sandbox seed-hostile`: clipboard writes, window
/// titles, screen clears, C1 controls, bidi overrides, 10 KB strings, wide and combining
/// characters in names, descriptions, toolkit names, reasons, error messages and URLs), then
/// every command, the plain mode and the wizard run against it. What they write may hold the
/// program's own sequences only; the hostile ones must arrive defanged and visible.
@Suite("Hostile server text on every path to a terminal", .serialized)
struct HostileEndToEndTests {
    /// Scalars that must never reach a terminal from outside: C0 controls but line feed, DEL,
    /// C1 controls and bidi controls.
    static func raw(_ text: String) -> [String] {
        var found: [String] = []
        for scalar in text.unicodeScalars {
            let value = scalar.value
            let bad =
                (value < 0x20 && value != 0x0A) || (0x7F...0x9F).contains(value) || (0x202A...0x202E).contains(value)
                || (0x2066...0x2069).contains(value) || value == 0x200E || value == 0x200F || value == 0x061C
            if bad { found.append(String(format: "U+%04X", value)) }
        }
        return Array(Set(found)).sorted()
    }

    static func expectDefanged(_ text: String, _ place: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let found = raw(text)
        #expect(found.isEmpty, "\(place) wrote raw \(found.joined(separator: ", "))", sourceLocation: sourceLocation)
    }

    /// A data directory whose embedded sandbox holds the hostile seed; returns the config ids.
    static func seeded(_ data: TemporaryDirectory, xdg: String) throws -> [String] {
        let seed = try CommandEndToEndTests.onboard(
            ["sandbox", "seed-hostile", "--db", xdg + "/onboard/sandbox.sqlite"], data: data,
            environment: ["ONBOARD_SANDBOX_API_KEY": WizardEndToEndTests.sandboxKey])
        #expect(seed.status == 0, "seed-hostile: \(seed.stderr)")
        let ids = seed.stdout.split(separator: "\n").map(String.init)
        #expect(ids.count == 5)
        return ids
    }

    @Test("every command prints hostile names, descriptions, reasons, errors and URLs defanged; JSON keeps them exact")
    func commands() throws {
        let data = try TemporaryDirectory()
        let ids = try Self.seeded(data, xdg: data.path + "/xdg")
        let (hostile, missingToolkit) = (ids[0], ids[1])
        var outputs: [String: String] = [:]
        func run(_ arguments: [String], input: String = "", expecting status: Int32? = nil) throws -> CommandEndToEndTests.Run {
            let result = try CommandEndToEndTests.onboard(arguments, input: input, data: data)
            if let status { #expect(result.status == status, "\(arguments.joined(separator: " ")): \(result.stderr)") }
            outputs[arguments.joined(separator: " ") + " (stdout)"] = result.stdout
            outputs[arguments.joined(separator: " ") + " (stderr)"] = result.stderr
            return result
        }

        let table = try run(["auth-configs"], expecting: 0)
        #expect(table.stdout.contains("Hostile Evil \u{241B}]52;c;b3duZWQ=\u{2407}"), "the clipboard write shows, defanged")
        #expect(table.stdout.contains("invoicetxt.exe"), "the bidi override is dropped")
        #expect(table.stdout.split(separator: "\n").allSatisfy { $0.count < 300 }, "a 10 KB name is cut in the table")
        let json = try run(["auth-configs", "--json"], expecting: 0)
        let configs = try #require(try json.json() as? [[String: Any]])
        #expect(configs.contains { ($0["name"] as? String)?.contains("\u{1B}]52;c;b3duZWQ=\u{07}") ?? false }, "JSON keeps the exact name")
        #expect(configs.contains { ($0["name"] as? String)?.count == 10_005 })
        #expect(json.stdout.contains("\\u001b") && json.stdout.contains("\\u202e") && json.stdout.contains("\\u009b"))

        let fields = try run(["fields", hostile], expecting: 0)
        #expect(fields.stdout.contains("hostile, API_KEY"))
        _ = try run(["fields", hostile, "--json"], expecting: 0)
        let missing = try run(["fields", missingToolkit], expecting: 1)
        #expect(missing.stderr.contains("\u{241B}]52"), "the server's error quotes the slug, defanged: \(missing.stderr)")

        let accounts = try run(["accounts"], expecting: 0)
        #expect(accounts.stdout.contains("Rejected: Evil"))
        let listed = try #require(try run(["accounts", "--json"], expecting: 0).json() as? [[String: Any]])
        #expect(listed.count == 3)
        for account in listed { _ = try run(["accounts", "get", try #require(account["id"] as? String)], expecting: 0) }
        let initiated = try #require(listed.first { $0["status"] as? String == "INITIATED" })
        let link = try run(["accounts", "get", try #require(initiated["id"] as? String)])
        #expect(link.stdout.contains("/link/lt_"), "the link URL is shown: \(link.stdout)")

        // The hostile toolkit end to end: its validation fails with a hostile reason.
        let failed = try run(
            ["connect", "--auth-config", hostile, "--user-id", "evil-user", "--validate", "--secrets-stdin"], input: "generic_api_key=not-a-match\n",
            expecting: 1)
        #expect(failed.stderr.contains("Credential validation failed: API Key \u{241B}]52"), "\(failed.stderr)")
        let connected = try run(["connect", "--auth-config", hostile, "--user-id", "ok-user", "--secrets-stdin"], input: "generic_api_key=k\n", expecting: 0)
        #expect(connected.stdout.contains("ACTIVE"))
        let unknown = try run(
            ["connect", "--auth-config", hostile, "--user-id", "u2", "--secrets-stdin"], input: "nonsense=1\n", expecting: 2)
        #expect(unknown.stderr.contains("region\u{241B}]0;pwned-title\u{2407}"), "the field list is defanged: \(unknown.stderr)")
        _ = try run(["connect", "--auth-config", missingToolkit, "--user-id", "u3", "--secrets-stdin"], input: "generic_api_key=k\n", expecting: 1)
        _ = try run(["rotate", hostile, "--secrets-stdin"], input: "generic_api_key=shared\n", expecting: 0)

        let file = data.path + "/users.csv"
        try "user_id,generic_api_key,subdomain\nrow1,k1,acme\nrow2,,acme\n".write(toFile: file, atomically: true, encoding: .utf8)
        _ = try run(["import", file, "--auth-config", missingToolkit])
        _ = try run(["import", file, "--auth-config", hostile, "--dry-run"])

        // The plain mode: choose the hostile config, answer every prompt.
        let plain = try run(["--accessible"], input: "1\n\n\n\n\n\n\n\n\n")
        #expect(plain.stdout.contains("Hostile Evil \u{241B}]52"), "the plain mode lists the config, defanged:\n\(plain.stdout.prefix(2000))")
        #expect(plain.stdout.contains("Subdomain invoicetxt.exe [acme\u{241B}]0;pwned-title\u{2407}]"), "prompts are defanged")
        let longest = plain.stdout.split(separator: "\n").map(\.count).max() ?? 0
        #expect(longest < 1200, "a 10 KB description is cut before it is read out (longest line \(longest))")

        #expect(outputs.count >= 36)
        for (place, text) in outputs { Self.expectDefanged(text, place) }
    }

    @Test("the wizard draws hostile text defanged: no clipboard write, no new title, the layout holds")
    func wizard() async throws {
        let data = try TemporaryDirectory()
        _ = try Self.seeded(data, xdg: data.path)
        let tmux = try TmuxSession(command: "sleep 0.5; " + WizardEndToEndTests.command(try OnboardBinary.path(), data: data.path), width: 80, height: 24)
        // Let the terminal obey OSC 52 and titles, so a raw sequence would show in tmux's state.
        try TmuxSession.run("tmux", ["-L", tmux.socket, "set-option", "-g", "set-clipboard", "on"])
        let title = try tmux.value("pane_title")
        try tmux.recordOutput(to: data.path + "/pane-output")
        let list = try await tmux.waitFor("Hostile Evil")
        #expect(list.contains("Step 1 of 4"))
        #expect(list.contains("Hostile Evil \u{241B}]52;c;b3duZ"), "the sequence is shown as text:\n\(list)")
        #expect(list.contains("漢字かな 👩💻"), "joined emoji stand alone, so the columns line up")
        try tmux.keys("Enter")
        let fields = try await tmux.waitFor("Paste the key. Evil \u{241B}]52")
        #expect(fields.contains("acme\u{241B}]0;pwned-title\u{2407}"), "a hostile default is shown defanged")
        try tmux.keys("Enter")
        try tmux.type("a-key-for-hostile")
        try tmux.keys("Enter")
        try tmux.keys("Enter", "Enter")
        let review = try await tmux.waitFor("Step 3 of 4")
        try tmux.keys("Enter")
        let done = try await tmux.waitFor("Connected")
        try tmux.keys("Enter")
        let code = try await WizardFlowEndToEndTests.exitCode(data)
        #expect(code == "0")
        let history = try tmux.history()
        #expect(history.contains("Connected ca_"))
        for screen in [list, fields, review, done] {
            let lines = screen.split(separator: "\n", omittingEmptySubsequences: false)
            #expect(lines.count <= 25, "no row was pushed past the bottom:\n\(screen)")
            #expect(lines.contains { $0.contains("Step") }, "the header still stands:\n\(screen)")
        }
        let buffers = try TmuxSession.run("tmux", ["-L", tmux.socket, "list-buffers"])
        #expect(buffers.isEmpty, "no clipboard write reached the terminal: \(buffers)")
        let titleAfter = try tmux.value("pane_title")
        #expect(titleAfter == title && !titleAfter.contains("pwned"))
        // What the program wrote holds no hostile sequence: its own use CSI and OSC 8 only.
        let raw = try String(contentsOfFile: data.path + "/pane-output", encoding: .utf8)
        #expect(!raw.contains("\u{1B}]52") && !raw.contains("\u{1B}]0;") && !raw.contains("\u{1B}[2J\u{1B}[H"))
        #expect(!raw.unicodeScalars.contains { (0x80...0x9F).contains($0.value) || $0.value == 0x202E })
    }
}
