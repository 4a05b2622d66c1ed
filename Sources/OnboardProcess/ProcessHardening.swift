import CProcess

/// Keeps secrets in memory from leaving the process: no core dumps, not dumpable or
/// traceable by the user's other processes. Applied first thing, before any key is read.
package enum ProcessHardening {
    /// Returns false if the kernel refused (the program goes on; there is nothing to undo).
    @discardableResult
    package static func apply() -> Bool {
        onb_make_undumpable() == 0
    }

    /// Whether the process can be dumped or traced now.
    package static var isDumpable: Bool { onb_is_dumpable() == 1 }
}
