import Foundation

/// One HTTP exchange. Never logged or stored in an error as is: its headers hold the API key.
package struct HTTPRequest: Sendable {
    package var method: String
    package var url: URL
    package var headers: [String: String]
    package var body: Data?

    package init(method: String, url: URL, headers: [String: String] = [:], body: Data? = nil) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
    }
}

/// A reply: status, headers (names lower-cased) and body.
package struct HTTPResponse: Sendable {
    package var status: Int
    package var headers: [String: String]
    package var body: Data

    package init(status: Int, headers: [String: String] = [:], body: Data = Data()) {
        self.status = status
        self.headers = Dictionary(headers.map { ($0.key.lowercased(), $0.value) }, uniquingKeysWith: { first, _ in first })
        self.body = body
    }
}

/// Why an exchange produced no reply at all.
package enum HTTPTransportError: Error, Equatable, Sendable {
    /// The service could not be reached, or the connection dropped before a full reply.
    case connectionFailed(String)
    /// No reply within the timeout.
    case timedOut
}

/// The seam between the client and the network: production uses AsyncHTTPClient, tests a stub.
package protocol HTTPTransport: Sendable {
    func send(_ request: HTTPRequest) async throws -> HTTPResponse
}

/// A request prints as its method and path only: no header (the API key), no query (user
/// ids), no body (credentials), however it is printed, dumped or interpolated.
extension HTTPRequest: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    package var description: String {
        "\(method) \(url.path) (headers and body redacted)"
    }
    package var debugDescription: String { description }
    package var customMirror: Mirror { Mirror(self, children: ["method": method, "path": url.path], displayStyle: .struct) }
}
