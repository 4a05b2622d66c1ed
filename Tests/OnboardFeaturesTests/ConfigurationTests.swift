import Foundation
import Logging
import OnboardCore
import Testing

@testable import OnboardFeatures
@testable import OnboardLive

@Suite("Configuration: key, base URL, data directory, trace", .serialized)
struct ConfigurationTests {
    static func temporaryFile(_ contents: String, mode: mode_t) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("onboard-key-\(UUID().uuidString)").path
        try contents.write(toFile: path, atomically: true, encoding: .utf8)
        chmod(path, mode)
        return path
    }

    @Test("no key means the embedded sandbox under XDG_DATA_HOME")
    func sandboxByDefault() throws {
        guard case .embeddedSandbox(let path) = try BackendChoice.from(environment: ["XDG_DATA_HOME": "/data", "HOME": "/home/x"]) else {
            Issue.record("expected the sandbox")
            return
        }
        #expect(path == "/data/onboard/sandbox.sqlite")
        #expect(AppPaths.dataDirectory(environment: ["HOME": "/home/x"]) == "/home/x/.local/share/onboard")
    }

    @Test("COMPOSIO_API_KEY selects Composio; --base-url beats COMPOSIO_BASE_URL")
    func remote() throws {
        guard
            case .remote(let url, let key, let source) = try BackendChoice.from(
                environment: ["COMPOSIO_API_KEY": " ak_x \n", "COMPOSIO_BASE_URL": "https://staging.example"], baseURLOverride: "https://override.example"
            )
        else {
            Issue.record("expected remote")
            return
        }
        #expect(url.absoluteString == "https://override.example")
        #expect(key == Secret("ak_x"))
        #expect(source == "COMPOSIO_API_KEY")
        guard case .remote(let defaultURL, _, _) = try BackendChoice.from(environment: ["COMPOSIO_API_KEY": "ak_x"]) else {
            Issue.record("a key alone should choose the remote service")
            return
        }
        #expect(defaultURL.absoluteString == "https://backend.composio.dev")
    }

    @Test("a bad base URL is a usage error that says what to set; a base URL with no key asks for one")
    func usageErrors() throws {
        #expect(throws: UsageError.self) { try BackendChoice.from(environment: ["COMPOSIO_API_KEY": "k", "COMPOSIO_BASE_URL": "ftp://x"]) }
        guard case .remoteNeedingKey(let url) = try BackendChoice.from(environment: ["COMPOSIO_BASE_URL": "https://x.example"]) else {
            Issue.record("expected the key prompt")
            return
        }
        #expect(url.absoluteString == "https://x.example")
    }

    @Test("a key file is read when private and refused, with the chmod to run, when others can read it")
    func keyFile() throws {
        let open = try Self.temporaryFile("ak_from_file\n", mode: 0o644)
        defer { try? FileManager.default.removeItem(atPath: open) }
        do {
            _ = try BackendChoice.from(environment: [:], keyFile: open)
            Issue.record("an open key file was accepted")
        } catch let error as UsageError {
            #expect(error.description.contains("chmod 600 \(open)"))
            #expect(!error.description.contains("ak_from_file"))
        }
        let closed = try Self.temporaryFile("ak_from_file\n", mode: 0o600)
        defer { try? FileManager.default.removeItem(atPath: closed) }
        guard case .remote(_, let key, let source) = try BackendChoice.from(environment: ["COMPOSIO_API_KEY_FILE": closed]) else {
            Issue.record("expected remote")
            return
        }
        #expect(key == Secret("ak_from_file"))
        #expect(source == "the key file \(closed)")
    }

    @Test("the trace is off by default, and on with --verbose it goes to a 0600 file while the wizard owns the screen")
    func trace() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("onboard-log-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        #expect(Diagnostics.logger(verbose: false, interactive: true, environment: ["XDG_DATA_HOME": directory]).logLevel > .debug)
        let logger = Diagnostics.logger(verbose: true, interactive: true, environment: ["XDG_DATA_HOME": directory])
        #expect(logger.logLevel == .debug)
        logger.debug("GET /api/v3.1/auth_configs 200 3 ms (attempt 1)")
        let path = directory + "/onboard/onboard.log"
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text.contains("GET /api/v3.1/auth_configs 200 3 ms"))
        let mode = (try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int) ?? 0
        #expect(mode == 0o600)
        #expect(Diagnostics.logger(verbose: false, interactive: false, environment: ["ONBOARD_LOG": "debug"]).logLevel == .debug)
    }
}
