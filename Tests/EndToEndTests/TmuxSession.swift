import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// A tmux server of its own (`-L`) running one command in a pane of a fixed size; tests type
/// with `send-keys` and read the screen with `capture-pane`, as a person at a terminal would.
final class TmuxSession {
    let socket = "onboard-e2e-\(UUID().uuidString.prefix(8))"
    let target = "e2e"

    init(command: String, width: Int = 80, height: Int = 24) throws {
        // The server inherits the client's descriptors: no pipe here, or reading it never ends.
        try Self.run(
            "tmux", ["-L", socket, "-f", "/dev/null", "new-session", "-d", "-s", target, "-x", "\(width)", "-y", "\(height)", command], capture: false)
    }

    deinit {
        _ = try? Self.run("tmux", ["-L", socket, "kill-server"])
    }

    /// Sends Enter until the screen no longer shows `text` (the page moved on), failing the test
    /// if it never does: a key press the program dropped is a bug to see, not to wait out.
    func enter(leaving text: String, timeout: Double = 10, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        try keys("Enter")
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if !(try screen()).contains(text) { return }
            // Waiting suspends instead of blocking: the test runner's threads are shared.
            try await Task.sleep(for: .milliseconds(50))
        }
        Issue.record("Enter did not leave the page showing \u{201C}\(text)\u{201D}. Screen:\n\(try screen())", sourceLocation: sourceLocation)
        throw E2EError.timedOut(text)
    }

    /// Sends tmux key names (`Enter`, `Down`, `C-c`), once more if tmux itself failed.
    func keys(_ names: String...) throws {
        do {
            try Self.run("tmux", ["-L", socket, "send-keys", "-t", target] + names)
        } catch {
            Thread.sleep(forTimeInterval: 0.2)
            try Self.run("tmux", ["-L", socket, "send-keys", "-t", target] + names)
        }
    }

    /// Types text literally.
    func type(_ text: String) throws {
        try Self.run("tmux", ["-L", socket, "send-keys", "-t", target, "-l", text])
    }

    /// Pastes text the way a terminal does, wrapped in bracketed-paste markers.
    func paste(_ text: String) throws {
        try Self.run("tmux", ["-L", socket, "set-buffer", "-b", "e2e", text])
        try Self.run("tmux", ["-L", socket, "paste-buffer", "-p", "-d", "-b", "e2e", "-t", target])
    }

    /// Appends everything the program writes to the pane, escape sequences included, to `path`.
    func recordOutput(to path: String) throws {
        try Self.run("tmux", ["-L", socket, "pipe-pane", "-o", "-t", target, "cat >> '\(path)'"])
    }

    /// The visible screen.
    func screen() throws -> String {
        try Self.run("tmux", ["-L", socket, "capture-pane", "-p", "-t", target])
    }

    /// The screen and all scrollback.
    func history() throws -> String {
        try Self.run("tmux", ["-L", socket, "capture-pane", "-p", "-S", "-", "-t", target])
    }

    func cursorVisible() throws -> Bool {
        try value("cursor_flag") == "1"
    }

    /// One of tmux's format variables for the pane (`pane_pid`, `pane_title`, `cursor_flag`).
    func value(_ variable: String) throws -> String {
        try Self.run("tmux", ["-L", socket, "display-message", "-p", "-t", target, "#{\(variable)}"]).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Resizes the window, as a person dragging the terminal's corner would.
    func resize(width: Int, height: Int) throws {
        try Self.run("tmux", ["-L", socket, "resize-window", "-t", target, "-x", "\(width)", "-y", "\(height)"])
    }

    /// Waits until the screen contains `text`; fails the test with the screen if it never does.
    @discardableResult
    func waitFor(_ text: String, timeout: Double = 45, sourceLocation: SourceLocation = #_sourceLocation) async throws -> String {
        let deadline = Date().addingTimeInterval(timeout)
        var last = ""
        while Date() < deadline {
            last = try screen()
            if last.contains(text) { return last }
            try await Task.sleep(for: .milliseconds(50))
        }
        Issue.record("Timed out waiting for \u{201C}\(text)\u{201D}. Screen:\n\(last)", sourceLocation: sourceLocation)
        throw E2EError.timedOut(text)
    }

    /// Runs a tool and returns its standard output.
    @discardableResult
    static func run(_ tool: String, _ arguments: [String], capture: Bool = true) throws -> String {
        let (pid, output) = try ChildProcess.spawn(["/usr/bin/env", tool] + arguments, readFrom: capture ? .standardOutput : nil)
        defer { close(output) }
        var text = Data()
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while capture {
            let count = read(output, &buffer, buffer.count)
            if count <= 0 { break }
            text.append(contentsOf: buffer[0..<count])
        }
        let status = ChildProcess.wait(pid)
        // A tmux command that failed (e.g. a busy server) must not pass silently: keys would be lost.
        if tool == "tmux", status != 0 {
            throw E2EError.missing("tmux \(arguments.dropFirst(2).joined(separator: " ")) failed (status \(status))")
        }
        return String(decoding: text, as: UTF8.self)
    }
}

