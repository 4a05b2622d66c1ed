import Foundation
import OnboardGateway
import OnboardStore
import Testing

/// The gateway session's lifecycle, event by event, in every order that matters: before the
/// login is known, during the claim, after the start, and twice.
@Suite("The gateway session machine")
struct GatewaySessionTests {
    static let t0 = ContinuousClock.now
    static let wall = Date(timeIntervalSince1970: 1_800_000_000)
    static let invite = Invite(
        id: "inv_aaaaaaaaaaaa", authConfig: "ac_1", userId: "alice", note: nil, createdBy: "op", createdAt: wall, expiresAt: wall + 3600)
    static let pty = SessionRequests.Request.pseudoTerminal(term: "xterm-256color", columns: 80, rows: 24, modeCount: 10)

    static func at(_ seconds: Double) -> ContinuousClock.Instant { t0 + .milliseconds(Int(seconds * 1000)) }

    /// A session through pty and shell to a claimed invite whose program started at t0.
    static func running(limits: GatewayLimits = GatewayLimits()) -> GatewaySession {
        var session = GatewaySession(limits: limits)
        _ = session.handle(.request(pty, at: t0))
        _ = session.handle(.request(.shell, at: t0))
        _ = session.handle(.placeReserved(true, at: wall))
        _ = session.handle(.claimAnswered(.claimed(invite), clientPresent: true))
        _ = session.handle(.launched(failure: nil, at: t0))
        return session
    }

    @Test("pty then shell: a place, then the claim at the wall time given; the claimed invite is launched and reported once started")
    func ordinaryStart() {
        var session = GatewaySession(limits: GatewayLimits())
        #expect(session.handle(.request(Self.pty, at: Self.t0)) == [.reply(true)])
        #expect(session.handle(.request(.environment(name: "LANG", value: "C.UTF-8"), at: Self.t0)) == [.reply(true)])
        #expect(session.handle(.request(.shell, at: Self.t0)) == [.reply(true), .reservePlace])
        #expect(session.phase == .reserving)
        #expect(session.handle(.placeReserved(true, at: Self.wall)) == [.claim(at: Self.wall)])
        #expect(session.handle(.claimAnswered(.claimed(Self.invite), clientPresent: true)) == [.launch(Self.invite)])
        #expect(session.handle(.launched(failure: nil, at: Self.t0)) == [.report(.claimed(Self.invite))])
        #expect(session.phase == .running && session.invite == Self.invite)
    }

    @Test("a shell without a pty is refused with what to do, and claims nothing")
    func noTerminal() {
        var session = GatewaySession(limits: GatewayLimits())
        #expect(session.handle(.request(.shell, at: Self.t0)) == [.reply(true), .report(.noTerminal), .exit(status: 1, notice: GatewaySession.noTerminal)])
        #expect(session.phase == .finished)
        #expect(session.handle(.placeReserved(true, at: Self.wall)) == [.releasePlace], "a place that still came is given back at once")
        #expect(session.handle(.request(Self.pty, at: Self.t0)) == [.reply(false)], "nothing is taken after the end")
    }

    @Test("no free place: busy, no claim, no place to release")
    func busy() {
        var session = GatewaySession(limits: GatewayLimits())
        _ = session.handle(.request(Self.pty, at: Self.t0))
        _ = session.handle(.request(.shell, at: Self.t0))
        #expect(session.handle(.placeReserved(false, at: Self.wall)) == [.report(.busy), .exit(status: 1, notice: GatewaySession.busy)])
    }

    @Test("refused and failed claims: said to the client, the place released, nothing launched")
    func refusedClaims() {
        for (answer, notice) in [
            (GatewaySession.ClaimAnswer.refused(.used, inviteId: "inv_x"), InviteRefusal.used.banner),
            (.refused(.unknown, inviteId: nil), InviteRefusal.unknown.banner),
            (.failed("the store did not answer"), GatewaySession.storeDown),
        ] {
            var session = GatewaySession(limits: GatewayLimits())
            _ = session.handle(.request(Self.pty, at: Self.t0))
            _ = session.handle(.request(.shell, at: Self.t0))
            _ = session.handle(.placeReserved(true, at: Self.wall))
            let actions = session.handle(.claimAnswered(answer, clientPresent: true))
            #expect(actions.contains(.releasePlace) && actions.last == .exit(status: 1, notice: notice))
            #expect(!actions.contains { if case .launch = $0 { true } else { false } })
            #expect(session.phase == .finished)
        }
    }

