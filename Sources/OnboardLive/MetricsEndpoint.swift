import Foundation
import Hummingbird
import Logging
import OnboardFeatures
import OnboardGateway

/// What a metrics endpoint serves: the series, and whether a balancer should send work here.
package protocol MetricsPage: Sendable {
    /// Every series, in Prometheus' text exposition format.
    func text() -> String
    var isReady: Bool { get }
}

extension GatewayMetrics: MetricsPage {}

/// `gateway serve --metrics HOST:PORT` and `sandbox serve --metrics HOST:PORT`: `/metrics` in
/// Prometheus' text format and `/ready` for a load balancer's health check (200, or 503 while
/// the gateway drains or its store refuses writes). Nothing else is served, and nothing here
/// names a customer.
package enum MetricsEndpoint {
    /// Parses `HOST:PORT` (`[::1]:9464` for IPv6).
    package static func address(_ text: String) throws -> (host: String, port: Int) {
        var host = ""
        var portText = ""
        if text.hasPrefix("["), let close = text.firstIndex(of: "]") {
            host = String(text[text.index(after: text.startIndex)..<close])
            let rest = text[text.index(after: close)...]
            guard rest.hasPrefix(":") else { throw UsageError("--metrics: give HOST:PORT, e.g. 127.0.0.1:9464 or [::1]:9464.") }
            portText = String(rest.dropFirst())
        } else if let colon = text.lastIndex(of: ":") {
            host = String(text[..<colon])
            portText = String(text[text.index(after: colon)...])
        }
        guard !host.isEmpty, let port = Int(portText), (0...65535).contains(port) else {
            throw UsageError("--metrics: give HOST:PORT, e.g. 127.0.0.1:9464 or [::1]:9464.")
        }
        return (host, port)
    }

    /// A host as written in a URL: an IPv6 address in brackets.
    package static func hostInURL(_ host: String) -> String { host.contains(":") ? "[\(host)]" : host }

    /// Serves until the returned task is cancelled; `onRunning` gets the bound port.
    package static func start(
        _ metrics: any MetricsPage, host: String, port: Int, serverName: String = "onboard-gateway", logger: Logger,
        onRunning: @escaping @Sendable (Int) async -> Void
    ) -> Task<Void, any Error> {
        let router = Router()
        router.get("/metrics") { _, _ -> Response in
            var headers = HTTPFields()
            headers[.contentType] = "text/plain; version=0.0.4; charset=utf-8"
            return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: metrics.text())))
        }
        router.get("/ready") { _, _ -> Response in
            let ready = metrics.isReady
            return Response(
                status: ready ? .ok : .serviceUnavailable, headers: [.contentType: "text/plain; charset=utf-8"],
                body: ResponseBody(byteBuffer: ByteBuffer(string: ready ? "ready\n" : "not ready: draining, or the store is not answering\n")))
        }
        let app = Application(
            router: router, configuration: .init(address: .hostname(host, port: port), serverName: serverName),
            onServerRunning: { channel in await onRunning(channel.localAddress?.port ?? port) }, logger: logger)
        return Task { try await app.run() }
    }
}
