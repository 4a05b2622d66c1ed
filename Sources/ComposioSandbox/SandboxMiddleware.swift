import Foundation
import HTTPTypes
import Hummingbird
import Logging
import OnboardCore

/// Resolves `x-api-key` (or `Authorization: Bearer`) to a project; 401 otherwise. An address
/// that keeps failing is answered 429 before its key is looked at (``AuthFailureLimiter``).
struct APIKeyMiddleware: RouterMiddleware {
    typealias Context = SandboxRequestContext
    let store: any SandboxStore
    let failures: AuthFailureLimiter

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let address = try context.checkAuthenticationBudget(failures)
        guard let key = Self.presentedKey(request.headers), !key.isEmpty,
            let found = try await store.project(forKeyDigest: SandboxIdentifiers.digest(key))
        else {
            if let address { failures.recordFailure(address, now: failures.clock.date) }
            throw SandboxError.invalidAPIKey
        }
        var context = context
        context.project = found.project
        context.readOnly = found.readOnly
        if found.readOnly && request.method != .get && request.method != .head {
            throw SandboxError.readOnlyKey
        }
        return try await next(request, context)
    }

    static func presentedKey(_ headers: HTTPFields) -> String? {
        if let key = headers[HTTPField.Name("x-api-key")!] { return key.trimmingCharacters(in: .whitespaces) }
        if let authorization = headers[.authorization], authorization.lowercased().hasPrefix("bearer ") {
            return String(authorization.dropFirst("bearer ".count)).trimmingCharacters(in: .whitespaces)
        }
        return nil
    }
}

extension SandboxRequestContext {
    /// The client's address (nil in process), after checking it has not failed authentication
    /// too often; over the budget, a 429 with the seconds to wait.
    func checkAuthenticationBudget(_ failures: AuthFailureLimiter) throws -> String? {
        guard let address = channel?.remoteAddress?.ipAddress else { return nil }
        if let wait = failures.blocked(address, now: failures.clock.date) {
            var error = SandboxError(
                status: .tooManyRequests, message: "Too many failed authentications from this address", code: 10429, slug: "Auth_TooManyFailures",
                suggestedFix: "Check the API key, then retry in \(wait) seconds.")
            error.headers = [.retryAfter: String(wait)]
            throw error
        }
        return address
    }
}

/// The security headers of the hosted link pages: no frames, no scripts or outside resources,
/// no Referer carrying the link's token, no content sniffing.
struct LinkPageHeadersMiddleware<Context: RequestContext>: RouterMiddleware {
    static var headers: HTTPFields {
        [
            HTTPField.Name("Content-Security-Policy")!:
                "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
            HTTPField.Name("X-Frame-Options")!: "DENY",
            HTTPField.Name("Referrer-Policy")!: "no-referrer",
            HTTPField.Name("X-Content-Type-Options")!: "nosniff",
            .cacheControl: "no-store",
        ]
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response: Response
        do {
            response = try await next(request, context)
        } catch let error as SandboxError {
            // An unknown or broken link answers here, so its reply carries the headers too.
            response = try error.response(from: request, context: context)
        }
        for field in Self.headers { response.headers[field.name] = field.value }
        return response
    }
}

