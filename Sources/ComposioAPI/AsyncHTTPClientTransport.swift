import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// The production transport: AsyncHTTPClient with TLS verification on and bounded timeouts.
package final class AsyncHTTPClientTransport: HTTPTransport {
    private let client: HTTPClient
    private let requestTimeout: TimeAmount
    /// Replies larger than this are refused rather than buffered.
    private let maximumBodyBytes = 16 * 1024 * 1024

    /// - Parameters:
    ///   - proxy: an HTTP(S) proxy to tunnel through (``ProxySettings/resolve(for:environment:)``).
    package init(connectTimeout: Duration = .seconds(5), requestTimeout: Duration = .seconds(60), proxy: ProxySettings? = nil) {
        var configuration = HTTPClient.Configuration()
        configuration.timeout = .init(connect: .nanoseconds(Int64(connectTimeout.components.seconds) * 1_000_000_000))
        configuration.redirectConfiguration = .disallow
        // TLS certificate verification stays at AsyncHTTPClient's default: full verification.
        if let proxy {
            configuration.proxy = .server(
                host: proxy.host, port: proxy.port,
                authorization: proxy.credentials.map { HTTPClient.Authorization.basic(credentials: Data($0.utf8).base64EncodedString()) }
            )
        }
        client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        self.requestTimeout = .nanoseconds(Int64(requestTimeout.components.seconds) * 1_000_000_000)
    }

    /// Closes the connection pool; call once before the process ends.
    package func shutdown() async {
        try? await client.shutdown()
    }

    package func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        var outgoing = HTTPClientRequest(url: request.url.absoluteString)
        outgoing.method = HTTPMethod(rawValue: request.method)
        for (name, value) in request.headers { outgoing.headers.add(name: name, value: value) }
        if let body = request.body { outgoing.body = .bytes(ByteBuffer(bytes: body)) }
        do {
            let response = try await client.execute(outgoing, timeout: requestTimeout)
            let body = try await response.body.collect(upTo: maximumBodyBytes)
            var headers: [String: String] = [:]
            for header in response.headers { headers[header.name.lowercased()] = header.value }
            return HTTPResponse(status: Int(response.status.code), headers: headers, body: Data(body.readableBytesView))
        } catch let error as HTTPClientError where error == .deadlineExceeded || error == .connectTimeout {
            throw HTTPTransportError.timedOut
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            throw HTTPTransportError.connectionFailed(String(describing: error))
        }
    }
}
