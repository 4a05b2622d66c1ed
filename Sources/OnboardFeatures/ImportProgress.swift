import Foundation
import OnboardCore
import OnboardTUI
import Synchronization

/// How an import is going, as lines for its `Sink`: a bar redrawn often on a terminal, or a
/// plain line every few seconds (and at each tenth) for logs and pipes. Counts only; never a value.
package final class ImportProgress: Sendable {
    /// Where the lines go: the command's stderr (or a test's capture).
    package struct Sink: Sendable {
        /// A terminal that redraws a line in place: a bar, drawn often.
        package var live: Bool
        package var draw: @Sendable (String) -> Void
        /// The run is over: end the bar's line so what follows starts on its own.
        package var end: @Sendable () -> Void
        package init(live: Bool, draw: @escaping @Sendable (String) -> Void, end: @escaping @Sendable () -> Void = {}) {
            self.live = live
            self.draw = draw
            self.end = end
        }

        /// Nowhere.
        package static let none = Sink(live: false, draw: { _ in })
    }

    package struct Counts: Equatable {
        var done = 0
        var failed = 0
    }

    private let total: Int
    /// Rows settled before this run started (journal, already connected): not part of the rate.
    private let settledBefore: Int
    private let sink: Sink
    private let clock: any Timekeeper
    private let started: MonotonicInstant
    private let state = Mutex<(counts: Counts, lastDrawn: MonotonicInstant?, lastPercent: Int)>((Counts(), nil, 0))
    /// Plain lines at most this often (and at each tenth of the way).
    static let plainInterval: Duration = .seconds(5)

    init(total: Int, settledBefore: Int, sink: Sink, clock: any Timekeeper = SystemTimekeeper()) {
        self.total = total
        self.settledBefore = settledBefore
        self.sink = sink
        self.clock = clock
        self.started = clock.now
        state.withLock { $0.counts.done = settledBefore }
    }

    /// One row finished (created, skipped or failed).
    func rowFinished(failed: Bool) {
        let line: String? = state.withLock { state in
            state.counts.done += 1
            if failed { state.counts.failed += 1 }
            return lineIfDue(&state, force: state.counts.done == total)
        }
        if let line { draw(line) }
    }

    /// Redraws on a timer, so a pause (a rate-limit wait) still shows a live clock.
    /// - Parameter pause: how long the service asked everyone to wait, if it did.
    func tick(pause: Duration? = nil) {
        let line: String? = state.withLock { state in
            guard var line = lineIfDue(&state, force: pause != nil && sink.live) else { return nil }
            if let pause { line += "  (rate limited: resuming in \(max(1, Int(pause.components.seconds))) s)" }
            return line
        }
        if let line { draw(line) }
    }

    /// Ends the bar's line so what follows starts on its own.
    func finish() {
        sink.end()
    }

    private func lineIfDue(_ state: inout (counts: Counts, lastDrawn: MonotonicInstant?, lastPercent: Int), force: Bool) -> String? {
        let now = clock.now
        let percent = total == 0 ? 100 : state.counts.done * 100 / total
        let interval: Duration = sink.live ? .milliseconds(100) : Self.plainInterval
        let due = state.lastDrawn.map { now - $0 >= interval } ?? true
        let crossedTenth = percent / 10 > state.lastPercent / 10
        guard force || due || (!sink.live && crossedTenth) else { return nil }
        state.lastDrawn = now
        state.lastPercent = percent
        return Self.line(counts: state.counts, total: total, settledBefore: settledBefore, elapsed: now - started, bar: sink.live)
    }

    private func draw(_ line: String) {
        sink.draw(line)
    }

    /// `[#######.......]  700/2000  35%  98/s  ETA 0:13  2 failed`, or the same words plainly.
    static func line(counts: Counts, total: Int, settledBefore: Int = 0, elapsed: Duration, bar: Bool) -> String {
        let seconds = max(0.001, elapsed.inSeconds)
        let rate = Double(counts.done - settledBefore) / seconds
        let percent = total == 0 ? 100 : counts.done * 100 / total
        let left = rate > 0 ? Int((Double(total - counts.done) / rate).rounded(.up)) : nil
        let eta = left.map { String(format: "%d:%02d", $0 / 60, $0 % 60) } ?? "-:--"
        let failures = counts.failed == 0 ? "" : "  \(counts.failed) failed"
        if bar {
            let width = 24
            let drawn = ProgressBar.render(done: counts.done, total: total, width: width, glyphs: .ascii)
            return "[\(drawn)] \(counts.done)/\(total)  \(percent)%  \(Int(rate.rounded()))/s  ETA \(eta)\(failures)"
        }
        return
            "import: \(counts.done)/\(total) rows (\(percent)%), \(Int(rate.rounded()))/s, ETA \(eta)\(counts.failed == 0 ? "" : ", \(counts.failed) failed")"
    }
}
