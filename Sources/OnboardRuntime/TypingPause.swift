import OnboardCore

/// Notices when typing pauses: the runtimes then send a "typing paused" event so a masked
/// field's length catches up once, instead of being rewritten (and sent over the link) per key.
struct TypingPause {
    /// Long enough to fall between a touch typist's keys, short enough to feel immediate.
    static let quiet: Duration = .milliseconds(300)

    private var lastKey: MonotonicInstant?

    /// A key came in.
    mutating func keyPressed(at now: MonotonicInstant) { lastKey = now }

    /// True once, when `quiet` has passed since the last key.
    mutating func isDue(at now: MonotonicInstant) -> Bool {
        guard let lastKey, now - lastKey >= Self.quiet else { return false }
        self.lastKey = nil
        return true
    }
}
