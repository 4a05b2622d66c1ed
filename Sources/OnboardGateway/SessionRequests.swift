/// The rules for what a session channel's client may ask before and after its session starts,
/// as a value: requests go in, decisions come out, so every order and count is a unit test
/// (the channel handler only translates SSH events to requests and decisions to replies).
///
/// Everything before the session comes from a stranger who has typed no valid token yet, so
/// every kind of request is capped: a client cannot grow the gateway's memory or fill its log.
package struct SessionRequests: Sendable, Equatable {
    /// A request from the client, stripped to what the rules look at.
    package enum Request: Sendable, Equatable {
        case pseudoTerminal(term: String, columns: Int, rows: Int, modeCount: Int)
        case environment(name: String, value: String)
        case windowChange(columns: Int, rows: Int)
        case shell
        /// exec, subsystem, x11, agent: never granted.
        case other
    }

    /// What to do about one request.
    package enum Decision: Sendable, Equatable {
        case accept
        case refuse
        /// Refuse, and the first time, record why (a cap was reached).
        case refuseAndRecord(String)
        /// Refuse and close the connection: the client keeps asking past every cap.
        case close(String)
        /// Start the session (the shell request).
        case start
        /// Tell the program its window changed.
        case resize(columns: Int, rows: Int)
        /// Window changes come too fast: keep the size, apply it on the next tick.
        case later
    }

    /// Environment entries kept, at most (OpenSSH clients send a handful).
    package static let maximumEnvironment = 16
    /// Requests of one kind a client may make before the session; past this it is closed.
    package static let maximumRequests = 64
    /// Terminal modes in one pty request (RFC 4254 defines fewer than 60).
    package static let maximumModes = 128
    /// Window changes applied a second; the rest are coalesced into the next tick.
    package static let maximumResizesPerSecond = 10

    package private(set) var started = false
    package private(set) var terminal: (term: String, columns: Int, rows: Int)?
    package private(set) var environment: [String: String] = [:]
    /// The window size, as last asked (applied or waiting for a tick).
    package private(set) var window: (columns: Int, rows: Int) = (0, 0)
    /// A window change not yet applied (too many in the second it came).
    package private(set) var pendingResize = false
    private var counts: [String: Int] = [:]
    private var recorded: Set<String> = []
    private var resizeSecond: Int64 = -1
    private var resizesThisSecond = 0

    package init() {}

    package static func == (lhs: SessionRequests, rhs: SessionRequests) -> Bool {
        lhs.started == rhs.started && lhs.environment == rhs.environment && lhs.terminal?.term == rhs.terminal?.term
            && lhs.window == rhs.window && lhs.counts == rhs.counts
    }

    /// Decides `request`, made at `second` (any monotonic count of seconds).
    package mutating func handle(_ request: Request, second: Int64) -> Decision {
        let kind = Self.kind(request)
        counts[kind, default: 0] += 1
        if !started, counts[kind, default: 0] > Self.maximumRequests {
            return .close("more than \(Self.maximumRequests) \(kind) requests before a session")
        }
        switch request {
        case .pseudoTerminal(let term, let columns, let rows, let modeCount):
            guard !started, terminal == nil else { return once("pty", "a second pty request") }
            guard modeCount <= Self.maximumModes else { return once("pty-modes", "a pty request with \(modeCount) terminal modes") }
            terminal = (term, columns, rows)
            window = (columns, rows)
            return .accept
        case .environment(let name, let value):
            guard !started, TerminalName.acceptedEnvironment(name, value) else { return .refuse }
            guard environment.count < Self.maximumEnvironment || environment[name] != nil else {
                return once("env", "more than \(Self.maximumEnvironment) environment entries")
            }
            environment[name] = value
            return .accept
        case .windowChange(let columns, let rows):
            window = (columns, rows)
            guard started else { return .accept }
            if second != resizeSecond {
                resizeSecond = second
                resizesThisSecond = 0
            }
            resizesThisSecond += 1
            guard resizesThisSecond <= Self.maximumResizesPerSecond else {
                pendingResize = true
                return .later
            }
            pendingResize = false
            return .resize(columns: columns, rows: rows)
        case .shell:
            guard !started else { return .refuse }
            started = true
            return .start
        case .other:
            return .refuse
        }
    }

    /// A tick (ten a second): the window change held back, if any.
    package mutating func tick() -> Decision? {
        guard pendingResize else { return nil }
        pendingResize = false
        return .resize(columns: window.columns, rows: window.rows)
    }

    private mutating func once(_ cap: String, _ why: String) -> Decision {
        recorded.insert(cap).inserted ? .refuseAndRecord(why) : .refuse
    }

    private static func kind(_ request: Request) -> String {
        switch request {
        case .pseudoTerminal: "pty"
        case .environment: "env"
        case .windowChange: "window-change"
        case .shell: "shell"
        case .other: "other"
        }
    }
}
