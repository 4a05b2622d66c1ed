import ArgumentParser
import ComposioAPI
import Foundation
import OnboardApp

/// Where the service is and how to reach it: shared by every command that talks to it.
struct ServiceFlags: ParsableArguments {
    @Option(name: .long, help: "Service base URL (overrides COMPOSIO_BASE_URL; used only with an API key).")
    var baseURL: String?

    @Option(name: .long, help: "Read the project API key from this file (mode 600), instead of COMPOSIO_API_KEY.")
    var apiKeyFile: String?

    @Flag(name: .long, help: "Write a debug trace of every request (method, path, status, time; no secrets) to stderr, or ONBOARD_LOG_FILE.")
    var verbose = false

    @Option(
        name: .long,
        help: "Seconds a request may keep retrying after failures and rate limits (with backoff); connect also waits this long for a settled status.")
    var timeout = 60

    func validate() throws {
        if timeout <= 0 { throw ValidationError("--timeout must be a positive number of seconds.") }
    }

    @Option(name: .long, help: "Keep the audit trail here (default: ONBOARD_AUDIT_LOG, else $XDG_STATE_HOME/onboard/audit.jsonl).")
    var auditLog: String?

    var options: ServiceOptions {
        ServiceOptions(baseURL: baseURL, keyFile: apiKeyFile, verbose: verbose, timeout: .seconds(timeout), auditLog: auditLog)
    }
}

/// `--json`: machine-readable results on stdout.
struct OutputFlags: ParsableArguments {
    @Flag(name: .long, help: "Print results as JSON on stdout (messages stay on stderr).")
    var json = false
}

/// Runs a command's body and turns its errors into a message on stderr and the documented exit
/// code: 1 for a failure, 2 for a usage mistake, 130 for Ctrl-C.
func reportingErrors(_ body: () async throws -> Void) async throws {
    do {
        try await body()
    } catch let error as UsageError {
        printError(error.description)
        throw ExitCode(2)
    } catch let error as CommandFailure {
        printError(error.description)
        throw ExitCode(1)
    } catch is InterruptedError {
        throw ExitCode(130)
    } catch let error as APIError {
        printError(error.description)
        throw ExitCode(1)
    } catch let error as ExitCode {
        throw error
    } catch {
        printError("\(error)")
        throw ExitCode(1)
    }
}
