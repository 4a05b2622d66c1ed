import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// What an operator's terminal does to a program: resizes, Ctrl-Z and fg, a dropped link, a
/// crash, TERM=dumb, NO_COLOR. The real binary in tmux against the embedded sandbox.
@Suite("Terminal behaviour end to end", .serialized)
struct TerminalEndToEndTests {
    static func start(_ data: TemporaryDirectory, width: Int = 80, height: Int = 24, environment: String = "") throws -> TmuxSession {
        try TmuxSession(
            command: WizardEndToEndTests.command(try OnboardBinary.path(), data: data.path, extra: environment), width: width, height: height)
    }

    /// Goes to the Freshdesk fields and types the subdomain and part of the key.
    static func fillFreshdesk(_ tmux: TmuxSession) async throws {
        try await WizardFlowEndToEndTests.choose(tmux, "freshdesk")
        try await tmux.waitFor("Subdomain")
        try tmux.keys("Enter")
        try tmux.type("acme")
        try tmux.keys("Tab")
        try tmux.type("fdResizeSecretValue42")
        try await tmux.waitFor("21 characters")
    }

    /// The pid of the onboard process running in the pane.
    static func onboardPid(_ tmux: TmuxSession) throws -> pid_t {
        let shell = try tmux.value("pane_pid")
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let children = try TmuxSession.run("pgrep", ["-P", shell, "-x", "onboard"]).split(separator: "\n")
        return try #require(children.first.flatMap { pid_t($0) })
    }

    @Test("resizing from 100x30 to 60x18, below the minimum, and up to 120x40 keeps the form and its values")
    func resizeKeepsValues() async throws {
        let data = try TemporaryDirectory()
        let tmux = try Self.start(data, width: 100, height: 30)
        try await Self.fillFreshdesk(tmux)
        for (width, height) in [(60, 18), (50, 14), (120, 40)] {
            try tmux.resize(width: width, height: height)
            if width < 60 {
                try await tmux.waitFor("onboard needs at least 60x18")
                continue
            }
            let screen = try await tmux.waitFor("Step 2 of 4")
            #expect(screen.contains("acme"))
            #expect(screen.contains("21 characters"))
            #expect(screen.split(separator: "\n").allSatisfy { $0.count <= width })
            #expect(!screen.contains("fdResizeSecretValue42"))
        }
        try tmux.keys("Enter")
        try await tmux.waitFor("••••••••ue42")
    }

    @Test("Ctrl-Z gives the shell back with the terminal restored, and fg redraws the wizard where it was")
    func suspendAndResume() async throws {
        let data = try TemporaryDirectory()
        let binary = try OnboardBinary.path()
        let tmux = try TmuxSession(command: "env -i HOME=\(data.path) TERM=xterm-256color PATH=/usr/bin:/bin PS1='shell$ ' bash --norc --noprofile -i")
        try await tmux.waitFor("shell$")
        try tmux.type("cd \(data.path) && XDG_DATA_HOME=\(data.path) XDG_STATE_HOME=\(data.path)/state \(binary)")
        try tmux.keys("Enter")
        try await WizardFlowEndToEndTests.choose(tmux, "freshdesk")
        try await tmux.waitFor("Subdomain")
        try tmux.keys("Enter")
        try tmux.type("acme")
        try tmux.keys("C-z")
        let shell = try await tmux.waitFor("Stopped")
        #expect(!shell.contains("Step 2 of 4"))
        #expect(try tmux.cursorVisible())
        try tmux.type("fg")
        try tmux.keys("Enter")
        let back = try await tmux.waitFor("Step 2 of 4")
        #expect(back.contains("acme"))
        // The same from outside: kill -TSTP, then kill -CONT.
        let pid = try Self.onboardPid(tmux)
        kill(pid, SIGTSTP)
        try await tmux.waitFor("Stopped")
        try tmux.type("fg")
        try tmux.keys("Enter")
        try await tmux.waitFor("Step 2 of 4")
        try tmux.keys("C-c", "C-c")
        try await tmux.waitFor("shell$")
    }

