import ComposioAPI
import Foundation
import OnboardCore
import OnboardTUI

/// The wizard's event loop: the only owner of the terminal.
///
/// It reads input, reduces events, starts effects as tasks, drains their results from the
/// inbox between input polls, and redraws when the picture changed.
public final class WizardRuntime {
    private let terminal: any TerminalDevice
    private let runner: EffectRunner
    private let inbox = EventInbox<Wizard.Event>()
    private let context: ScreenContext
    private let tasks = EffectTasks()
    /// Set by every event; the loop redraws only then (or on resize).
    private var needsRender = true
    public private(set) var state: Wizard.State

    /// How often the spinner advances.
    static let tickInterval: Duration = .milliseconds(100)

    /// - Parameters:
    ///   - retryNotifier: the client's, so its scheduled retries show as a countdown.
    public init(
        service: any ComposioService, terminal: any TerminalDevice, context: ScreenContext, initialState: Wizard.State = Wizard.State(),
        retryNotifier: RetryNotifier? = nil
    ) {
        self.terminal = terminal
        self.context = context
        self.state = initialState
        self.runner = EffectRunner(service: service, inbox: inbox)
        // Retries the client schedules become a visible countdown.
        retryNotifier?.observe { [inbox] notice in
            let seconds = Double(notice.delay.components.seconds) + Double(notice.delay.components.attoseconds) / 1e18
            let reason = notice.rateLimited ? "The service is rate limiting requests" : "No usable answer to \(notice.operation)"
            inbox.post(.retryScheduled(RetryNotice(reason: reason, until: Date().addingTimeInterval(seconds))))
        }
    }

    /// Runs until the wizard finishes or a signal ends it; returns the exit code.
    /// Blocks the calling thread (input is read with a short timeout).
    public func run() -> Int32 {
        defer {
            tasks.cancelAll()
        }
        dispatch(.started)
        var lastFrame: Canvas?
        var lastTick = ContinuousClock.now
        var lastClock = ContinuousClock.now - .seconds(1)
        var typing = TypingPause()
        while state.exitCode == nil {
            let size = terminal.size
            // Render only when something happened: idle, the loop costs one input poll.
            if needsRender || lastFrame?.width != size.width || lastFrame?.height != size.height {
                let frame = WizardView.render(state, context: context, width: size.width, height: size.height)
                if frame != lastFrame {
                    terminal.draw(frame)
                    lastFrame = frame
                }
                needsRender = false
            }
            if let signal = terminal.takeSignal() {
                switch signal {
                case .interrupt: dispatch(.interrupted)
                case .terminate: return 143
                case .hangup: return 129
                case .suspend:
                    terminal.suspend()
                    lastFrame = nil
                }
                continue
            }
            switch terminal.readInput() {
            case .key(.control("z")):
                terminal.suspend()
                lastFrame = nil
            case .key(let key):
                typing.keyPressed()
                dispatch(.keyPressed(key))
            case .paste(let text):
                dispatch(.pasted(text))
            case .pasteCutOff:
                dispatch(.pasteCutOff)
            case .resize:
                lastFrame = nil
            case nil:
                if typing.isDue() { dispatch(.typingPaused) }
            }
            for event in inbox.drain() { dispatch(event) }
            let now = ContinuousClock.now
            if state.isWaiting, now - lastTick >= Self.tickInterval {
                lastTick = now
                dispatch(.tick)
            }
            if now - lastClock >= .seconds(1) {
                lastClock = now
                dispatch(.clockTicked(Date()))
            }
        }
        return state.exitCode ?? 1
    }

    /// Reduces one event and starts the effects it asks for.
    func dispatch(_ event: Wizard.Event) {
        needsRender = true
        for effect in Wizard.reduce(&state, event) {
            tasks.add(runner.run(effect))
        }
    }
}
