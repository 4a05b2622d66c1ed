import ComposioAPI
import Foundation
import Logging
import OnboardCore
import OnboardFiles
import OnboardTUI
import Synchronization

/// The debug trace: off unless `--verbose` or `ONBOARD_LOG=debug`. Lines go to
/// `ONBOARD_LOG_FILE` when set; otherwise to stderr, except while the wizard owns the screen,
/// when they go to `onboard.log` in the data directory (0600). Nothing logged carries a secret:
/// the client logs method, path, status and time only.
package enum Diagnostics {
    package static func logger(verbose: Bool, interactive: Bool, environment: [String: String] = ProcessEnvironment.current()) -> Logger {
        let requested = environment["ONBOARD_LOG"].flatMap { Logger.Level(rawValue: $0.lowercased()) }
        let level: Logger.Level = verbose ? .debug : (requested ?? .notice)
        guard level <= .debug else {
            return Logger(label: "onboard", factory: { _ in SwiftLogNoOpLogHandler() })
        }
        let path =
            environment["ONBOARD_LOG_FILE"].flatMap { $0.isEmpty ? nil : $0 }
            ?? (interactive ? AppPaths.dataDirectory(environment: environment) + "/onboard.log" : nil)
        let sink = path.flatMap(LogSink.init(path:)) ?? .standardError
        var logger = Logger(label: "onboard") { label in LineLogHandler(label: label, sink: sink) }
        logger.logLevel = level
        return logger
    }
}

/// Where log lines go: an append-only file created 0600, or stderr.
final class LogSink: Sendable {
    private let descriptor: Int32
    /// One line at a time, whole, when several tasks log at once.
    private let lock = Mutex(())

    private init(descriptor: Int32) {
        self.descriptor = descriptor
    }

    /// The process's stderr.
    static let standardError = LogSink(descriptor: STDERR_FILENO)

    /// A log file, created 0600 in a 0700 directory; an existing one is checked and tightened,
    /// and a link planted at its path is refused.
    convenience init?(path: String) {
        try? SecureFile.makeDirectory(for: path, kind: "log")
        guard let descriptor = try? SecureFile.openForAppend(path, kind: "log") else { return nil }
        self.init(descriptor: descriptor)
    }

    /// A log line that cannot be written (a closed pipe) is dropped: logging never stops the
    /// program.
    func write(_ line: String) {
        lock.withLock { _ in _ = DescriptorWriter.write(line + "\n", to: descriptor) }
    }
}

/// One line per event: time, level, label, message and metadata. Messages can hold what a
/// client sent (a path) or a server said (an id), and a log is read with `cat` or `tail -f`, so
/// every line passes the terminal sanitiser.
package struct LineLogHandler: LogHandler {
    let label: String
    let sink: LogSink
    package var metadata: Logger.Metadata = [:]
    package var logLevel: Logger.Level = .info
    /// Whether lines start with their time: not when stderr is systemd's journal, which stamps
    /// each line itself.
    let stampsTime: Bool

    init(label: String, sink: LogSink, stampsTime: Bool = true) {
        self.label = label
        self.sink = sink
        self.stampsTime = stampsTime
    }

    /// A handler that writes to stderr, for servers run in the foreground (or under systemd).
    package static func standardError(label: String, environment: [String: String] = ProcessEnvironment.current()) -> LineLogHandler {
        LineLogHandler(label: label, sink: .standardError, stampsTime: !SystemdJournal.isStandardError(environment: environment))
    }

    package subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    package func log(event: LogEvent) {
        var line = (stampsTime ? "\(UTCTimestamp.iso8601(SystemTimekeeper().date)) " : "") + "\(event.level) \(label): \(event.message)"
        let merged = metadata.merging(event.metadata ?? [:]) { _, new in new }
        if !merged.isEmpty { line += " " + merged.keys.sorted().map { "\($0)=\(merged[$0].map { "\($0)" } ?? "")" }.joined(separator: " ") }
        sink.write(TerminalText.sanitized(line))
    }
}
