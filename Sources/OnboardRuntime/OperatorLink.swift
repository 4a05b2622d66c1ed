import Foundation
import OnboardCore
import OnboardTUI

/// A gateway session's line to the operators who may watch it. The runtime hands every state
/// to an ``OperatorFrames``, which draws the masked state (``Wizard/State/observed``) at every
/// size an operator watches at and hands the frames over; what the operators say comes back as
/// events.
package protocol OperatorLink: AnyObject, Sendable {
    /// The window sizes operators watch at now; empty while nobody watches (nothing is drawn).
    var sizes: [(columns: Int, rows: Int)] { get }
    /// Starts delivering what the operators say (`deliver` is called from another thread), and
    /// `watchersChanged` when the sizes changed.
    func start(deliver: @escaping @Sendable (Wizard.Event) -> Void, watchersChanged: @escaping @Sendable () -> Void)
    /// The screen for one size, drawn from the masked state.
    func publish(_ frame: Canvas)
    /// The customer asked for help.
    func requestHelp()
}

/// Draws the frames operators watch, on a thread of its own, from the last state the runtime
/// handed over. The customer's echo comes first: a change is drawn once the customer's input
/// has paused for `quiet`, or at most `lag` after it while keys keep coming, and a frame is sent
/// only when it differs from the last one at its size (a secret's next character, before its
/// count settles, changes nothing an operator may see).
final class OperatorFrames: @unchecked Sendable {
    private let link: any OperatorLink
    private let context: ScreenContext
    private let timekeeper: any Timekeeper
    /// Guards everything below; signalled on each update.
    private let condition = NSCondition()
    private var latest: Wizard.State?
    private var firstChange: MonotonicInstant?
    private var lastChange: MonotonicInstant?
    private var stopped = false
    /// What was sent last at each size (the thread's own).
    private var sent: [String: Canvas] = [:]

    static let quiet: Duration = .milliseconds(30)
    static let lag: Duration = .milliseconds(150)

    init(link: any OperatorLink, context: ScreenContext, timekeeper: any Timekeeper) {
        self.link = link
        self.context = context
        self.timekeeper = timekeeper
        Thread { [self] in run() }.start()
    }

    /// The runtime's state after an event (cheap: kept, drawn later on the frames' thread).
    /// While nobody watches it is only kept: no comparison, no wake-up, no drawing.
    func update(_ state: Wizard.State) {
        let watched = !link.sizes.isEmpty
        condition.lock()
        defer { condition.unlock() }
        guard watched else {
            latest = state
            return
        }
        guard latest != state else { return }
        latest = state
        noteChange()
    }

    /// Operators came, left or resized: the last state is drawn for them.
    func watchersChanged() {
        condition.lock()
        noteChange()
        condition.unlock()
    }

    func stop() {
        condition.lock()
        stopped = true
        condition.signal()
        condition.unlock()
    }

    private func noteChange() {
        let now = timekeeper.now
        if firstChange == nil { firstChange = now }
        lastChange = now
        condition.signal()
    }

    private func run() {
        while true {
            condition.lock()
            while !stopped && firstChange == nil { condition.wait() }
            if stopped {
                condition.unlock()
                return
            }
            // Wait for a pause in the customer's input, or until the change is `lag` old.
            while !stopped, let first = firstChange, let last = lastChange {
                let now = timekeeper.now
                if now - last >= Self.quiet || now - first >= Self.lag { break }
                let wait = min(Self.quiet - (now - last), Self.lag - (now - first))
                _ = condition.wait(until: timekeeper.date.addingTimeInterval(wait.inSeconds))
            }
            let state = latest
            firstChange = nil
            lastChange = nil
            condition.unlock()
            if let state { draw(state) }
        }
    }

    /// Sends each size's frame when it differs from the one sent before.
    private func draw(_ state: Wizard.State) {
        let sizes = link.sizes
        guard !sizes.isEmpty else {
            sent = [:]
            return
        }
        let observed = state.observed
        var now: [String: Canvas] = [:]
        for size in sizes {
            let key = "\(size.columns)x\(size.rows)"
            let frame = WizardView.render(observed, context: context, width: size.columns, height: size.rows)
            if sent[key] != frame { link.publish(frame) }
            now[key] = frame
        }
        sent = now
    }
}
