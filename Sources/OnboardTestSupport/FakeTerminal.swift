import Foundation
import OnboardTUI
import Synchronization

/// A terminal for runtime tests: input comes from a script, every drawn frame is kept.
///
/// Each scripted step waits until `ready` holds for the latest frame, so a test types into the
/// screen it expects, as a person would, instead of racing the network.
public final class FakeTerminal: TerminalDevice {
    public struct Step {
        public var ready: (Canvas) -> Bool
        public var input: TerminalInput
        public init(when ready: @escaping (Canvas) -> Bool, _ input: TerminalInput) {
            self.ready = ready
            self.input = input
        }
    }

    public var size: (width: Int, height: Int)
    public private(set) var frames: [Canvas] = []
    private var script: [Step]
    private let deadline: ContinuousClock.Instant
    public private(set) var restored = false
    public private(set) var timedOut = false

    public init(width: Int = 80, height: Int = 24, script: [Step], timeout: Duration = .seconds(20)) {
        size = (width, height)
        self.script = script
        deadline = .now + timeout
    }

    /// A step that waits until the screen shows `text`.
    public static func when(_ text: String, _ input: TerminalInput) -> Step {
        Step(when: { $0.text.contains(text) }, input)
    }

    /// A step that goes as soon as the previous one was handled: for keys that need no network.
    public static func next(_ input: TerminalInput) -> Step {
        Step(when: { _ in true }, input)
    }

    public func readInput() -> TerminalInput? {
        if ContinuousClock.now > deadline {
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

    public func draw(_ canvas: Canvas) { frames.append(canvas) }
    public func takeSignal() -> TerminalSignal? { nil }
    public func suspend() {}
    public func restore() { restored = true }

    /// The steps not reached.
    public var remainingSteps: Int { script.count }
}
