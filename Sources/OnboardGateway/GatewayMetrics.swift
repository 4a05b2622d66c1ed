import Foundation
import Prometheus
import Synchronization

/// What an operator watches of a gateway without reading its log, in Prometheus' text format
/// (`gateway serve --metrics`): sessions running, operators attached, connections refused by reason, claims by
/// outcome, how long claims and first frames take, store writes that failed and are queued,
/// and whether the gateway is draining. Never an invite id, a token or an address: labels come
/// from fixed lists, so a stranger cannot grow the set of series.
package final class GatewayMetrics: Sendable {
    private let registry = PrometheusCollectorRegistry()
    private let sessions: Gauge
    private let sessionsStarted: Counter
    private let operators: Gauge
    private let attaches: Counter
    private let refused: [String: Counter]
    private let claims: [String: Counter]
    private let claimLatency: DurationHistogram
    private let firstFrameLatency: DurationHistogram
    private let storeWriteFailures: Counter
    private let storeQueue: Gauge
    private let drainingGauge: Gauge
    private let state = Mutex<(draining: Bool, storeFailing: Bool)>((false, false))

    /// Why a connection or session was turned away (the `reason` label).
    package static let refusalReasons = ["rate", "waiting", "sessions", "proxy_header", "login_grace", "requests", "no_terminal"]
    /// How a claim ended (the `outcome` label).
    package static let claimOutcomes = ["claimed", "unknown", "expired", "used", "revoked", "store_failed"]

    package init() {
        let registry = self.registry
        func named(_ name: String, _ unit: String?, _ help: String) -> MetricNameDescriptor {
            // An empty unit is left out of the name.
            MetricNameDescriptor(namespace: "onboard", subsystem: "gateway", metricName: name, unitName: unit ?? "", helpText: help)
        }
        sessions = registry.makeGauge(descriptor: named("sessions", nil, "Sessions whose program runs now."))
        sessionsStarted = registry.makeCounter(descriptor: named("sessions_started", "total", "Sessions started since the gateway started."))
        operators = registry.makeGauge(
            descriptor: named("operators_attached", nil, "Operators attached over SSH now (each holds one of --max-sessions' places)."))
        attaches = registry.makeCounter(descriptor: named("operator_attaches", "total", "Operators' attaches over SSH started since the gateway started."))
        let refusedName = named("refused", "total", "Connections or sessions turned away, by reason.")
        refused = Dictionary(uniqueKeysWithValues: Self.refusalReasons.map { ($0, registry.makeCounter(descriptor: refusedName, labels: [("reason", $0)])) })
        let claimsName = named("claims", "total", "Invite claims, by outcome.")
        claims = Dictionary(uniqueKeysWithValues: Self.claimOutcomes.map { ($0, registry.makeCounter(descriptor: claimsName, labels: [("outcome", $0)])) })
        let buckets: [Duration] = [
            .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100), .milliseconds(250),
            .milliseconds(500), .seconds(1), .milliseconds(2500), .seconds(5), .seconds(10),
        ]
        claimLatency = registry.makeDurationHistogram(
            descriptor: named("claim", "seconds", "From the shell request to the store's answer to the claim."), buckets: buckets)
        firstFrameLatency = registry.makeDurationHistogram(
            descriptor: named("first_frame", "seconds", "From the claim's answer to the session program's first frame."), buckets: buckets)
        storeWriteFailures = registry.makeCounter(
            descriptor: named("store_write_failures", "total", "Writes to the invite store or the trail that failed (each is retried)."))
        storeQueue = registry.makeGauge(descriptor: named("store_queue", nil, "Writes waiting for the store or the trail."))
        drainingGauge = registry.makeGauge(descriptor: named("draining", nil, "1 while the gateway drains before stopping."))
    }

    func sessionStarted() {
        sessionsStarted.increment()
        sessions.increment()
    }
    func sessionEnded() { sessions.decrement() }
    func operatorAttached() {
        attaches.increment()
        operators.increment()
    }
    func operatorDetached() { operators.decrement() }
    func refusedConnection(_ reason: String) { refused[reason]?.increment() }
    func claimed(_ outcome: String, after: Duration) {
        claims[outcome]?.increment()
        claimLatency.record(after)
    }
    func firstFrame(after: Duration) { firstFrameLatency.record(after) }
    func storeWrite(failed: Bool) {
        if failed { storeWriteFailures.increment() }
        state.withLock { $0.storeFailing = failed }
    }
    func storeQueue(_ depth: Int) { storeQueue.set(to: Double(depth)) }

    /// Marks the gateway draining (not ready) from now on.
    package func startDraining() {
        state.withLock { $0.draining = true }
        drainingGauge.set(to: 1)
    }

    /// Whether a balancer should send this gateway new customers: not while it drains, nor while
    /// its store keeps refusing writes.
    package var isReady: Bool { state.withLock { !$0.draining && !$0.storeFailing } }

    /// Every series, in Prometheus' text exposition format.
    package func text() -> String { registry.emitToString() }
}
