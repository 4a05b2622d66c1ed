import ComposioAPI
import Foundation
import Hummingbird

/// An error answered in the contract's envelope:
/// `{"error": {message, code, slug, status, request_id, suggested_fix, errors}}`.
///
/// Messages name fields and ids, never values.
struct SandboxError: Error, HTTPResponseError {
    var status: HTTPResponse.Status
    var message: String
    var code: Int
    var slug: String
    var suggestedFix: String?
    var errors: [String]?
    var headers: HTTPFields = [:]

    func response(from request: Request, context: some RequestContext) throws -> Response {
        let body = WireErrorEnvelope(
            error: .init(
                message: message,
                code: code,
                slug: slug,
                status: Int(status.code),
                requestId: SandboxIdentifiers.make("req", length: 16),
                suggestedFix: suggestedFix ?? "",
                errors: errors
            ))
        var response = try JSONResponse.make(body, status: status)
        response.headers.append(contentsOf: headers)
        return response
    }

    static let invalidAPIKey = SandboxError(
        status: .unauthorized, message: "Invalid API key provided", code: 401, slug: "Auth_InvalidApiKey",
        suggestedFix: "Pass a valid project API key in the x-api-key header."
    )

    static let readOnlyKey = SandboxError(
        status: .forbidden, message: "This API key is read-only and cannot modify resources", code: 403,
        slug: "Auth_Forbidden", suggestedFix: "Use a project API key with write access."
    )

    static func notFound(_ what: String, code: Int = 404, slug: String = "NotFound") -> SandboxError {
        SandboxError(status: .notFound, message: "\(what) not found", code: code, slug: slug, suggestedFix: "Check the id and that it belongs to this project.")
    }

    static func badRequest(_ message: String, slug: String, errors: [String]? = nil, fix: String? = nil) -> SandboxError {
        SandboxError(status: .badRequest, message: message, code: 600, slug: slug, suggestedFix: fix, errors: errors)
    }

    static func unprocessable(_ message: String) -> SandboxError {
        SandboxError(
            status: .unprocessableContent, message: message, code: 422, slug: "Request_ValidationError",
            suggestedFix: "Send a JSON body shaped as the API reference shows.")
    }
}

/// Builds JSON replies.
enum JSONResponse {
    static func make(_ value: some Encodable, status: HTTPResponse.Status = .ok) throws -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data = try encoder.encode(value)
        return Response(
            status: status,
            headers: [.contentType: "application/json"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: data))
        )
    }
}
