import Foundation
import OnboardCore

/// A failed service call: what was being done and a ``ServiceFailure`` a person can act on.
/// Holds no request, header or credential.
package struct APIError: Error, Equatable, Sendable, CustomStringConvertible {
    /// What onboard was doing, e.g. "list auth configs".
    package var operation: String
    package var failure: ServiceFailure
    /// How the last attempt ended, for the retry policy.
    package var outcome: RetryPolicy.Outcome
    /// An earlier attempt of the same call may have been applied though its reply was lost.
    package var retriedAfterAmbiguity: Bool

    package init(operation: String, failure: ServiceFailure, outcome: RetryPolicy.Outcome? = nil) {
        self.operation = operation
        self.failure = failure
        self.outcome = outcome ?? (failure.kind == .network ? .noReply : .reply(status: failure.httpStatus ?? 0, headers: [:]))
        self.retriedAfterAmbiguity = false
    }

    /// Whether the server may have carried out the request even though it failed: no reply
    /// came, or the server failed while handling it.
    package var mayHaveApplied: Bool {
        switch outcome {
        case .noReply: true
        case .reply(let status, _): status >= 500
        }
    }

    package var description: String {
        var text = "Could not \(operation): \(failure.message)"
        if let suggestion = failure.suggestion { text += " \(suggestion)" }
        return text
    }
}

extension APIError {
    /// Maps a non-2xx reply to a typed failure, preferring the server's own words.
    ///
    /// `keySource` names where the API key came from, so a 401 can say what to fix.
    static func from(response: HTTPResponse, operation: String, keySource: String) -> APIError {
        let envelope = try? JSONDecoder().decode(WireErrorEnvelope.self, from: response.body)
        let serverMessage = (envelope?.error?.message ?? envelope?.message).flatMap { $0.isEmpty ? nil : $0 }
        let serverFix = envelope?.error?.suggestedFix.flatMap { $0.isEmpty ? nil : $0 }
        let status = response.status
        let kind: ServiceFailure.Kind
        let fallbackMessage: String
        let fallbackFix: String?
        switch status {
        case 401:
            kind = .unauthorized
            fallbackMessage = "The API key was rejected."
            fallbackFix = "Check the key in \(keySource): it must be a project API key for this service."
        case 403:
            kind = .forbidden
            fallbackMessage = "The API key is not allowed to do this."
            fallbackFix = "Use a project key with write access, or ask an admin of the project to grant it."
        case 404:
            kind = .notFound
            fallbackMessage = "Not found."
            fallbackFix = nil
        case 429:
            let wait = retryAfterSeconds(response.headers["retry-after"])
            kind = .rateLimited(retryAfterSeconds: wait)
            fallbackMessage = "Too many requests."
            fallbackFix = wait.map { "Wait \($0) s and try again." } ?? "Wait a minute and try again."
        case 500...599:
            kind = .server
            fallbackMessage = "The service failed (HTTP \(status))."
            fallbackFix = "Try again in a moment."
        default:
            kind = .invalidRequest
            fallbackMessage = "The service refused the request (HTTP \(status))."
            fallbackFix = nil
        }
        var message = serverMessage ?? fallbackMessage
        if status == 401, serverMessage != nil { message += " (key from \(keySource))" }
        if let details = envelope?.error?.errors, !details.isEmpty {
            message += " " + details.joined(separator: "; ")
        }
        return APIError(
            operation: operation,
            failure: ServiceFailure(
                kind: kind,
                message: message,
                suggestion: serverFix ?? fallbackFix,
                httpStatus: status,
                requestId: envelope?.error?.requestId
            )
        )
    }

    /// A reply that did not decode: say so without quoting it (it may echo credentials).
    static func malformed(operation: String, status: Int) -> APIError {
        APIError(
            operation: operation,
            failure: ServiceFailure(
                kind: .malformedReply,
                message: "The service's reply (HTTP \(status)) could not be understood.",
                suggestion: "Check that the base URL points at a Composio-compatible API.",
                httpStatus: status
            )
        )
    }

    /// No reply at all.
    static func network(operation: String, baseURL: URL, _ error: HTTPTransportError) -> APIError {
        let host = baseURL.host ?? baseURL.absoluteString
        let message: String
        switch error {
        case .timedOut: message = "No reply from \(host) in time."
        case .connectionFailed: message = "Could not reach \(host)."
        }
        return APIError(
            operation: operation,
            failure: ServiceFailure(kind: .network, message: message, suggestion: "Check the network connection and the base URL, then try again.")
        )
    }

    /// `Retry-After` as whole seconds: a number, or an HTTP date relative to now.
    package static func retryAfterSeconds(_ header: String?, now: Date = SystemTimekeeper().date) -> Int? {
        guard let header = header?.trimmingCharacters(in: .whitespaces), !header.isEmpty else { return nil }
        if let seconds = Double(header) { return max(0, Int(seconds.rounded(.up))) }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        guard let date = formatter.date(from: header) else { return nil }
        return max(0, Int(date.timeIntervalSince(now).rounded(.up)))
    }
}
