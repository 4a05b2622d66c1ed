import Foundation
import OnboardCore
import OnboardStore

/// One gateway session as a value, in the swift-nio style: what happened goes in as an event
/// (a request from the client, the store's answer, a tick of the clock, the program's exit),
/// what the channel handler must do comes out as actions. The handler only translates; every
/// lifecycle rule is here, so every order of events is a unit test.
///
/// The rules it holds: a session needs a terminal and a free place; the claim is given back
/// whenever the customer never saw a frame (the client left during the claim, the program could
/// not start, or ended before drawing anything); a limit or a revocation hangs the program up
/// and kills it only while it is not reaped (a reaped pid may be another process's); the place
/// is released exactly once.
package struct GatewaySession: Sendable {
    package enum Phase: Equatable, Sendable {
        /// Taking pty, env and window requests until the shell request.
        case negotiating
        /// The shell was asked for: waiting for a place among the gateway's sessions.
        case reserving
        /// Waiting for the store to claim the invite named by the user name.
        case claiming
        /// The invite is claimed and its program is being started.
        case launching
        /// The program runs on its pty.
        case running
        /// Over: nothing more starts, nothing more is forwarded.
        case finished
    }

    /// The store's answer to the claim, as the machine needs it.
    package enum ClaimAnswer: Equatable, Sendable {
        case claimed(Invite)
        case refused(InviteRefusal, inviteId: String?)
        /// The store failed or did not answer in time; the words are for the operator's log.
        case failed(String)
    }

    package enum Event: Equatable, Sendable {
        /// A channel request from the client.
        case request(SessionRequests.Request, at: MonotonicInstant)
        /// Whether a place among the gateway's sessions was free, and the wall time of the claim.
        case placeReserved(Bool, at: Date)
        /// The claim's answer; `clientPresent` is whether the channel was still open then.
        case claimAnswered(ClaimAnswer, clientPresent: Bool)
        /// The program started (nil) or could not (why, for the log).
        case launched(failure: String?, at: MonotonicInstant)
        /// Bytes from the client.
        case input(at: MonotonicInstant)
        /// The program wrote to its terminal.
        case output
        /// Ten times a second, with the program's exit status once it has ended (it is reaped).
        case tick(at: MonotonicInstant, exitStatus: Int32?)
        /// The store said whether the invite was revoked.
        case revocationChecked(revoked: Bool)
        /// The grace after a hangup is over.
        case killDue
        /// The client's channel closed.
        case clientLeft
        /// The gateway is stopping and will not wait longer (a drain's timeout): the session
        /// ends, its customer told `notice`.
        case stopping(notice: String)
        /// An operator watching the session ended it; the customer is told `notice`.
        case endedByOperator(notice: String)
    }

    /// What the operator's log and the trail are told.
    package enum Report: Equatable, Sendable {
        /// A request was refused or the connection closed at a cap (recorded once a minute).
        case cap(String)
        case noTerminal
        case busy
        case refused(InviteRefusal, inviteId: String?)
        case storeFailed(String)
        case claimed(Invite)
        case launchFailed(Invite, String)
        case limit(code: String, Invite)
        case ended(Invite, exitStatus: Int32, seconds: Int, code: String?)
    }

    package enum Action: Equatable, Sendable {
        /// Answers the request (when the client wants a reply).
        case reply(Bool)
        case report(Report)
        /// Closes the connection without a word (a client past every cap).
        case close
        case reservePlace
        case releasePlace
        case claim(at: Date)
        case launch(Invite)
        case giveBack(Invite, claimedAt: Date, why: String)
        /// Passes the client's bytes to the program.
        case forwardInput
        case resize(columns: Int, rows: Int)
        case checkRevoked(inviteId: String)
        /// SIGHUP to the program, then `killDue` after the grace.
        case hangUp
        /// SIGKILL: only ever while the program is not reaped.
        case kill
        /// The invite's end, on record: the program ran and drew.
        case recordEnd(Invite, exitStatus: Int32)
        /// Says `notice` (if any) after the program's last output, sends the exit status and
        /// closes the connection.
        case exit(status: Int32, notice: String?)
    }

    package let limits: GatewayLimits
    package private(set) var phase: Phase = .negotiating
    package private(set) var requests = SessionRequests()
    package private(set) var invite: Invite?
    /// When the claim was made, to give it back if the customer never saw a frame.
    package private(set) var claimedAt: Date?
    package private(set) var drewFirstFrame = false
    /// Why the gateway ended the session, said to the client at the end.
    package private(set) var endNotice: (code: String, text: String)?
    /// The program's exit was collected: its pid may be another process's from then on.
    package private(set) var reaped = false
    private var holdsPlace = false
    private var clientGone = false
    private var startedAt: MonotonicInstant?
    private var lastInput: MonotonicInstant?
    private var ticks = 0
    /// A fixed instant to count whole seconds from, for the window-change rate.
    private var epoch: MonotonicInstant?

    package init(limits: GatewayLimits) { self.limits = limits }

    /// What the program's report `event` makes of the invite's outcome (the account and status
    /// `invite watch` shows): an account made, updated or failed through the invite's own auth
    /// config. A link is not an outcome, and a deletion (of the accounts an ACTIVE one replaced)
    /// never overwrites the account the invite connected. Nil before the claim.
    package func outcome(of event: AuditEvent) -> StoreWrite? {
        guard let invite else { return nil }
        let notOutcomes = [AuditEvent.Kind.linkCreated.rawValue, AuditEvent.Kind.connectionDeleted.rawValue]
        guard !notOutcomes.contains(event.event), event.authConfig == nil || event.authConfig == invite.authConfig else { return nil }
        return .outcome(invite: invite.id, accountId: event.accountId, status: event.status, errorCode: event.errorCode)
    }

    package static let noTerminal =
        "This session needs a terminal: run the ssh command as you were given it, without -T (add -t if your client needs it)."
    package static let busy = "The gateway is busy. Try the same command again in a few minutes."
    package static let storeDown = "The gateway cannot check invites right now. Try again in a minute."
    package static let couldNotStart =
        "The session could not start; your invite still works. Try the same command again in a few minutes, or tell the person who sent it."
    package static let revoked = "The invite was withdrawn, so the session has ended."

    package mutating func handle(_ event: Event) -> [Action] {
        switch event {
        case .request(let request, let at): return requested(request, at: at)
        case .placeReserved(let free, let at): return placeReserved(free, at: at)
        case .claimAnswered(let answer, let present): return claimAnswered(answer, clientPresent: present && !clientGone)
        case .launched(let failure, let at): return launched(failure: failure, at: at)
        case .input(let at):
            guard phase == .running else { return [] }
            lastInput = at
            return [.forwardInput]
        case .output:
            if phase == .running { drewFirstFrame = true }
            return []
        case .tick(let at, let exitStatus): return tick(at: at, exitStatus: exitStatus)
        case .revocationChecked(let revoked):
            guard revoked, phase == .running, endNotice == nil else { return [] }
            return end(code: "revoked", Self.revoked, recorded: false)
        case .killDue:
            return phase == .running && !reaped ? [.kill] : []
        case .stopping(let notice):
            guard phase == .running, endNotice == nil else { return [] }
            return end(code: "shutdown", notice, recorded: true)
        case .endedByOperator(let notice):
            guard phase == .running, endNotice == nil else { return [] }
            return end(code: "operator", notice, recorded: true)
        case .clientLeft:
            clientGone = true
            // The program is hung up, and killed if it does not leave.
            return phase == .running && !reaped ? [.hangUp] : []
        }
    }

    // MARK: before the session

    private mutating func requested(_ request: SessionRequests.Request, at: MonotonicInstant) -> [Action] {
        guard phase != .finished else { return [.reply(false)] }
        let epoch = self.epoch ?? at
        self.epoch = epoch
        let second = Int64((at - epoch).components.seconds)
        switch requests.handle(request, second: second) {
        case .accept: return [.reply(true)]
        case .refuse: return [.reply(false)]
        case .refuseAndRecord(let why): return [.reply(false), .report(.cap("Refused: \(why)"))]
        case .close(let why):
            phase = .finished
            return [.report(.cap("Closed: \(why)")), .close]
        case .later: return []
        case .resize(let columns, let rows): return phase == .running ? [.resize(columns: columns, rows: rows)] : []
        case .start:
            // Without a pty the client's own terminal would echo what is typed: no secrets then.
            guard requests.terminal != nil else {
                phase = .finished
                return [.reply(true), .report(.noTerminal), .exit(status: 1, notice: Self.noTerminal)]
            }
            phase = .reserving
            return [.reply(true), .reservePlace]
        }
    }

    private mutating func placeReserved(_ free: Bool, at: Date) -> [Action] {
        guard phase == .reserving else { return free ? [.releasePlace] : [] }
        guard free else {
            phase = .finished
            return [.report(.busy), .exit(status: 1, notice: Self.busy)]
        }
        holdsPlace = true
        guard !clientGone else { return finishEarly(notice: nil) }
        phase = .claiming
        claimedAt = at
        return [.claim(at: at)]
    }

    private mutating func claimAnswered(_ answer: ClaimAnswer, clientPresent: Bool) -> [Action] {
        guard phase == .claiming, let claimedAt else {
            // Not waiting for one: a claim that still came through is given back.
            if case .claimed(let invite) = answer, let claimedAt {
                return [.giveBack(invite, claimedAt: claimedAt, why: "the session had ended before the claim was answered")]
            }
            return []
        }
        switch answer {
        case .claimed(let invite):
            guard clientPresent else {
                // The client left while the claim was made: it got no session, so the invite is
                // given back for the same command to work again.
                return [.giveBack(invite, claimedAt: claimedAt, why: "the client left during the claim")] + finishEarly(notice: nil)
            }
            self.invite = invite
            phase = .launching
            return [.launch(invite)]
        case .refused(let refusal, let inviteId):
            return [.report(.refused(refusal, inviteId: inviteId))] + finishEarly(notice: refusal.banner)
        case .failed(let why):
            return [.report(.storeFailed(why))] + finishEarly(notice: Self.storeDown)
        }
    }

    private mutating func launched(failure: String?, at: MonotonicInstant) -> [Action] {
        guard phase == .launching, let invite, let claimedAt else { return [] }
        if let failure {
            // The customer got no session: the invite is given back, so the same command works
            // once the operator has fixed what the log names.
            return [.report(.launchFailed(invite, failure)), .giveBack(invite, claimedAt: claimedAt, why: "its program could not start")]
                + finishEarly(notice: Self.couldNotStart)
        }
        phase = .running
        startedAt = at
        lastInput = at
        var actions: [Action] = [.report(.claimed(invite))]
        if clientGone { actions.append(.hangUp) }
        return actions
    }

    /// No session: the place is released, the client told why (when anyone is there), status 1.
    private mutating func finishEarly(notice: String?) -> [Action] {
        phase = .finished
        var actions: [Action] = []
        if holdsPlace {
            holdsPlace = false
            actions.append(.releasePlace)
        }
        actions.append(.exit(status: 1, notice: clientGone ? nil : notice))
        return actions
    }

    // MARK: while it runs

    private mutating func tick(at now: MonotonicInstant, exitStatus: Int32?) -> [Action] {
        guard phase == .running, let invite, let startedAt, let lastInput else { return [] }
        if let exitStatus {
            reaped = true
            return finish(invite, exitStatus: exitStatus, at: now, startedAt: startedAt)
        }
        var actions: [Action] = []
        if case .resize(let columns, let rows) = requests.tick() { actions.append(.resize(columns: columns, rows: rows)) }
        if endNotice == nil {
            if now - lastInput >= limits.idleTimeout {
                actions += end(
                    code: "idle", "The session ended after \(DurationText.words(limits.idleTimeout)) without input. Ask for a new invite to finish.",
                    recorded: true)
            } else if now - startedAt >= limits.maximumSessionLength {
                actions += end(code: "session_length", "The session reached its limit of \(DurationText.words(limits.maximumSessionLength)).", recorded: true)
            }
        }
        ticks += 1
        if ticks % 10 == 0, endNotice == nil { actions.append(.checkRevoked(inviteId: invite.id)) }
        return actions
    }

    /// Ends a running session: the program is hung up; the notice follows its last output.
    private mutating func end(code: String, _ text: String, recorded: Bool) -> [Action] {
        guard let invite else { return [] }
        endNotice = (code, text)
        return [.hangUp] + (recorded ? [.report(.limit(code: code, invite))] : [])
    }

    /// The program ended: the invite is given back if the customer never saw a frame, else its
    /// end is recorded; the exit status goes to the client, and the connection closes.
    private mutating func finish(_ invite: Invite, exitStatus: Int32, at now: MonotonicInstant, startedAt: MonotonicInstant) -> [Action] {
        phase = .finished
        var actions: [Action] = []
        if holdsPlace {
            holdsPlace = false
            actions.append(.releasePlace)
        }
        if !drewFirstFrame, let claimedAt {
            actions.append(.giveBack(invite, claimedAt: claimedAt, why: "its program ended (status \(exitStatus)) before drawing anything"))
        } else {
            actions.append(.recordEnd(invite, exitStatus: exitStatus))
        }
        let seconds = Int((now - startedAt).components.seconds)
        actions.append(.report(.ended(invite, exitStatus: exitStatus, seconds: seconds, code: endNotice?.code)))
        actions.append(.exit(status: exitStatus, notice: endNotice?.text))
        return actions
    }
}
