import OnboardGateway
import Testing

/// What a session channel's client may ask, in every order and count: the rules are a value,
/// so each case is a plain call.
@Suite("A session channel's requests")
struct SessionRequestsTests {
    @Test("pty, environment, window, shell: accepted in order; a second pty or shell and exec are refused; nothing after the start changes the environment")
    func ordinaryOrder() {
        var rules = SessionRequests()
        #expect(rules.handle(.pseudoTerminal(term: "xterm", columns: 80, rows: 24, modeCount: 20), second: 0) == .accept)
        #expect(rules.handle(.environment(name: "LANG", value: "C.UTF-8"), second: 0) == .accept)
        #expect(rules.handle(.windowChange(columns: 100, rows: 30), second: 0) == .accept, "before the start: remembered")
        #expect(rules.window == (100, 30))
        #expect(rules.handle(.other, second: 0) == .refuse, "exec or a subsystem")
        #expect(rules.handle(.shell, second: 0) == .start)
        #expect(rules.started)
        #expect(rules.handle(.shell, second: 0) == .refuse)
        #expect(rules.handle(.pseudoTerminal(term: "vt100", columns: 1, rows: 1, modeCount: 0), second: 0) == .refuseAndRecord("a second pty request"))
        #expect(rules.handle(.environment(name: "LC_ALL", value: "C"), second: 0) == .refuse)
        #expect(rules.environment == ["LANG": "C.UTF-8"])
        #expect(rules.terminal?.term == "xterm")
    }

    @Test("a shell before any pty starts (the handler refuses it for want of a terminal); a pty after the start is refused")
    func shellFirst() {
        var rules = SessionRequests()
        #expect(rules.handle(.shell, second: 0) == .start)
        #expect(rules.terminal == nil)
        #expect(rules.handle(.pseudoTerminal(term: "xterm", columns: 80, rows: 24, modeCount: 0), second: 0) == .refuseAndRecord("a second pty request"))
    }

    @Test("environment: at most 16 entries, recorded once; names [A-Z_] only, no path in a value; past 64 requests the connection closes")
    func environmentCaps() {
        var rules = SessionRequests()
        #expect(rules.handle(.environment(name: "LC_ALL", value: "/tmp/evil/locale"), second: 0) == .refuse)
        #expect(rules.handle(.environment(name: "LC_1", value: "C"), second: 0) == .refuse, "a digit is not [A-Z_]")
        #expect(rules.handle(.environment(name: "LD_PRELOAD", value: "x"), second: 0) == .refuse)
        let names = (0..<16).map { "LC_" + String(repeating: "A", count: $0 + 1) }
        for name in names { #expect(rules.handle(.environment(name: name, value: "C.UTF-8"), second: 0) == .accept) }
        #expect(rules.handle(.environment(name: "LC_Q", value: "C"), second: 0) == .refuseAndRecord("more than 16 environment entries"))
        #expect(rules.handle(.environment(name: "LC_R", value: "C"), second: 0) == .refuse, "recorded once")
        #expect(rules.handle(.environment(name: names[0], value: "POSIX"), second: 0) == .accept, "an entry already kept may change")
        #expect(rules.environment.count == 16)
        var decision = SessionRequests.Decision.accept
        for _ in 0..<100 {
            decision = rules.handle(.environment(name: "LC_Z", value: "C"), second: 0)
            if case .close = decision { break }
        }
        #expect(decision == .close("more than 64 env requests before a session"))
    }

    @Test("a pty request with more terminal modes than RFC 4254 has is refused")
    func ptyModes() {
        var rules = SessionRequests()
        #expect(
            rules.handle(.pseudoTerminal(term: "xterm", columns: 80, rows: 24, modeCount: 5000), second: 0)
                == .refuseAndRecord("a pty request with 5000 terminal modes"))
        #expect(rules.terminal == nil)
    }

    @Test("window changes: ten a second reach the program, the rest wait for the next tick, which applies the last size")
    func windowChangeRate() {
        var rules = SessionRequests()
        _ = rules.handle(.pseudoTerminal(term: "xterm", columns: 80, rows: 24, modeCount: 0), second: 0)
        _ = rules.handle(.shell, second: 0)
        for size in 1...10 { #expect(rules.handle(.windowChange(columns: 80 + size, rows: 24), second: 5) == .resize(columns: 80 + size, rows: 24)) }
        #expect(rules.handle(.windowChange(columns: 120, rows: 40), second: 5) == .later)
        #expect(rules.handle(.windowChange(columns: 130, rows: 40), second: 5) == .later)
        #expect(rules.tick() == .resize(columns: 130, rows: 40))
        #expect(rules.tick() == nil, "once")
        #expect(rules.handle(.windowChange(columns: 90, rows: 30), second: 6) == .resize(columns: 90, rows: 30), "a new second, a new allowance")
    }
}

@Suite("Connections waiting for a session")
struct WaitingConnectionsTests {
    @Test("capped per address and in all; a closed connection frees its place; the first refusal is the one reported")
    func caps() {
        let waiting = WaitingConnections(total: 5, perAddress: 2)
        #expect(waiting.admit("10.0.0.1") == .admitted)
        #expect(waiting.admit("10.0.0.1") == .admitted)
        #expect(waiting.admit("10.0.0.1") == .refused("2 of its connections are waiting for a session, the maximum", first: true))
        #expect(waiting.admit("10.0.0.1") == .refused("2 of its connections are waiting for a session, the maximum", first: false))
        waiting.release("10.0.0.1")
        #expect(waiting.admit("10.0.0.1") == .admitted)
        for host in ["10.0.0.2", "10.0.0.3", "10.0.0.4"] { #expect(waiting.admit(host) == .admitted || host == "10.0.0.4") }
        #expect(waiting.count == 5)
        #expect(waiting.admit("10.0.0.9") == .refused("5 connections are waiting for a session, the maximum", first: true))
    }

    @Test("IPv6 addresses count by their /64, however they are written; IPv4 by address")
    func groups() {
        #expect(WaitingConnections.group("2001:db8:1:2:aaaa::1") == "2001:db8:1:2::/64")
        #expect(WaitingConnections.group("2001:db8:1:2:ffff:ffff:ffff:ffff") == "2001:db8:1:2::/64")
        #expect(WaitingConnections.group("2001:0db8:0001:0002::9") == "2001:db8:1:2::/64")
        #expect(WaitingConnections.group("2001:db8::1") == "2001:db8:0:0::/64")
        #expect(WaitingConnections.group("::1") == "0:0:0:0::/64")
        #expect(WaitingConnections.group("192.0.2.7") == "192.0.2.7")
    }
}