/// posix_spawn and waitpid directly: Foundation's Process can miss a child's exit when run from
/// the test runner, and tmux's server inherits descriptors it must not hold.
enum ChildProcess {
    enum Stream { case standardOutput, standardError }

    /// Children start with no signal blocked and default handlers, as from a shell: the test
    /// runner's threads block signals, and a tmux server that inherited that would never exit.
    static func withCleanSignals<Result>(_ body: (inout posix_spawnattr_t) -> Result) -> Result {
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var none = sigset_t()
        sigemptyset(&none)
        posix_spawnattr_setsigmask(&attributes, &none)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for number in [SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGPIPE, SIGTSTP, SIGCHLD, SIGUSR1, SIGUSR2] { sigaddset(&defaults, number) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        return body(&attributes)
    }

    /// Starts `argv` with stdin and the unread streams on /dev/null; returns its pid and the read
    /// end of a pipe on `readFrom` (or -1).
    static func spawn(_ argv: [String], environment: [String: String]? = nil, readFrom stream: Stream?) throws -> (pid: pid_t, output: Int32) {
        var pipe: [Int32] = [-1, -1]
        if stream != nil, Glibc.pipe(&pipe) != 0 { throw E2EError.missing("pipe") }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        for (descriptor, kind) in [(Int32(1), Stream.standardOutput), (Int32(2), Stream.standardError)] {
            if stream == kind {
                posix_spawn_file_actions_adddup2(&actions, pipe[1], descriptor)
            } else {
                posix_spawn_file_actions_addopen(&actions, descriptor, "/dev/null", O_WRONLY, 0)
            }
        }
        if stream != nil {
            posix_spawn_file_actions_addclose(&actions, pipe[0])
            posix_spawn_file_actions_addclose(&actions, pipe[1])
        }
        let arguments = argv.map { strdup($0) } + [nil]
        defer { for pointer in arguments { free(pointer) } }
        let variables = (environment ?? ProcessInfo.processInfo.environment).map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { for pointer in variables { free(pointer) } }
        var pid: pid_t = 0
        let spawned = withCleanSignals { posix_spawn(&pid, argv[0], &actions, &$0, arguments, variables) }
        if stream != nil { close(pipe[1]) }
        guard spawned == 0 else {
            if stream != nil { close(pipe[0]) }
            throw E2EError.missing("cannot run \(argv[0])")
        }
        return (pid, pipe[0])
    }

    /// Starts `argv` with stdin, stdout and stderr on the given files; returns its pid.
    static func spawn(_ argv: [String], environment: [String: String], stdin: String, stdout: String, stderr: String) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, stdin, O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, stdout, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, stderr, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        let arguments = argv.map { strdup($0) } + [nil]
        defer { for pointer in arguments { free(pointer) } }
        let variables = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { for pointer in variables { free(pointer) } }
        var pid: pid_t = 0
        guard withCleanSignals({ posix_spawn(&pid, argv[0], &actions, &$0, arguments, variables) }) == 0 else {
            throw E2EError.missing("cannot run \(argv[0])")
        }
        return pid
    }

    /// Waits for `pid`; its exit code, or 128 + the signal that ended it.
    @discardableResult
    static func wait(_ pid: pid_t) -> Int32 {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        return (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
    }
}

enum E2EError: Error {
    case timedOut(String)
    case missing(String)
}

/// The `onboard` binary built beside this test bundle.
enum OnboardBinary {
    static func path() throws -> String {
        let exe = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        var directory = exe.deletingLastPathComponent()
        // SwiftPM on Linux runs <package>PackageTests.xctest from the build directory.
        if directory.lastPathComponent.hasSuffix(".xctest") { directory = directory.deletingLastPathComponent() }
        let candidate = directory.appendingPathComponent("onboard").path
        guard FileManager.default.isExecutableFile(atPath: candidate) else {
            throw E2EError.missing("No onboard binary at \(candidate); run `swift build` before the end-to-end tests.")
        }
        return candidate
    }

    /// Copies the binary to `destination` (mode 0755) with cp, in a process of its own: a copy
    /// written by this process can be caught open in a child another test forks meanwhile, and
    /// then cannot be run (ETXTBSY).
    static func copy(to destination: String) throws {
        _ = try TmuxSession.run("cp", [try path(), destination])
        chmod(destination, 0o755)
    }
}

/// A temporary directory removed when the test ends.
final class TemporaryDirectory {
    let path: String
    init() throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("onboard-e2e-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }
    deinit { try? FileManager.default.removeItem(atPath: path) }
}
