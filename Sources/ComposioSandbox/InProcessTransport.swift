import ComposioAPI
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore

/// Answers the client by calling the sandbox's routes in this process: the embedded sandbox
/// opens no port other users of the machine could reach, and a wizard run carries none of an
/// HTTP server's and client's machinery (threads, codecs, a date cache that loads ICU).
///
/// Requests and replies keep their HTTP shape (method, path, headers, status, JSON body), so
/// the client cannot tell this from `onboard sandbox serve`. Only a hosted link needs a page a
/// browser can open: the first link request starts the HTTP server on loopback, and links (and
/// every later reply) name its address.
package final class InProcessTransport: HTTPTransport {
    private let responder: RouterResponder<SandboxRequestContext>
    private let logger: Logger
    private let linkServer: LinkServer

    init(sandbox: Sandbox, logger: Logger) {
        self.responder = sandbox.router(logger: logger).buildResponder()
        self.logger = logger
        self.linkServer = LinkServer(sandbox: sandbox, logger: logger)
    }

    /// The base URL the client is given; its host only matters once a link server runs.
    package static let baseURL = URL(string: "http://\(Sandbox.defaultHost)")!

    package func send(_ request: ComposioAPI.HTTPRequest) async throws -> ComposioAPI.HTTPResponse {
        // The path and query as sent on the wire (still percent-encoded), as the server sees them.
        let path = request.url.path(percentEncoded: true)
        let startsLink = request.method == "POST" && path.hasSuffix("/connected_accounts/link")
        guard let method = HTTPTypes.HTTPRequest.Method(request.method) else {
            throw HTTPTransportError.connectionFailed("\(request.method) is not an HTTP method.")
        }
        let authority = startsLink ? try await linkServer.start() : await linkServer.authority
        var fields = HTTPFields()
        for (name, value) in request.headers {
            if let field = HTTPField.Name(name) { fields.append(HTTPField(name: field, value: value)) }
        }
        let query = request.url.query(percentEncoded: true).map { "?" + $0 } ?? ""
        let head = HTTPTypes.HTTPRequest(method: method, scheme: "http", authority: authority, path: path + query, headerFields: fields)
        let served = Request(head: head, body: RequestBody(buffer: ByteBuffer(bytes: request.body ?? Data())))
        let context = SandboxRequestContext(logger: logger)
        let response: Response
        do {
            response = try await responder.respond(to: served, context: context)
        } catch let error as any HTTPResponseError {
            response = try error.response(from: served, context: context)
        } catch is CancellationError {
            // An injected dropped connection.
            throw HTTPTransportError.connectionFailed("The embedded sandbox dropped the request.")
        }
        let body = BodyCollector()
        try await response.body.write(body)
        var headers: [String: String] = [:]
        for field in response.headers { headers[field.name.canonicalName] = field.value }
        return ComposioAPI.HTTPResponse(status: response.status.code, headers: headers, body: Data(buffer: body.storage.buffer))
    }

    /// Stops the link server, if a link started it.
    package func shutdown() async { await linkServer.stop() }

    /// Gathers a response body (the writer is consumed, so the bytes live in a box).
    private struct BodyCollector: ResponseBodyWriter {
        final class Storage: @unchecked Sendable {
            var buffer = ByteBuffer()
        }
        let storage = Storage()
        func write(_ buffer: ByteBuffer) async throws { storage.buffer.writeImmutableBuffer(buffer) }
        func finish(_ trailingHeaders: HTTPFields?) async throws {}
    }
}

/// The HTTP server a hosted link's page needs, started on the first link and kept to the end.
private actor LinkServer {
    private let sandbox: Sandbox
    private let logger: Logger
    private var running: RunningSandbox?

    init(sandbox: Sandbox, logger: Logger) {
        self.sandbox = sandbox
        self.logger = logger
    }

    /// `host:port` of the running server, or the loopback host while none runs.
    var authority: String { running.map { "\($0.host):\($0.port)" } ?? Sandbox.defaultHost }

    func start() async throws -> String {
        if running == nil { running = try await sandbox.start(logger: logger, linkPagesOnly: true) }
        return authority
    }

    func stop() async {
        await running?.stop()
        running = nil
    }
}

extension Sandbox {
    /// A transport that serves requests in this process (see ``InProcessTransport``).
    package func inProcessTransport(logger: Logger) -> InProcessTransport { InProcessTransport(sandbox: self, logger: logger) }
}
