import ComposioAPI
import Foundation
import OnboardCore
import OnboardTUI

/// The full-screen front end: the only owner of the terminal.
///
/// It reads input with a short timeout, hands keys to the ``WizardLoop``, lets the loop reduce
/// the results of effects and keep time between reads, and redraws when the picture changed.
package final class WizardRuntime {
    private let terminal: any TerminalDevice
    private let loop: WizardLoop
    private let context: ScreenContext
    /// The gateway session's operators, when this is one.
    private let operators: (any OperatorLink)?

    package var state: Wizard.State { loop.state }

    /// - Parameters:
    ///   - retryNotifier: the client's, so its scheduled retries show as a countdown.
    ///   - timekeeper: the clock the spinner, countdowns, typing pauses and polls run on.
    ///   - withKey: the service with a key typed at the key prompt, when the state starts there.
    package init(
        service: any ComposioService, terminal: any TerminalDevice, context: ScreenContext, initialState: Wizard.State = Wizard.State(),
        retryNotifier: RetryNotifier? = nil, timekeeper: any Timekeeper = SystemTimekeeper(),
        withKey: (@Sendable (Secret) -> any ComposioService)? = nil, operators: (any OperatorLink)? = nil
    ) {
        self.terminal = terminal
        self.context = context
        self.operators = operators
        var helpRequested: (@Sendable () -> Void)?
        if let operators { helpRequested = { operators.requestHelp() } }
        self.loop = WizardLoop(
            service: service, initialState: initialState, timekeeper: timekeeper, retryNotifier: retryNotifier, withKey: withKey,
            helpRequested: helpRequested)
    }

    /// Runs until the wizard quits or a signal ends it; returns the exit code.
    /// Blocks the calling thread (input is read with a short timeout).
    package func run() -> Int32 {
        defer { loop.stop() }
        loop.dispatch(.started)
        let frames = operators.map { OperatorFrames(link: $0, context: context, timekeeper: loop.timekeeper) }
        defer { frames?.stop() }
        operators?.start(deliver: loop.post, watchersChanged: { frames?.watchersChanged() })
        var lastFrame: Canvas?
        var needsRender = true
        var typing = TypingPause()
        while loop.isRunning {
            let size = terminal.size
            // Render only when something happened: idle, the loop costs one input poll.
            if needsRender || lastFrame?.width != size.width || lastFrame?.height != size.height {
                let frame = WizardView.render(loop.state, context: context, width: size.width, height: size.height)
                if frame != lastFrame {
                    terminal.draw(frame)
                    lastFrame = frame
                }
                needsRender = false
            }
            frames?.update(loop.state)
            if let signal = terminal.takeSignal() {
                switch signal {
                case .interrupt: loop.dispatch(.interrupted)
                case .terminate: return 143
                case .hangup: return 129
                case .suspend:
                    terminal.suspend()
                    lastFrame = nil
                }
                needsRender = true
                continue
            }
            switch terminal.readInput() {
            case .key(let key) where key == Wizard.suspendKey:
                terminal.suspend()
                lastFrame = nil
            case .key(let key):
                typing.keyPressed(at: loop.timekeeper.now)
                loop.dispatch(.keyPressed(key))
                needsRender = true
            case .paste(let text):
                loop.dispatch(.pasted(text))
                needsRender = true
            case .pasteCutOff:
                loop.dispatch(.pasteCutOff)
                needsRender = true
            case .resize:
                lastFrame = nil
            case nil:
                if typing.isDue(at: loop.timekeeper.now) {
                    loop.dispatch(.typingPaused)
                    needsRender = true
                }
            }
            if loop.drainResults() { needsRender = true }
            if loop.keepTime() { needsRender = true }
        }
        return loop.exitCode ?? 1
    }
}
