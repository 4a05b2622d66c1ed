import OnboardProcess
import OnboardStore

/// What a claimed invite's session is started with: everything the gateway learned about the
/// client, already checked (TERM resolved, environment filtered, size as asked).
package struct SessionRequest: Sendable {
    package let invite: Invite
    /// The client's address and port.
    package let peer: String
    package let term: String
    package let columns: Int
    package let rows: Int
    /// Only LANG, LC_*, COLORTERM and NO_COLOR, as ``TerminalName/acceptedEnvironment(_:_:)`` allows.
    package let environment: [String: String]
    /// Who asked, shown above the form: the invite's greeting, else the project's name.
    package let greeting: String?
    /// The gateway's host key fingerprint, for the customer to compare with what ssh showed.
    package let hostKey: String
}

/// A session's program, started: the child on its pty, and the read end of the pipe on which
/// it reports its account (audit events as JSON lines), and this end of its line to the
/// operators (``WatchMessage`` lines).
package struct StartedSession: Sendable {
    package let child: SessionChild
    package let report: Int32
    package let operators: Int32
    package init(child: SessionChild, report: Int32, operators: Int32) {
        self.child = child
        self.report = report
        self.operators = operators
    }
}

/// Starts the program a session runs (onboard's wizard, locked to the invite); the gateway
/// knows nothing of backends and keys.
package protocol SessionLauncher: Sendable {
    func start(_ request: SessionRequest) throws -> StartedSession
}

/// What an operator who came over SSH runs: `invite attach` for one invite, on a pty of its own.
package struct AttachRequest: Sendable {
    /// The invite id, already checked to be one (`inv_` and letters and digits).
    package let invite: String
    package let term: String
    package let columns: Int
    package let rows: Int
    package let environment: [String: String]
}

/// Starts `invite attach` for an operator: the child on its pty, and this end of the socket
/// pair it attaches through (its descriptor 3).
package protocol AttachLauncher: Sendable {
    func startAttach(_ request: AttachRequest) throws -> (child: SessionChild, gateway: Int32)
}
