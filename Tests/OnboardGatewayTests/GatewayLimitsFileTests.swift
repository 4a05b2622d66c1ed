import Foundation
import OnboardCore
import OnboardGateway
import Testing

/// `gateway serve --limits FILE`: what a file may say, what it may not, and how it meets the flags.
@Suite("Gateway limits file")
struct GatewayLimitsFileTests {
    @Test("comments, blank lines, CRLF ends, spaces and 1_000 separators read; the flags win over the file")
    func reads() throws {
        let text = "# limits\r\nmax-sessions = 50   # at once\r\n\r\n  idle-timeout=600\nconnections-per-minute = 0\nmax-session-length = 7_200\n"
        let file = try GatewayLimitsFile.parse(text, source: "limits.toml")
        #expect(file == [.maxSessions: 50, .idleTimeout: 600, .connectionsPerMinute: 0, .maxSessionLength: 7200])
        let limits = try GatewayLimitsFile.limits(file: file, flags: [.maxSessions: 8])
        #expect(limits.maximumSessions == 8, "a flag on the command line wins over the file")
        #expect(limits.idleTimeout == .seconds(600) && limits.connectionsPerMinute == 0 && limits.maximumSessionLength == .seconds(7200))
        #expect(limits.loginGrace == GatewayLimits().loginGrace, "what neither sets keeps its default")
    }

    @Test("each mistake names the file and line, and never quotes the line back")
    func refuses() {
        let cases: [(String, String)] = [
            ("max-sessions = 50\nmax_sessons = 3", "limits.toml line 2: unknown setting; a limits file takes login-grace"),
            ("max-sessions = 5\nmax-sessions = 6", "limits.toml line 2: max-sessions is set twice."),
            ("idle-timeout = sk_live_4f9a8b", "limits.toml line 1: idle-timeout takes a whole number (seconds for times)."),
            ("idle-timeout = \"600\"", "limits.toml line 1: idle-timeout takes a whole number"),
            ("max-sessions 50", "limits.toml line 1: expected name = number"),
            ("max-sessions = 0", "limits.toml line 1: max-sessions must be a number of sessions from 1 to 1000000."),
            ("login-grace = -5", "limits.toml line 1: login-grace must be a positive number of seconds"),
            ("connections-per-minute = 99999999999999999999", "limits.toml line 1: connections-per-minute takes a whole number"),
            ("max-sessions = ５", "limits.toml line 1: max-sessions takes a whole number"),
        ]
        for (text, expected) in cases {
            #expect(throws: (any Error).self) { try GatewayLimitsFile.parse(text, source: "limits.toml") }
            do {
                _ = try GatewayLimitsFile.parse(text, source: "limits.toml")
            } catch {
                #expect(error.description.hasPrefix(expected), "\(text): \(error.description)")
                #expect(!error.description.contains("sk_live"), "the line was quoted back")
            }
        }
        #expect(throws: GatewayLimitsError.self) {
            try GatewayLimitsFile.parse(String(repeating: "# padding\n", count: 2000), source: "big.toml")
        }
    }

    @Test("the file the package ships reads, and says the defaults")
    func shippedFile() throws {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("release/gateway-limits.toml").path
        let file = try GatewayLimitsFile.parse(try String(contentsOfFile: path, encoding: .utf8), source: path)
        #expect(file.count == GatewayLimits.Setting.allCases.count, "every setting is in the shipped file")
        #expect(try GatewayLimitsFile.limits(file: file, flags: [:]) == GatewayLimits())
    }

    @Test("what changed, as the log says it after SIGHUP")
    func changes() throws {
        var new = GatewayLimits()
        try new.set(.maxSessions, to: 5)
        try new.set(.connectionsPerMinute, to: 3)
        #expect(new.changes(from: GatewayLimits()) == ["max-sessions 128 \u{2192} 5", "connections-per-minute 30 \u{2192} 3"])
        #expect(GatewayLimits().changes(from: GatewayLimits()).isEmpty)
    }

    @Test("a lowered rate applies to the next connection from an address already counted")
    func rateLoweredInPlace() {
        let limiter = ConnectionRateLimiter(perMinute: 30)
        let now = SystemTimekeeper().now
        for _ in 0..<3 { #expect(limiter.admit("10.0.0.1", now: now) == .allowed) }
        limiter.perMinute = 3
        #expect(limiter.admit("10.0.0.1", now: now) == .refused(first: true))
        limiter.perMinute = 0
        #expect(limiter.admit("10.0.0.1", now: now) == .allowed, "0 is no limit")
    }
}
