import ArgumentParser
import ComposioAPI
import Foundation
import OnboardFeatures
import OnboardLive

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

    @OptionGroup var audit: AuditLogOption
    var auditLog: String? { audit.auditLog }

    var options: ServiceOptions {
        ServiceOptions(baseURL: baseURL, keyFile: apiKeyFile, verbose: verbose, timeout: .seconds(timeout), auditLog: auditLog)
    }
}
