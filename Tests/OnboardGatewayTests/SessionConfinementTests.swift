import Foundation
import OnboardProcess
import Testing

/// A session's confinement, applied by a process of its own (a ruleset binds the process that
/// applies it) and probed with real opens: the kernel's answers, not the rules' text.
@Suite("A gateway session's confinement")
struct SessionConfinementTests {
    /// The probe sits beside the test bundle in the build directory.
    static func probe() throws -> String {
        var directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for _ in 0..<6 {
            let candidate = directory.appendingPathComponent("confine-probe").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            directory.deleteLastPathComponent()
        }
        throw ProbeMissing()
    }

    struct ProbeMissing: Error, CustomStringConvertible {
        var description: String { "confine-probe was not built; run swift build first" }
    }

    /// Runs the probe and returns its lines by their first word.
    static func run(_ arguments: [String]) throws -> [String: String] {
        let (status, output) = try runProgram(try probe(), arguments)
        #expect(status == 0)
        var lines: [String: String] = [:]
        for line in output.split(separator: "\n") {
            let parts = line.split(separator: " ", maxSplits: 1)
            if parts.count == 2 { lines[String(parts[0])] = String(parts[1]) }
        }
        return lines
    }

    @Test("an ordinary user's session (a gateway not run as root) confines itself too: no capability to drop is no failure")
    func confinesWithoutRoot() throws {
        // A copy anyone may run, as a package installs it; run as nobody when the tests are root.
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("confine-user-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: false)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        chmod(directory, 0o755)
        let copy = directory + "/confine-probe"
        try FileManager.default.copyItem(atPath: try Self.probe(), toPath: copy)
        chmod(copy, 0o755)
        let arguments = ["/usr/share/terminfo", directory + "/none.sqlite", "--", "/usr/share/terminfo", "/etc/hostname"]
        let (status, output) =
            geteuid() == 0
            ? try runProgram("/usr/bin/setpriv", ["--reuid=nobody", "--regid=nogroup", "--clear-groups", copy] + arguments)
            : try runProgram(copy, arguments)
        #expect(status == 0, "\(output)")
        #expect(output.contains("confinement confined(abi: "), "\(output)")
        #expect(output.contains("no_new_privs true"))
        #expect(output.contains("/usr/share/terminfo ok") && output.contains("/etc/hostname EACCES"), "\(output)")

        // As systemd runs the packaged unit (~@privileged: capset answered EPERM): a process that
        // holds nothing has nothing to give up, and confines itself all the same.
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Clients/deny_capset.py").path
        let denied =
            geteuid() == 0
            ? try runProgram("/usr/bin/setpriv", ["--reuid=nobody", "--regid=nogroup", "--clear-groups", "/usr/bin/python3", script, copy] + arguments)
            : try runProgram("/usr/bin/python3", [script, copy] + arguments)
        #expect(denied.status == 0 && denied.output.contains("confinement confined(abi: "), "\(denied.output)")
    }

    @Test("the kernel denies every file outside the rules: a host key beside the database, /etc/passwd, a new file; the rules' own files open")
    func kernelDenies() throws {
        #expect(SessionConfinement.landlockABI >= 1, "this kernel has Landlock; the gateway's confinement test needs it")
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("confine-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: false)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let database = directory + "/sandbox.sqlite"
        let hostKey = directory + "/gateway_ed25519_key"
        // Stands for terminfo: a directory the rules let it read.
        let readable = directory + "/terminfo"
        try FileManager.default.createDirectory(atPath: readable + "/x", withIntermediateDirectories: true)
        try Data("terminfo".utf8).write(to: URL(fileURLWithPath: readable + "/x/xterm"))
        try Data("db".utf8).write(to: URL(fileURLWithPath: database))
        try Data("-----BEGIN OPENSSH PRIVATE KEY-----".utf8).write(to: URL(fileURLWithPath: hostKey))
        let lines = try Self.run([readable, database, "--", database, hostKey, "/etc/passwd", directory + "/new-file", readable + "/x/xterm"])
        #expect(lines["confinement"]?.hasPrefix("confined") == true, "\(lines)")
        #expect(lines["no_new_privs"] == "true")
        #expect(lines[database] == "ok", "the database it is given is written")
        #expect(lines[readable + "/x/xterm"] == "ok", "what the rules name is read")
        #expect(lines[hostKey] == "EACCES", "the host key beside the database is denied")
        #expect(lines["/etc/passwd"] == "EACCES")
        #expect(lines[directory + "/new-file"] == "EACCES", "nothing is created beside the database")
        #expect(!FileManager.default.fileExists(atPath: directory + "/new-file"))
    }

    @Test("this test process has more than one thread, and confinement refuses it rather than confine one thread")
    func refusesWithThreads() {
        // The test runner runs on several threads; a ruleset would bind only this one.
        let confinement = SessionConfinement(readable: [], writable: [])
        #expect(SessionConfinement.threadCount() > 1)
        guard case .failed(let why) = confinement.apply() else {
            Issue.record("a multi-threaded process was confined")
            return
        }
        #expect(why.contains("threads"))
        #expect(FileManager.default.isReadableFile(atPath: "/etc/passwd"), "nothing was applied")
    }
}
