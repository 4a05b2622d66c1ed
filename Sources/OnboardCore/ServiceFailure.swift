/// Why a call to the service did not succeed, in words a person can act on.
///
/// Holds no request, header or credential: only what is safe to show.
package struct ServiceFailure: Error, Equatable, Sendable {
    /// What kind of failure, so the wizard can choose what to offer (retry, wait, re-enter).
    package enum Kind: Equatable, Sendable {
        /// 401: the key was missing or rejected.
        case unauthorized
        /// 403: the key may not do this.
        case forbidden
        /// 404: the named thing does not exist (or is not visible to this key).
        case notFound
        /// 400/422: the request was refused as it stood.
        case invalidRequest
        /// 429: too many requests; wait `retryAfterSeconds` if known.
        case rateLimited(retryAfterSeconds: Int?)
        /// 5xx: the service failed.
        case server
        /// The service could not be reached or the connection dropped.
        case network
        /// The reply could not be understood.
        case malformedReply
    }

    package var kind: Kind
    /// One sentence saying what went wrong.
    package var message: String
    /// What to do about it, when known.
    package var suggestion: String?
    package var httpStatus: Int?
    package var requestId: String?

    package init(
        kind: Kind, message: String, suggestion: String? = nil, httpStatus: Int? = nil,
        requestId: String? = nil
    ) {
        self.kind = kind
        self.message = message
        self.suggestion = suggestion
        self.httpStatus = httpStatus
        self.requestId = requestId
    }

    /// Whether offering "try again" makes sense.
    package var isRetryable: Bool {
        switch kind {
        case .network, .server, .rateLimited: true
        case .unauthorized, .forbidden, .notFound, .invalidRequest, .malformedReply: false
        }
    }
}
