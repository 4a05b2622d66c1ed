/// The contract's error body: `{"error": {message, code, slug, status, request_id, suggested_fix, errors}}`.
/// Some replies (platform 429s) carry only a top-level `message`; both are read.
package struct WireErrorEnvelope: Codable, Sendable {
    package struct Body: Codable, Sendable {
        package var message: String?
        package var code: Int?
        package var slug: String?
        package var status: Int?
        package var requestId: String?
        package var suggestedFix: String?
        package var errors: [String]?

        enum CodingKeys: String, CodingKey {
            case message, code, slug, status, errors
            case requestId = "request_id"
            case suggestedFix = "suggested_fix"
        }

        package init(message: String, code: Int, slug: String, status: Int, requestId: String, suggestedFix: String?, errors: [String]?) {
            self.message = message
            self.code = code
            self.slug = slug
            self.status = status
            self.requestId = requestId
            self.suggestedFix = suggestedFix
            self.errors = errors
        }
    }

    package var error: Body?
    package var message: String?

    package init(error: Body) {
        self.error = error
        self.message = nil
    }
}
