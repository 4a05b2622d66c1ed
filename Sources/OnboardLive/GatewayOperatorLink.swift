import Foundation
import OnboardCore
import OnboardFiles
import OnboardGateway
import OnboardRuntime
import OnboardTUI
import Synchronization

/// A gateway session's line to its operators (descriptor 5, a socket to the gateway): frames
/// out, drawn at the sizes the gateway asks for; who watches and their notes in. Lines are
/// capped, and names and notes are cleaned by the wizard before they are shown.
final class GatewayOperatorLink: OperatorLink {
    private let descriptor: Int32
    private let watching = Mutex<[(columns: Int, rows: Int)]>([])
    /// Writes come from the wizard's thread only, but the help request may race a frame.
    private let writing = Mutex<Void>(())

    init(descriptor: Int32) { self.descriptor = descriptor }

    var sizes: [(columns: Int, rows: Int)] { watching.withLock { $0 } }

    func start(deliver: @escaping @Sendable (Wizard.Event) -> Void, watchersChanged: @escaping @Sendable () -> Void) {
        let descriptor = self.descriptor
        let thread = Thread { [self] in
            // Nothing the gateway sends is longer than 64 KiB: a line that is, is skipped whole.
            var reader = LineReader(descriptor: descriptor, limit: 64 << 10)
            while let line = reader.next() {
                switch WatchMessage(line: line) {
                case .watchers(let names, let sizes, let change):
                    watching.withLock { $0 = sizes.prefix(8).map { ($0.columns, $0.rows) } }
                    deliver(.assistance(.observers(names, change: change)))
                    watchersChanged()
                case .note(let from, let text):
                    deliver(.assistance(.note(from: from, text: text)))
                default:
                    break
                }
            }
            // The gateway went away: nobody watches.
            watching.withLock { $0 = [] }
        }
        thread.start()
    }

    func publish(_ frame: Canvas) {
        guard let encoded = try? JSONEncoder().encode(CanvasFrame(frame)) else { return }
        send(.frame(columns: frame.width, rows: frame.height, frame: String(decoding: encoded, as: UTF8.self)))
    }

    func requestHelp() { send(.help) }

    private func send(_ message: WatchMessage) {
        let line = message.line
        writing.withLock { _ in _ = DescriptorWriter.write(line, to: descriptor) }
    }
}