    @Test("the client leaving during the claim: the claim is given back, the place released, nothing launched")
    func clientLeftDuringClaim() {
        var session = GatewaySession(limits: GatewayLimits())
        _ = session.handle(.request(Self.pty, at: Self.t0))
        _ = session.handle(.request(.shell, at: Self.t0))
        _ = session.handle(.placeReserved(true, at: Self.wall))
        #expect(session.handle(.clientLeft) == [], "nothing runs yet to hang up")
        #expect(
            session.handle(.claimAnswered(.claimed(Self.invite), clientPresent: true)) == [
                .giveBack(Self.invite, claimedAt: Self.wall, why: "the client left during the claim"), .releasePlace, .exit(status: 1, notice: nil),
            ])
        #expect(
            session.handle(.claimAnswered(.claimed(Self.invite), clientPresent: true)) == [
                .giveBack(Self.invite, claimedAt: Self.wall, why: "the session had ended before the claim was answered")
            ], "a second answer is given back too, never launched")
    }

    @Test("a program that cannot start: reported, the claim given back, the client told the invite still works")
    func launchFails() {
        var session = GatewaySession(limits: GatewayLimits())
        _ = session.handle(.request(Self.pty, at: Self.t0))
        _ = session.handle(.request(.shell, at: Self.t0))
        _ = session.handle(.placeReserved(true, at: Self.wall))
        _ = session.handle(.claimAnswered(.claimed(Self.invite), clientPresent: true))
        #expect(
            session.handle(.launched(failure: "no such file", at: Self.t0)) == [
                .report(.launchFailed(Self.invite, "no such file")), .giveBack(Self.invite, claimedAt: Self.wall, why: "its program could not start"),
                .releasePlace, .exit(status: 1, notice: GatewaySession.couldNotStart),
            ])
    }

    @Test("input is forwarded only while the program runs; before the start it goes nowhere")
    func input() {
        var before = GatewaySession(limits: GatewayLimits())
        #expect(before.handle(.input(at: Self.t0)) == [])
        _ = before.handle(.request(Self.pty, at: Self.t0))
        _ = before.handle(.request(.shell, at: Self.t0))
        #expect(before.handle(.input(at: Self.t0)) == [], "not during the claim either")
        var session = Self.running()
        #expect(session.handle(.input(at: Self.t0)) == [.forwardInput])
    }

    @Test("the program ending after drawing: its end recorded, the place released, its status to the client")
    func endsAfterDrawing() {
        var session = Self.running()
        _ = session.handle(.output)
        #expect(
            session.handle(.tick(at: Self.at(42), exitStatus: 0)) == [
                .releasePlace, .recordEnd(Self.invite, exitStatus: 0), .report(.ended(Self.invite, exitStatus: 0, seconds: 42, code: nil)),
                .exit(status: 0, notice: nil),
            ])
        #expect(session.reaped && session.phase == .finished)
        #expect(session.handle(.killDue) == [], "never a signal to a reaped pid")
        #expect(session.handle(.tick(at: Self.at(43), exitStatus: 0)) == [], "ends once")
    }

    @Test("the program ending before its first frame: the invite is given back, not spent")
    func endsBeforeDrawing() {
        var session = Self.running()
        let actions = session.handle(.tick(at: Self.at(1), exitStatus: 1))
        #expect(actions.contains(.giveBack(Self.invite, claimedAt: Self.wall, why: "its program ended (status 1) before drawing anything")))
        #expect(!actions.contains(.recordEnd(Self.invite, exitStatus: 1)))
    }

    @Test("idle: hung up once with the notice, recorded as a limit; killed only if still not reaped after the grace")
    func idle() {
        var limits = GatewayLimits()
        limits.idleTimeout = .seconds(60)
        var session = Self.running(limits: limits)
        _ = session.handle(.output)
        _ = session.handle(.input(at: Self.at(30)))
        #expect(session.handle(.tick(at: Self.at(89), exitStatus: nil)) == [], "input at 30 s moved the idle clock")
        #expect(session.handle(.tick(at: Self.at(90), exitStatus: nil)) == [.hangUp, .report(.limit(code: "idle", Self.invite))])
        #expect(session.handle(.tick(at: Self.at(91), exitStatus: nil)) == [], "once")
        #expect(session.handle(.killDue) == [.kill])
        let end = session.handle(.tick(at: Self.at(93), exitStatus: 129))
        #expect(end.last == .exit(status: 129, notice: session.endNotice?.text))
        #expect(session.endNotice?.code == "idle" && end.contains(.report(.ended(Self.invite, exitStatus: 129, seconds: 93, code: "idle"))))
    }

    @Test("the session's maximum length ends it however busy the client is")
    func maximumLength() {
        var limits = GatewayLimits()
        limits.maximumSessionLength = .seconds(120)
        var session = Self.running(limits: limits)
        _ = session.handle(.input(at: Self.at(119)))
        #expect(session.handle(.tick(at: Self.at(120), exitStatus: nil)) == [.hangUp, .report(.limit(code: "session_length", Self.invite))])
    }

    @Test("the revocation is checked every tenth tick; a revoked invite ends the session once, unrecorded as a limit")
    func revocation() {
        var session = Self.running()
        var checks = 0
        for tick in 1...20 where session.handle(.tick(at: Self.at(Double(tick) / 10), exitStatus: nil)).contains(.checkRevoked(inviteId: Self.invite.id)) {
            checks += 1
        }
        #expect(checks == 2)
        #expect(session.handle(.revocationChecked(revoked: false)) == [])
        #expect(session.handle(.revocationChecked(revoked: true)) == [.hangUp])
        #expect(session.endNotice?.text == GatewaySession.revoked)
        #expect(session.handle(.revocationChecked(revoked: true)) == [], "once")
    }

    @Test("the client leaving mid-session hangs the program up; its end is still recorded")
    func clientLeftMidSession() {
        var session = Self.running()
        _ = session.handle(.output)
        #expect(session.handle(.clientLeft) == [.hangUp])
        #expect(session.handle(.tick(at: Self.at(5), exitStatus: 129)).contains(.recordEnd(Self.invite, exitStatus: 129)))
    }

    @Test("window changes: remembered before the start, applied after it, coalesced past ten a second")
    func windowChanges() {
        var session = GatewaySession(limits: GatewayLimits())
        _ = session.handle(.request(Self.pty, at: Self.t0))
        #expect(session.handle(.request(.windowChange(columns: 100, rows: 30), at: Self.t0)) == [.reply(true)])
        session = Self.running()
        for step in 0..<10 {
            #expect(session.handle(.request(.windowChange(columns: 90 + step, rows: 30), at: Self.t0)) == [.resize(columns: 90 + step, rows: 30)])
        }
        #expect(session.handle(.request(.windowChange(columns: 120, rows: 40), at: Self.t0)) == [], "held for the next tick")
        #expect(session.handle(.tick(at: Self.at(0.1), exitStatus: nil)) == [.resize(columns: 120, rows: 40)])
    }

    @Test("requests after the start: a second shell, a pty, exec are refused; past every cap the connection closes")
    func afterStartAndFlood() {
        var session = Self.running()
        #expect(session.handle(.request(.shell, at: Self.t0)) == [.reply(false)])
        #expect(session.handle(.request(.other, at: Self.t0)) == [.reply(false)])
        #expect(session.handle(.request(Self.pty, at: Self.t0)) == [.reply(false), .report(.cap("Refused: a second pty request"))])
        var flood = GatewaySession(limits: GatewayLimits())
        var last: [GatewaySession.Action] = []
        for _ in 0...SessionRequests.maximumRequests { last = flood.handle(.request(.other, at: Self.t0)) }
        #expect(last == [.report(.cap("Closed: more than 64 other requests before a session")), .close])
        #expect(flood.phase == .finished)
        #expect(flood.handle(.request(.shell, at: Self.t0)) == [.reply(false)], "no session after the close")
    }
}

