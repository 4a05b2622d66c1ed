import ComposioAPI
import Foundation
import OnboardCore
import OnboardFeatures
import OnboardFiles
import OnboardStore

/// The choices every service-facing command shares.
package struct ServiceOptions: Sendable {
    package var baseURL: String?
    package var keyFile: String?
    package var verbose: Bool
    /// How long one request keeps retrying retryable failures (`--timeout`).
    package var timeout: Duration
    /// `--audit-log PATH`: where the audit trail is kept instead of the default.
    package var auditLog: String?

    package init(baseURL: String? = nil, keyFile: String? = nil, verbose: Bool = false, timeout: Duration = .seconds(60), auditLog: String? = nil) {
        self.baseURL = baseURL
        self.keyFile = keyFile
        self.verbose = verbose
        self.timeout = timeout
        self.auditLog = auditLog
    }

    /// Connects as the wizard would, except that a missing key is a usage error: a script has
    /// nobody to ask.
    package func connect(pacer: RateLimitPacer? = nil, environment: [String: String] = ProcessEnvironment.current()) async throws
        -> ConnectedBackend
    {
        let choice = try BackendChoice.from(environment: environment, baseURLOverride: baseURL, keyFile: keyFile)
        if case .remoteNeedingKey(let url) = choice {
            throw UsageError(
                "No API key for \(url.host ?? url.absoluteString). Set COMPOSIO_API_KEY, or pass --api-key-file PATH (mode 600); run without COMPOSIO_BASE_URL to use the embedded sandbox."
            )
        }
        let logger = Diagnostics.logger(verbose: verbose, interactive: false, environment: environment)
        let backend = try await ConnectedBackend.connect(choice, logger: logger, environment: environment, pacer: pacer, retry: .patient(timeout))
        // A person at a terminal sees why a command pauses; scripts get only the outcome. An
        // import (paced) says so on its progress line instead.
        let output = CommandOutput.standard
        if output.errIsTerminal, pacer == nil {
            backend.service.retryNotifier.observe { notice in
                let seconds = max(1, Int(notice.delay.inSeconds.rounded(.up)))
                output.err("\(notice.rateLimited ? "Rate limited" : "No answer") while trying to \(notice.operation); retrying in \(seconds) s...")
            }
        }
        return backend
    }
}

/// Runs `body` against a connected backend, writing the audit trail, and closes it on every
/// path. The trail is opened first, so a trail that cannot be written stops the command before
/// it does anything.
package func withBackend<Result>(_ options: ServiceOptions, pacer: RateLimitPacer? = nil, _ body: (any ComposioService) async throws -> Result)
    async throws -> Result
{
    let audit = try await AuditSettings.sink(path: options.auditLog)
    let backend = try await options.connect(pacer: pacer)
    do {
        let result = try await body(backend.service(audit: audit))
        await backend.close()
        return result
    } catch {
        await backend.close()
        throw error
    }
}
