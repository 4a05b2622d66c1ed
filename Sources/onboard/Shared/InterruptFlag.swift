import ArgumentParser
import ComposioAPI
import Foundation
import OnboardCore
import OnboardFeatures
import OnboardLive
import OnboardProcess
import OnboardRuntime
import Synchronization

/// Ctrl-C for long commands: the first asks to stop cleanly, the second exits 130 at once.
/// The signal is caught as a flag (``SignalFlags``), as the wizard catches it, and polled.
final class InterruptFlag: Sendable {
    private let count = Mutex(0)
    private let poller = Mutex<Task<Void, Never>?>(nil)

    var isSet: Bool { count.withLock { $0 > 0 } }

    static func install(first message: String) -> InterruptFlag {
        let flag = InterruptFlag()
        _ = SignalFlags.take()
        SignalFlags.catchSignals([SIGINT])
        let task = Task.detached {
            while !Task.isCancelled {
                try? await SystemTimekeeper().sleep(for: .milliseconds(50))
                guard SignalFlags.take() & (1 << SIGINT) != 0 else { continue }
                let seen = flag.count.withLock { value in
                    value += 1
                    return value
                }
                if seen == 1 { printError("\n" + message) } else { exit(130) }
            }
        }
        flag.poller.withLock { $0 = task }
        return flag
    }

    func uninstall() {
        poller.withLock { $0?.cancel() }
        signal(SIGINT, SIG_DFL)
    }
}
