import Foundation
import OnboardCore

/// Reads a multi-line credential (a service-account JSON, a PEM key) from a file named with
/// `@path`. The content goes straight into a `Secret`; errors name the path, never the content.
enum SecretFile {
    /// Larger files are refused: no credential file is this big, and the screen keeps no limit below.
    static let maximumBytes = 1 << 20

    static func read(_ path: String) -> Result<Secret, ServiceFailure> {
        let expanded = (path.trimmingCharacters(in: .whitespaces) as NSString).expandingTildeInPath
        guard let handle = FileHandle(forReadingAtPath: expanded) else {
            return .failure(ServiceFailure(kind: .invalidRequest, message: "Cannot read \(expanded): no such file, or not readable."))
        }
        defer { try? handle.close() }
        let data = (try? handle.read(upToCount: maximumBytes + 1)) ?? Data()
        guard data.count <= maximumBytes else {
            return .failure(ServiceFailure(kind: .invalidRequest, message: "\(expanded) is larger than 1 MiB; is it the right file?"))
        }
        guard let text = String(data: data, encoding: .utf8) else {
            return .failure(ServiceFailure(kind: .invalidRequest, message: "\(expanded) is not UTF-8 text."))
        }
        return .success(Secret(text.trimmingCharacters(in: .whitespacesAndNewlines)))
    }
}
