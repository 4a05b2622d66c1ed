import ComposioAPI
import Foundation
import OnboardCore

/// The wizard's one event loop, whatever front end draws it (the full screen, the plain
/// prompts, a gateway session's pty). It reduces events, starts the effects they return as
/// tasks, reduces the results those post, and keeps the spinner and the countdowns going on
/// the injected timekeeper. The `.quit` effect is the one way out.
///
/// Front ends call it from one thread: `dispatch` for what the person did, `drainResults` and
/// `keepTime` between reads of input, `stop` at the end.
final class WizardLoop {
    private(set) var state: Wizard.State
    /// Set by the `.quit` effect; the front end stops once it is.
    private(set) var exitCode: Int32?
    let timekeeper: any Timekeeper
    private let inbox = EventInbox<Wizard.Event>()
    private let runner: EffectRunner
    private let tasks = EffectTasks()
    private var lastTick: MonotonicInstant
    private var lastClock: MonotonicInstant?
    /// Told when the customer asks for help (a gateway session's operators).
    private let helpRequested: (@Sendable () -> Void)?

    /// How often the spinner advances while something is in flight.
    static let tickInterval: Duration = .milliseconds(100)
    /// How often the wall clock is reported (countdowns).
    static let clockInterval: Duration = .seconds(1)

    /// - Parameters:
    ///   - retryNotifier: the client's, so the retries it schedules show as a countdown.
    ///   - withKey: the service with a key typed at the key prompt (when the state starts there).
    init(
        service: any ComposioService, initialState: Wizard.State, timekeeper: any Timekeeper, retryNotifier: RetryNotifier?,
        withKey: (@Sendable (Secret) -> any ComposioService)? = nil, helpRequested: (@Sendable () -> Void)? = nil
    ) {
        self.helpRequested = helpRequested
        self.state = initialState
        self.timekeeper = timekeeper
        self.runner = EffectRunner(service: service, withKey: withKey, inbox: inbox, timekeeper: timekeeper)
        self.lastTick = timekeeper.now
        retryNotifier?.observe { [inbox] notice in
            let reason = notice.reason ?? (notice.rateLimited ? "The service is rate limiting requests" : "No usable answer to \(notice.operation)")
            inbox.post(.retryScheduled(RetryNotice(reason: reason, until: timekeeper.date.addingTimeInterval(notice.delay.inSeconds))))
        }
    }

    var isRunning: Bool { exitCode == nil }

    /// Reduces one event and starts the effects it returns.
    func dispatch(_ event: Wizard.Event) {
        for effect in Wizard.reduce(&state, event) {
            if case .quit(let code) = effect {
                exitCode = code
            } else if effect == .requestHelp {
                helpRequested?()
            } else {
                tasks.add(runner.run(effect))
            }
        }
    }

    /// Queues an event from outside the loop (the gateway's word about operators), reduced
    /// with the effects' results.
    var post: @Sendable (Wizard.Event) -> Void { { [inbox] event in inbox.post(event) } }

    /// Reduces every result that arrived since the last call; whether any did.
    @discardableResult
    func drainResults() -> Bool {
        let events = inbox.drain()
        for event in events where isRunning { dispatch(event) }
        return !events.isEmpty
    }

    /// Blocks until a result arrives or `timeout` passes (a front end with no input to read).
    func waitForResults(upTo timeout: Duration) {
        inbox.wait(upTo: timeout)
    }

    /// Turns the spinner and reports the wall clock when they are due; whether either was.
    @discardableResult
    func keepTime() -> Bool {
        let now = timekeeper.now
        var ticked = false
        if state.isWaiting, now - lastTick >= Self.tickInterval {
            lastTick = now
            dispatch(.tick)
            ticked = true
        }
        if lastClock.map({ now - $0 >= Self.clockInterval }) ?? true {
            lastClock = now
            dispatch(.clockTicked(timekeeper.date))
            ticked = true
        }
        return ticked
    }

    /// Cancels whatever is still in flight.
    func stop() {
        tasks.cancelAll()
    }
}