    @Test("SIGHUP (a dropped SSH link) ends the wizard with 129 and the terminal as it was; killing tmux leaves no process behind")
    func hangup() async throws {
        let data = try TemporaryDirectory()
        let tmux = try Self.start(data)
        try await Self.fillFreshdesk(tmux)
        kill(try Self.onboardPid(tmux), SIGHUP)
        #expect(try await WizardFlowEndToEndTests.exitCode(data) == "129")
        let before = try String(contentsOfFile: data.path + "/stty-before", encoding: .utf8)
        let after = try String(contentsOfFile: data.path + "/stty-after", encoding: .utf8)
        #expect(before == after)

        let second = try TemporaryDirectory()
        let other = try Self.start(second)
        try await other.waitFor("auth configs")
        let pid = try Self.onboardPid(other)
        try TmuxSession.run("tmux", ["-L", other.socket, "kill-server"])
        let deadline = Date().addingTimeInterval(5)
        while kill(pid, 0) == 0 && Date() < deadline { try await Task.sleep(for: .milliseconds(50)) }
        #expect(kill(pid, 0) != 0, "onboard \(pid) outlived its terminal")
    }

    @Test("a crash (SIGSEGV) still leaves the terminal as it was")
    func crashRestores() async throws {
        let data = try TemporaryDirectory()
        let tmux = try Self.start(data)
        try await tmux.waitFor("auth configs")
        kill(try Self.onboardPid(tmux), SIGSEGV)
        #expect(try await WizardFlowEndToEndTests.exitCode(data) == "139")
        let before = try String(contentsOfFile: data.path + "/stty-before", encoding: .utf8)
        let after = try String(contentsOfFile: data.path + "/stty-after", encoding: .utf8)
        #expect(before == after)
        #expect(try tmux.cursorVisible())
        #expect(!(try tmux.screen()).contains("Step 1 of 4"))
    }

    @Test("TERM=dumb runs the plain mode: numbered choices, a hidden secret, y/N, and an ACTIVE account")
    func plainMode() async throws {
        let data = try TemporaryDirectory()
        let tmux = try Self.start(data, environment: "TERM=dumb")
        try tmux.recordOutput(to: data.path + "/pane-output")
        try await tmux.waitFor("Number to choose, text to filter, q to quit:")
        try tmux.type("fresh")
        try tmux.keys("Enter")
        try await tmux.waitFor("1. Freshdesk support desk")
        try tmux.type("1")
        try tmux.keys("Enter")
        try await tmux.waitFor("User ID [default]:")
        try tmux.type("pat")
        try tmux.keys("Enter")
        try await tmux.waitFor("Subdomain:")
        try tmux.type("acme")
        try tmux.keys("Enter")
        try await tmux.waitFor("API Key:")
        try tmux.type("fdPlainSecretValue9876")
        // Nothing is echoed while typing (no bullet for a screen reader to read out).
        try await Task.sleep(for: .milliseconds(200))
        #expect(try tmux.screen().split(separator: "\n").last { $0.contains("API Key:") }?.trimmingCharacters(in: .whitespaces) == "API Key:")
        try tmux.keys("Enter")
        try await tmux.waitFor("API Key: (22 characters)")
        try await tmux.waitFor("first? [y/N]")
        try tmux.keys("Enter")
        let review = try await tmux.waitFor("Connect now? [y/N]")
        #expect(review.contains("API Key: ••••••••9876"))
        try tmux.type("y")
        try tmux.keys("Enter")
        try await tmux.waitFor("Connect another? [y/N]")
        try tmux.keys("Enter")
        #expect(try await WizardFlowEndToEndTests.exitCode(data) == "0")
        let history = try tmux.history()
        #expect(history.contains("is ACTIVE."))
        #expect(!history.contains("fdPlainSecretValue9876"))
        let output = try String(contentsOfFile: data.path + "/pane-output", encoding: .utf8)
        #expect(!output.contains("\u{1B}[?2004"), "TERM=dumb has no bracketed paste: its switches would print as garbage")
        #expect(!output.contains(String(repeating: "•", count: 12)), "no bullet per character typed (the review masks with eight)")
    }

    @Test("NO_COLOR=1 sends no colour sequences, only attributes")
    func noColor() async throws {
        let data = try TemporaryDirectory()
        let tmux = try Self.start(data, environment: "NO_COLOR=1")
        try tmux.recordOutput(to: data.path + "/pane-output")
        try await tmux.waitFor("of 21 auth configs")
        try tmux.keys("Down")
        try await tmux.waitFor("› Tavily")
        let output = try String(contentsOfFile: data.path + "/pane-output", encoding: .utf8)
        #expect(!output.isEmpty)
        let colour = #"\x1B\[[0-9;]*(3[0-9]|4[0-9]|9[0-7]|10[0-7])(;[0-9;]*)?m"#
        #expect(output.range(of: colour, options: .regularExpression) == nil)
        #expect(output.contains("\u{1B}[7m") || output.contains("\u{1B}[0;7m"), "the selection is still shown, in reverse")
    }
}
