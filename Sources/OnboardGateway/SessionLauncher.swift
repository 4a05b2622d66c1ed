import OnboardProcess
import OnboardStore

/// What a claimed invite's session is started with: everything the gateway learned about the
/// client, already checked (TERM resolved, environment filtered, size as asked).
public struct SessionRequest: Sendable {
    public let invite: Invite
    /// The client's address and port.
    public let peer: String
    public let term: String
    public let columns: Int
    public let rows: Int
    /// Only LANG, LC_*, COLORTERM and NO_COLOR, as ``TerminalName/acceptedEnvironment(_:_:)`` allows.
    public let environment: [String: String]
}

/// A session's program, started: the child on its pty, and the read end of the pipe on which
/// it reports its account (audit events as JSON lines).
public struct StartedSession: Sendable {
    public let child: SessionChild
    public let report: Int32
    public init(child: SessionChild, report: Int32) {
        self.child = child
        self.report = report
    }
}

/// Starts the program a session runs (onboard's wizard, locked to the invite); the gateway
/// knows nothing of backends and keys.
public protocol SessionLauncher: Sendable {
    func start(_ request: SessionRequest) throws -> StartedSession
}
