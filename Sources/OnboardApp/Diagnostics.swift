import Foundation
import Logging
import OnboardFiles
import Synchronization

/// The debug trace: off unless `--verbose` or `ONBOARD_LOG=debug`. Lines go to
/// `ONBOARD_LOG_FILE` when set; otherwise to stderr, except while the wizard owns the screen,
/// when they go to `onboard.log` in the data directory (0600). Nothing logged carries a secret:
/// the client logs method, path, status and time only.
public enum Diagnostics {
    public static func logger(verbose: Bool, interactive: Bool, environment: [String: String] = ProcessInfo.processInfo.environment) -> Logger {
        let requested = environment["ONBOARD_LOG"].flatMap { Logger.Level(rawValue: $0.lowercased()) }
        let level: Logger.Level = verbose ? .debug : (requested ?? .notice)
        guard level <= .debug else {
            return Logger(label: "onboard", factory: { _ in SwiftLogNoOpLogHandler() })
        }
        let path =
            environment["ONBOARD_LOG_FILE"].flatMap { $0.isEmpty ? nil : $0 }
            ?? (interactive ? AppPaths.dataDirectory(environment: environment) + "/onboard.log" : nil)
        var logger: Logger
        if let path, let sink = FileLogSink(path: path) {
            logger = Logger(label: "onboard") { label in FileLogHandler(label: label, sink: sink) }
        } else {
            logger = Logger(label: "onboard") { label in StreamLogHandler.standardError(label: label) }
        }
        logger.logLevel = level
        return logger
    }
}

/// An append-only log file created 0600.
final class FileLogSink: Sendable {
    private let handle: Mutex<FileHandle>

    init?(path: String) {
        let directory = (path as NSString).deletingLastPathComponent
        try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        // An existing log is checked and tightened to 0600; a link planted at its path is refused.
        guard let descriptor = try? SecureFile.openForAppend(path, kind: "log") else { return nil }
        handle = Mutex(FileHandle(fileDescriptor: descriptor, closeOnDealloc: true))
    }

    func write(_ line: String) {
        handle.withLock { $0.write(Data((line + "\n").utf8)) }
    }
}

struct FileLogHandler: LogHandler {
    let label: String
    let sink: FileLogSink
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .info

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let stamp = Date().formatted(.iso8601)
        sink.write("\(stamp) \(event.level) \(label): \(event.message)")
    }
}
