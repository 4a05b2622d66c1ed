import Foundation
import OnboardCore
import OnboardTUI
import Synchronization

/// A terminal for runtime tests: input comes from a script, every drawn frame is kept.
///
/// Each scripted step waits until `ready` holds for the latest frame, so a test types into the
/// screen it expects, as a person would, instead of racing the network.
package final class FakeTerminal: TerminalDevice {
    package struct Step {
        package var ready: (Canvas) -> Bool
        package var input: TerminalInput
        package init(when ready: @escaping (Canvas) -> Bool, _ input: TerminalInput) {
            self.ready = ready
            self.input = input
        }
    }

    package var size: (width: Int, height: Int)
    package private(set) var frames: [Canvas] = []
    private var script: [Step]
    private let deadline: MonotonicInstant
    /// The real clock, for the script's own time limit (the wizard under test may run on another).
    private let clock = SystemTimekeeper()
    package private(set) var restored = false
    package private(set) var timedOut = false

    package init(width: Int = 80, height: Int = 24, script: [Step], timeout: Duration = .seconds(20)) {
        size = (width, height)
        self.script = script
        deadline = clock.now + timeout
    }

    /// A step that waits until the screen shows `text`.
    package static func when(_ text: String, _ input: TerminalInput) -> Step {
        Step(when: { $0.text.contains(text) }, input)
    }

    /// A step that goes as soon as the previous one was handled: for keys that need no network.
    package static func next(_ input: TerminalInput) -> Step {
        Step(when: { _ in true }, input)
    }

    package func readInput() -> TerminalInput? {
        if clock.now > deadline {
            timedOut = true
            return .key(.control("c"))
        }
        guard let next = script.first, let frame = frames.last, next.ready(frame) else {
            Thread.sleep(forTimeInterval: 0.005)
            return nil
        }
        script.removeFirst()
        return next.input
    }

    package func draw(_ canvas: Canvas) { frames.append(canvas) }
    package func takeSignal() -> TerminalSignal? { nil }
    package func suspend() {}
    package func restore() { restored = true }

    /// The steps not reached.
    package var remainingSteps: Int { script.count }
}
