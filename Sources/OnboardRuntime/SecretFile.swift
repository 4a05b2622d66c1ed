import Foundation
import OnboardCore
import OnboardFiles

/// Reads a multi-line credential (a service-account JSON, a PEM key) from a file named with
/// `@path`. The content goes straight into a `Secret`; errors name the path, never the content.
enum SecretFile {
    /// Larger files are refused: no credential file is this big, and the screen keeps no limit below.
    static let maximumBytes = 1 << 20

    static func read(_ path: String) -> Result<Secret, ServiceFailure> {
        let expanded = (path.trimmingCharacters(in: .whitespaces) as NSString).expandingTildeInPath
        var data: Data
        do {
            // Regular files only: a FIFO or /dev/zero is refused, not read.
            data = try SecureFile.readRegular(expanded, kind: "file", maximumBytes: maximumBytes)
        } catch {
            return .failure(ServiceFailure(kind: .invalidRequest, message: error.description))
        }
        defer { data.resetBytes(in: 0..<data.count) }
        guard let text = String(data: data, encoding: .utf8) else {
            return .failure(ServiceFailure(kind: .invalidRequest, message: "\(expanded) is not UTF-8 text."))
        }
        return .success(Secret(text.trimmingCharacters(in: .whitespacesAndNewlines)))
    }
}
