import Foundation

/// One HTTP exchange. Never logged or stored in an error as is: its headers hold the API key.
public struct HTTPRequest: Sendable {
    public var method: String
    public var url: URL
    public var headers: [String: String]
    public var body: Data?

    public init(method: String, url: URL, headers: [String: String] = [:], body: Data? = nil) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
    }
}

/// A reply: status, headers (names lower-cased) and body.
public struct HTTPResponse: Sendable {
    public var status: Int
    public var headers: [String: String]
    public var body: Data

    public init(status: Int, headers: [String: String] = [:], body: Data = Data()) {
        self.status = status
        self.headers = Dictionary(headers.map { ($0.key.lowercased(), $0.value) }, uniquingKeysWith: { first, _ in first })
        self.body = body
    }
}

/// Why an exchange produced no reply at all.
public enum HTTPTransportError: Error, Equatable, Sendable {
    /// The service could not be reached, or the connection dropped before a full reply.
    case connectionFailed(String)
    /// No reply within the timeout.
    case timedOut
}

/// The seam between the client and the network: production uses AsyncHTTPClient, tests a stub.
public protocol HTTPTransport: Sendable {
    func send(_ request: HTTPRequest) async throws -> HTTPResponse
}

/// A request prints as its method and path only: no header (the API key), no query (user
/// ids), no body (credentials), however it is printed, dumped or interpolated.
extension HTTPRequest: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    public var description: String {
        "\(method) \(url.path) (headers and body redacted)"
    }
    public var debugDescription: String { description }
    public var customMirror: Mirror { Mirror(self, children: ["method": method, "path": url.path], displayStyle: .struct) }
}
