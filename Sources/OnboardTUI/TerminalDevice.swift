import OnboardCore

/// What one read from the terminal produced.
package enum TerminalInput: Equatable, Sendable {
    case key(Key)
    /// A bracketed paste, delivered whole.
    case paste(String)
    /// A bracketed paste that did not arrive whole (its end never came, or it was too large):
    /// nothing of it is kept, and nothing is submitted.
    case pasteCutOff
    /// The window changed size.
    case resize
}

/// A signal the runtime must act on, caught outside any raw handler.
package enum TerminalSignal: Equatable, Sendable {
    /// SIGINT from outside the keyboard.
    case interrupt
    /// SIGTERM: leave now, terminal restored.
    case terminate
    /// SIGHUP: the controlling terminal (an SSH link) went away.
    case hangup
    /// SIGTSTP from outside the keyboard (`kill -TSTP`): suspend as Ctrl-Z does.
    case suspend
}

/// The terminal as the runtime sees it: the curses implementation in production, a fake in tests.
package protocol TerminalDevice: AnyObject {
    /// Columns and rows now.
    var size: (width: Int, height: Int) { get }
    /// Waits up to about 50 ms for input; nil when none came.
    func readInput() -> TerminalInput?
    /// Shows the canvas, sending only what changed.
    func draw(_ canvas: Canvas)
    /// A signal that arrived since the last call, if any.
    func takeSignal() -> TerminalSignal?
    /// Ctrl-Z: give the terminal back, stop the process, and take the terminal again on `fg`.
    func suspend()
    /// Leaves the terminal exactly as it was found. Safe to call more than once.
    func restore()
}
