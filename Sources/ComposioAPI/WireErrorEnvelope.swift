/// The contract's error body: `{"error": {message, code, slug, status, request_id, suggested_fix, errors}}`.
/// Some replies (platform 429s) carry only a top-level `message`; both are read.
public struct WireErrorEnvelope: Codable, Sendable {
    public struct Body: Codable, Sendable {
        public var message: String?
        public var code: Int?
        public var slug: String?
        public var status: Int?
        public var requestId: String?
        public var suggestedFix: String?
        public var errors: [String]?

        enum CodingKeys: String, CodingKey {
            case message, code, slug, status, errors
            case requestId = "request_id"
            case suggestedFix = "suggested_fix"
        }

        public init(message: String, code: Int, slug: String, status: Int, requestId: String, suggestedFix: String?, errors: [String]?) {
            self.message = message
            self.code = code
            self.slug = slug
            self.status = status
            self.requestId = requestId
            self.suggestedFix = suggestedFix
            self.errors = errors
        }
    }

    public var error: Body?
    public var message: String?

    public init(error: Body) {
        self.error = error
        self.message = nil
    }
}