extension GatewaySessionTests {
    @Test("a drain that times out ends a running session once, recorded, with the notice for its customer; nothing before the start")
    func stopping() {
        var before = GatewaySession(limits: GatewayLimits())
        #expect(before.handle(.stopping(notice: "bye")) == [])
        var session = Self.running()
        _ = session.handle(.output)
        #expect(session.handle(.stopping(notice: "The gateway is shutting down.")) == [.hangUp, .report(.limit(code: "shutdown", Self.invite))])
        #expect(session.handle(.stopping(notice: "again")) == [], "once")
        let end = session.handle(.tick(at: Self.at(3), exitStatus: 129))
        #expect(end.last == .exit(status: 129, notice: "The gateway is shutting down."))
    }

    @Test("the program's reports: an account made or failed through the invite's config is its outcome; a link, a deletion, another config's account never are")
    func outcomesFromReports() {
        func event(_ kind: AuditEvent.Kind, config: String? = "ac_1", account: String? = "ca_new", status: String? = "ACTIVE") -> AuditEvent {
            AuditEvent(kind, actor: .init(user: "alice"), authConfig: config, accountId: account, status: status, version: "test")
        }
        #expect(GatewaySession(limits: GatewayLimits()).outcome(of: event(.connectionCreated)) == nil, "nothing before the claim")
        let session = Self.running()
        #expect(session.outcome(of: event(.connectionCreated)) == .outcome(invite: Self.invite.id, accountId: "ca_new", status: "ACTIVE", errorCode: nil))
        #expect(session.outcome(of: event(.connectionCreated, config: nil)) != nil, "a report without a config is the invite's")
        let failed = AuditEvent(.connectionFailed, actor: .init(user: "alice"), authConfig: "ac_1", errorCode: "401", version: "test")
        #expect(session.outcome(of: failed) == .outcome(invite: Self.invite.id, accountId: nil, status: nil, errorCode: "401"))
        // The replaced account's deletion comes after the new one is ACTIVE: it must not win.
        #expect(session.outcome(of: event(.connectionDeleted, account: "ca_old", status: nil)) == nil)
        #expect(session.outcome(of: event(.linkCreated, status: "INITIATED")) == nil)
        #expect(session.outcome(of: event(.connectionCreated, config: "ac_other")) == nil)
    }
}
