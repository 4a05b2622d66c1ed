import Foundation

/// Lines from a descriptor, each at most `limit` bytes (a longer one is skipped whole).
struct LineReader: Sendable {
    let descriptor: Int32
    let limit: Int
    private var pending: [UInt8] = []
    private var skipping = false
    private var chunk = [UInt8](repeating: 0, count: 64 << 10)

    init(descriptor: Int32, limit: Int) {
        self.descriptor = descriptor
        self.limit = limit
    }

    /// The next line, nil at the end (or an error).
    mutating func next() -> [UInt8]? {
        while true {
            if let newline = pending.firstIndex(of: 0x0A) {
                let line = Array(pending[..<newline])
                pending.removeSubrange(...newline)
                if skipping {
                    skipping = false
                    continue
                }
                return line
            }
            if pending.count > limit {
                pending.removeAll()
                skipping = true
            }
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { return nil }
            pending += chunk[..<count]
        }
    }
}
