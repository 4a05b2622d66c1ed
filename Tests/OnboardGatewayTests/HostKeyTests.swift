import Foundation
import Testing

@testable import OnboardGateway

@Suite("The gateway's host key")
struct HostKeyTests {
    func temporaryDirectory() -> String {
        let path = NSTemporaryDirectory() + "onboard-hostkey-\(UUID().uuidString)"
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    @Test("is created 0600 once and read back as the same key")
    func createdOnceAndKept() throws {
        let path = temporaryDirectory() + "/keys/gateway_ed25519_key"
        let first = try HostKey.loadOrCreate(path: path)
        let second = try HostKey.loadOrCreate(path: path)
        #expect(first.fingerprint == second.fingerprint)
        let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        #expect(first.fingerprint.hasPrefix("SHA256:") && !first.fingerprint.hasSuffix("="))
    }

    @Test("is an OpenSSH key: ssh-keygen derives the same public key and fingerprint")
    func readableByOpenSSH() throws {
        let directory = temporaryDirectory()
        let path = directory + "/gateway_ed25519_key"
        let key = try HostKey.loadOrCreate(path: path)
        let derived = try run("/usr/bin/ssh-keygen", ["-y", "-f", path])
        #expect(derived.split(separator: " ").prefix(2) == key.publicLine().split(separator: " ").prefix(2))
        try (key.publicLine() + "\n").write(toFile: directory + "/key.pub", atomically: true, encoding: .utf8)
        let listed = try run("/usr/bin/ssh-keygen", ["-lf", directory + "/key.pub"])
        #expect(listed.contains(key.fingerprint))
    }

    @Test("a damaged or readable-by-others key file is refused, not replaced")
    func damagedKeyRefused() throws {
        let directory = temporaryDirectory()
        let path = directory + "/gateway_ed25519_key"
        _ = FileManager.default.createFile(
            atPath: path, contents: Data("-----BEGIN OPENSSH PRIVATE KEY-----\nAAAA\n".utf8), attributes: [.posixPermissions: 0o600])
        #expect(throws: HostKeyError.self) { try HostKey.loadOrCreate(path: path) }
        let key = try HostKey.loadOrCreate(path: directory + "/other")
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: directory + "/other")
        #expect(throws: HostKeyError.self) { try HostKey.load(path: directory + "/other") }
        _ = key
    }

    func run(_ executable: String, _ arguments: [String]) throws -> String { try runProgram(executable, arguments).output }
}

@Suite("What the gateway takes from a client")
struct ClientInputTests {
    @Test("TERM: a known plain name is kept; unknown, hostile or empty falls back to xterm-256color")
    func terminalNames() {
        #expect(TerminalName.resolve("xterm") == "xterm")
        #expect(TerminalName.resolve("screen-256color") == "screen-256color")
        #expect(TerminalName.resolve("xterm-ghostty-unknown") == TerminalName.fallback)
        #expect(TerminalName.resolve("../../etc/passwd") == TerminalName.fallback)
        #expect(TerminalName.resolve("") == TerminalName.fallback)
        #expect(TerminalName.resolve(String(repeating: "x", count: 500)) == TerminalName.fallback)
    }

    @Test("environment: only LANG, LC_*, COLORTERM and NO_COLOR, short and printable")
    func environment() {
        #expect(TerminalName.acceptedEnvironment("LANG", "de_DE.UTF-8"))
        #expect(TerminalName.acceptedEnvironment("LC_ALL", "C.UTF-8"))
        #expect(TerminalName.acceptedEnvironment("COLORTERM", "truecolor"))
        #expect(!TerminalName.acceptedEnvironment("LD_PRELOAD", "/tmp/x.so"))
        #expect(!TerminalName.acceptedEnvironment("COMPOSIO_API_KEY", "ak_x"))
        #expect(!TerminalName.acceptedEnvironment("PATH", "/tmp"))
        #expect(!TerminalName.acceptedEnvironment("LANG", "C\u{1B}]52;c;AAAA\u{07}"))
    }

    @Test("the connection rate: the limit per address per minute, and one reported refusal per window")
    func rateLimit() {
        let limiter = ConnectionRateLimiter(perMinute: 3)
        let start = ContinuousClock.now
        for _ in 0..<3 { #expect(limiter.admit("10.0.0.1", now: start) == .allowed) }
        #expect(limiter.admit("10.0.0.1", now: start) == .refused(first: true))
        #expect(limiter.admit("10.0.0.1", now: start) == .refused(first: false))
        #expect(limiter.admit("10.0.0.2", now: start) == .allowed)
        #expect(limiter.admit("10.0.0.1", now: start + .seconds(61)) == .allowed)
    }
}

/// Runs a program to its end: its exit status and what it wrote to stdout.
func runProgram(_ executable: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    let pipe = Pipe()
    process.standardOutput = pipe
    try process.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: data, as: UTF8.self))
}
