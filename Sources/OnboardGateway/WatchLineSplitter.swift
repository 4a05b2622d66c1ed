import NIOCore

/// Whole lines out of a stream of bytes from the other end (a session's program, an operator),
/// each at most `maximum` bytes: one splitter for every reader of the watch protocol, so a line
/// is cut the same way wherever it arrives. What to do with a line that grows past the maximum
/// is the reader's (it is dropped up to its end either way).
struct WatchLineSplitter {
    let maximum: Int
    private var pending: [UInt8] = []
    /// Where the search for the next newline goes on (bytes before it hold none).
    private var searched = 0
    /// Dropping the rest of a line that grew past the maximum.
    private var skipping = false

    init(maximum: Int) { self.maximum = maximum }

    /// The whole lines in what came so far (without their newlines), and whether a line grew
    /// past the maximum since the last call.
    mutating func lines(adding buffer: inout ByteBuffer) -> (lines: [[UInt8]], overflowed: Bool) {
        pending += buffer.readBytes(length: buffer.readableBytes) ?? []
        var lines: [[UInt8]] = []
        var start = 0
        while let newline = pending[max(start, searched)...].firstIndex(of: 0x0A) {
            if skipping { skipping = false } else { lines.append(Array(pending[start..<newline])) }
            start = newline + 1
        }
        pending.removeFirst(start)
        searched = pending.count
        guard pending.count > maximum else { return (lines, false) }
        pending.removeAll()
        searched = 0
        skipping = true
        return (lines, true)
    }
}
