/// A mistake in how onboard was invoked (exit code 2), with what to do instead.
package struct UsageError: Error, CustomStringConvertible {
    package let description: String
    package init(_ description: String) { self.description = description }
}

/// A command that ran and did not succeed (exit 1); the message says what happened and what to do.
package struct CommandFailure: Error, CustomStringConvertible {
    package let description: String
    package init(_ description: String) { self.description = description }
}

/// Ctrl-C during a command (exit 130).
package struct InterruptedError: Error, CustomStringConvertible {
    package init() {}
    package var description: String { "Interrupted." }
}
