import Foundation
import Testing

/// Golden-file checks for rendered screens. Files live in `__Snapshots__` beside the test;
/// `RECORD_SNAPSHOTS=1` rewrites them. A missing file fails the test (and is written), so a
/// new screen is always looked at once before it is trusted.
package enum TextSnapshot {
    package static func assert(
        _ text: String, named name: String, filePath: String = #filePath, sourceLocation: SourceLocation = #_sourceLocation
    ) {
        let directory = URL(fileURLWithPath: filePath).deletingLastPathComponent().appendingPathComponent("__Snapshots__")
        let file = directory.appendingPathComponent(name + ".txt")
        let record = ProcessInfo.processInfo.environment["RECORD_SNAPSHOTS"] == "1"
        let existing = try? String(contentsOf: file, encoding: .utf8)
        if record || existing == nil {
            try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            try? (text + "\n").write(to: file, atomically: true, encoding: .utf8)
            if existing == nil && !record {
                Issue.record("Recorded new snapshot \(name); check it and run again.", sourceLocation: sourceLocation)
            }
            return
        }
        let expected = String(existing!.dropLast(existing!.hasSuffix("\n") ? 1 : 0))
        if expected != text {
            Issue.record("Snapshot \(name) differs.\n--- expected\n\(expected)\n--- actual\n\(text)", sourceLocation: sourceLocation)
        }
    }
}