/// Turns every failure into the contract's error envelope and logs one line per request,
/// with method, path (no query: it can carry user ids; no link token), status and time; never
/// headers or bodies.
struct EnvelopeMiddleware<Context: RequestContext>: RouterMiddleware {
    let logger: Logger
    /// What requests are timed with.
    var clock: any Timekeeper = SystemTimekeeper()
    /// Told of each request answered (`sandbox serve --metrics`).
    var observer: (any SandboxRequestObserver)?

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = clock.now
        let response: Response
        do {
            response = try await next(request, context)
        } catch let error as SandboxError {
            response = try error.response(from: request, context: context)
        } catch let error as HTTPError {
            let envelope: SandboxError =
                error.status == .notFound
                ? SandboxError(status: .notFound, message: "Route \(request.method) \(request.uri.path) not found", code: 404, slug: "Route_NotFound")
                : SandboxError(status: error.status, message: error.body ?? error.status.reasonPhrase, code: Int(error.status.code), slug: "HTTP_Error")
            response = try envelope.response(from: request, context: context)
        } catch {
            logger.error("internal error", metadata: ["path": "\(Self.loggedPath(request.uri.path))", "error": "\(type(of: error))"])
            response = try SandboxError(status: .internalServerError, message: "Internal server error", code: 500, slug: "Internal_Error")
                .response(from: request, context: context)
        }
        let elapsed = clock.now - start
        logger.info("\(request.method) \(Self.loggedPath(request.uri.path)) \(response.status.code) \(elapsed.milliseconds) ms")
        observer?.answered(
            AnsweredRequest(
                route: context.endpointPath ?? "NotFound", method: AnsweredRequest.method(request.method.rawValue), status: Int(response.status.code),
                duration: elapsed))
        return response
    }

    /// The path as logged: a hosted link's token is a bearer credential for its page, so it is
    /// replaced by `<token>`.
    static func loggedPath(_ path: String) -> String {
        guard path.hasPrefix("/link/") else { return path }
        return "/link/<token>"
    }
}

extension Duration {
    /// Whole milliseconds, for log lines.
    var milliseconds: Int64 { components.seconds * 1000 + components.attoseconds / 1_000_000_000_000_000 }
}

/// Applies the organisation's per-minute budget and reports it in the X-RateLimit headers;
/// over budget, 429 with Retry-After and the platform's plain message body.
struct RateLimitMiddleware: RouterMiddleware {
    typealias Context = SandboxRequestContext
    let limiter: RateLimiter
    let now: @Sendable () -> Date

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard limiter.limit > 0, let project = context.project else { return try await next(request, context) }
        let decision = limiter.admit(org: project.orgId, now: now())
        var headers: HTTPFields = [
            HTTPField.Name("X-RateLimit")!: String(limiter.limit),
            HTTPField.Name("X-RateLimit-Remaining")!: String(decision.remaining),
            HTTPField.Name("X-RateLimit-Window-Size")!: "\(RateLimiter.windowSeconds)s",
        ]
        guard decision.allowed else {
            headers[.retryAfter] = String(decision.resetIn)
            headers[.contentType] = "application/json"
            let body = #"{"message":"Rate limit exceeded. Limit: \#(limiter.limit) requests per 1 minutes"}"#
            return Response(status: .tooManyRequests, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: body)))
        }
        var response = try await next(request, context)
        response.headers.append(contentsOf: headers)
        return response
    }
}

/// Injects faults for client tests: latency, 500s, 429s, and replies dropped after the request
/// was handled (the case that tempts clients into duplicate creates).
struct FaultMiddleware: RouterMiddleware {
    typealias Context = SandboxRequestContext
    let plan: FaultPlan
    /// What the added latency waits on.
    var clock: any Timekeeper = SystemTimekeeper()

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard plan.isActive, request.uri.path.hasPrefix("/api/") else { return try await next(request, context) }
        if plan.latency > .zero { try await clock.sleep(for: plan.latency) }
        switch plan.fault(for: Double.random(in: 0..<1)) {
        case .none:
            return try await next(request, context)
        case .serverError:
            throw SandboxError(
                status: .internalServerError, message: "Injected fault: internal server error", code: 500, slug: "Internal_Error",
                suggestedFix: "Retry the request.")
        case .rateLimit:
            var error = SandboxError(
                status: .tooManyRequests, message: "Injected fault: rate limit exceeded", code: 10429, slug: "HTTP_TooManyRequests",
                suggestedFix: "Wait and retry.")
            error.headers = [.retryAfter: "1"]
            throw error
        case .drop:
            _ = try? await next(request, context)
            try? await context.channel?.close()
            throw CancellationError()
        }
    }
}
