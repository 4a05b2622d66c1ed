import CProcess
import Foundation

/// Signals caught as flags by a plain C handler and taken by a loop that polls them: dispatch
/// signal sources lost signals delivered to threads that block them (every thread the runtime
/// starts from does), while a handler that only sets a bit works whichever thread the kernel
/// picks. The one place onboard catches signals, so there is one set of flags.
package enum SignalFlags {
    /// Routes `signals` to the flags and unblocks them on this thread and the process.
    package static func catchSignals(_ signals: [Int32]) {
        var set = sigset_t()
        sigemptyset(&set)
        for number in signals {
            _ = onb_catch_signal(number)
            sigaddset(&set, number)
        }
        // A parent may have started us with these blocked; they must reach the handler.
        sigprocmask(SIG_UNBLOCK, &set, nil)
        pthread_sigmask(SIG_UNBLOCK, &set, nil)
    }

    /// The signals caught since the last call (a bit per signal number), cleared.
    package static func take() -> Int32 {
        onb_take_signals()
    }

    /// Catches `number` again (after a default action was restored, e.g. for suspending).
    package static func recatch(_ number: Int32) {
        _ = onb_catch_signal(number)
    }
}
