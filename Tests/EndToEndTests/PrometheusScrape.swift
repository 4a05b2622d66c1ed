import Foundation
import Testing

/// Reads a `/metrics` page as Prometheus does: fetched with curl, parsed by the reference
/// parser from PyPI (`prometheus_client`), so a malformed exposition fails the test.
enum PrometheusScrape {
    /// GET `url`: the body and the status.
    static func get(_ url: String) throws -> (body: String, status: Int) {
        let output = try TmuxSession.run("curl", ["-s", "--max-time", "5", "-w", "\n%{http_code}", url])
        let lines = output.split(separator: "\n", omittingEmptySubsequences: false)
        return (lines.dropLast().joined(separator: "\n"), Int(lines.last ?? "") ?? 0)
    }

    /// The samples of a `/metrics` page, read by Prometheus' own Python parser.
    static func samples(_ text: String, in data: TemporaryDirectory) throws -> [[String: Any]] {
        let input = data.path + "/metrics.txt"
        try text.write(toFile: input, atomically: true, encoding: .utf8)
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Clients/parse_metrics.py")
        let pid = try ChildProcess.spawn(
            ["/usr/bin/env", "python3", script.path], environment: ProcessInfo.processInfo.environment, stdin: input, stdout: input + ".json",
            stderr: input + ".err")
        #expect(ChildProcess.wait(pid) == 0, "the Prometheus parser refused the page: \((try? String(contentsOfFile: input + ".err", encoding: .utf8)) ?? "")")
        return try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: input + ".json"))) as? [[String: Any]])
    }

    static func value(_ samples: [[String: Any]], _ name: String, _ labels: [String: String] = [:]) -> Double? {
        samples.first { $0["name"] as? String == name && ($0["labels"] as? [String: String] ?? [:]) == labels }?["value"] as? Double
    }
}
