import ComposioSandbox
import Foundation
import Prometheus

/// `sandbox serve --metrics`: the requests the sandbox answered, in Prometheus' text format, by
/// route pattern, method and status, with their latency by route. The labels come from the
/// sandbox's fixed sets (``AnsweredRequest``), so a client cannot grow the set of series.
package final class SandboxMetrics: SandboxRequestObserver, MetricsPage {
    private let registry = PrometheusCollectorRegistry()
    /// Requests answered 429 (the rate limit, or too many failed authentications) and 5xx (a
    /// fault injected with `--faults`, or a real one), in all: what a client test watches.
    private let limited: Counter
    private let failed: Counter

    /// Sandbox API calls take milliseconds; the buckets start there.
    static let buckets: [Duration] = [
        .milliseconds(1), .microseconds(2500), .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100),
        .milliseconds(250), .milliseconds(500), .seconds(1), .milliseconds(2500),
    ]

    private static func named(_ name: String, _ unit: String, _ help: String) -> MetricNameDescriptor {
        MetricNameDescriptor(namespace: "onboard", subsystem: "sandbox", metricName: name, unitName: unit, helpText: help)
    }
    private static var requests: MetricNameDescriptor { named("requests", "total", "Requests answered, by route pattern, method and status.") }
    private static var latency: MetricNameDescriptor {
        named("request", "seconds", "From a request reaching the sandbox to its response, by route pattern.")
    }

    package init() {
        limited = registry.makeCounter(descriptor: Self.named("rate_limited", "total", "Requests answered 429."))
        failed = registry.makeCounter(descriptor: Self.named("server_errors", "total", "Requests answered 5xx (injected faults included)."))
    }

    package func answered(_ request: AnsweredRequest) {
        registry.makeCounter(
            descriptor: Self.requests, labels: [("route", request.route), ("method", request.method), ("status", String(request.status))]
        ).increment()
        registry.makeDurationHistogram(descriptor: Self.latency, labels: [("route", request.route)], buckets: Self.buckets).record(request.duration)
        if request.status == 429 { limited.increment() }
        if request.status >= 500 { failed.increment() }
    }

    package func text() -> String { registry.emitToString() }

    /// A sandbox that answers is ready: it has no store of its own that can be away.
    package var isReady: Bool { true }
}
