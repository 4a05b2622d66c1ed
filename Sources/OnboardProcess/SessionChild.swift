import CProcess
import CSpawn
import Glibc

/// A program running on a pseudo-terminal of its own, as sshd runs a login: the leader of a
/// new session whose controlling terminal is the pty, so it gets SIGWINCH on a resize and
/// SIGHUP when the terminal goes away.
package struct SessionChild: Sendable {
    /// The process id, which is also its process group and session id.
    package let pid: pid_t
    /// The pty's master side: what the program writes is read here, and what is written here
    /// is what it reads. The caller owns it.
    package let master: Int32

    /// A terminal size the kernel and curses can live with: 0 means "not said" (RFC 4254
    /// §6.2), so 80x24; anything else is kept within 1...512 columns and 1...256 rows (a client
    /// claiming 65535x65535 would otherwise make curses allocate gigabytes).
    package static func clamped(columns: Int, rows: Int) -> (columns: UInt16, rows: UInt16) {
        let width = columns <= 0 ? 80 : min(columns, 512)
        let height = rows <= 0 ? 24 : min(rows, 256)
        return (UInt16(width), UInt16(height))
    }

    /// Starts `executable` with `arguments` (the first is argv[0]) and exactly `environment`
    /// on a new pty of the given size; `passing[i]` becomes its descriptor 3 + i, and no other
    /// descriptor of this process reaches it. The pty is 0600; with an `owner` it is that
    /// user's (the program, started as root, becomes that user itself before it reads input).
    package static func start(
        executable: String, arguments: [String], environment: [String: String], columns: Int, rows: Int, passing: [Int32] = [],
        owner: SessionUser? = nil
    ) throws(SessionChildError) -> SessionChild {
        let size = clamped(columns: columns, rows: rows)
        var path = [CChar](repeating: 0, count: 128)
        let master = onb_open_pty(&path, path.count, size.rows, size.columns)
        guard master >= 0 else { throw SessionChildError("Could not open a pseudo-terminal: \(String(cString: strerror(errno))).") }
        let tty = String(decoding: path.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        if let owner, chown(tty, owner.uid, owner.gid) != 0 {
            let reason = String(cString: strerror(errno))
            close(master)
            throw SessionChildError("Could not give the pseudo-terminal to the session's user: \(reason).")
        }
        var pid: pid_t = 0
        let argv = arguments.map { strdup($0) } + [nil]
        let envp = environment.sorted { $0.key < $1.key }.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            for pointer in argv + envp { free(pointer) }
        }
        let result = passing.withUnsafeBufferPointer { passed in
            onb_spawn_on_pty(&pid, executable, tty, argv, envp, passed.baseAddress, Int32(passed.count))
        }
        guard result == 0 else {
            close(master)
            throw SessionChildError("Could not start \(executable): \(String(cString: strerror(result))).")
        }
        return SessionChild(pid: pid, master: master)
    }

    /// Tells the program its window changed (clamped as at the start).
    package func resize(columns: Int, rows: Int) {
        let size = Self.clamped(columns: columns, rows: rows)
        _ = onb_set_window(master, size.rows, size.columns)
    }

    /// Sends `signal` to the program and everything it started (its process group).
    package func signal(_ signal: Int32) {
        _ = kill(-pid, signal)
    }

    /// Its exit status (128 + signal when a signal ended it), once it has ended; nil while it
    /// runs. Reaps it: call until it answers.
    package func exitStatus() -> Int32? {
        let status = onb_reap(pid)
        return status < 0 ? nil : status
    }
}

/// The user a session's program runs as when the gateway runs as root (`--session-user`), as
/// sshd runs each login's unprivileged half as a user of its own.
package struct SessionUser: Sendable, Equatable, Codable {
    package var uid: uid_t
    package var gid: gid_t

    package init(uid: uid_t, gid: gid_t) {
        self.uid = uid
        self.gid = gid
    }

    /// The user named `name` in the password database, or nil when there is none.
    package static func named(_ name: String) -> SessionUser? {
        guard let entry = getpwnam(name) else { return nil }
        return SessionUser(uid: entry.pointee.pw_uid, gid: entry.pointee.pw_gid)
    }

    /// Becomes this user for good: the capability bounding set emptied while root still may,
    /// no supplementary groups, then the group, then the user (in that order: once the user is
    /// given up, neither the set nor the group can be). Checked afterwards: getting root back
    /// must fail.
    package func become() -> Bool {
        guard onb_drop_bounding_set() == 0, setgroups(0, nil) == 0, setgid(gid) == 0, setuid(uid) == 0 else { return false }
        return uid == 0 || (setuid(0) != 0 && getuid() == uid && geteuid() == uid && getgid() == gid)
    }
}

/// Why a session's program could not be started (no value it was given is quoted).
package struct SessionChildError: Error, CustomStringConvertible {
    package let description: String
    init(_ description: String) { self.description = description }
}

/// A pipe whose read end a child inherits and whose write end is filled and closed here: how
/// a secret reaches a child without argv or the environment, where `ps` and /proc would show it.
package enum DescriptorHandOff {
    /// A read descriptor that yields `bytes` and then end of file (close-on-exec here; the
    /// child gets it through `SessionChild.start(passing:)`). The caller closes it after the start.
    package static func pipe(holding bytes: [UInt8]) throws(SessionChildError) -> Int32 {
        var ends: [Int32] = [-1, -1]
        guard pipe2(&ends, O_CLOEXEC) == 0 else { throw SessionChildError("Could not make a pipe: \(String(cString: strerror(errno))).") }
        defer { close(ends[1]) }
        // A pipe holds 64 KiB before a writer blocks; a key is far smaller.
        guard bytes.count <= 60_000 else {
            close(ends[0])
            throw SessionChildError("The value is too large to pass through a pipe.")
        }
        var written = 0
        while written < bytes.count {
            let count = bytes[written...].withUnsafeBytes { write(ends[1], $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else {
                close(ends[0])
                throw SessionChildError("Could not fill a pipe: \(String(cString: strerror(errno))).")
            }
            written += count
        }
        return ends[0]
    }

    /// A socket pair for a child to report on and be answered: (this end, the child's end),
    /// both close-on-exec in this process.
    package static func reportChannel() throws(SessionChildError) -> (ours: Int32, theirs: Int32) {
        var ends: [Int32] = [-1, -1]
        guard onb_socket_pair(&ends) == 0 else { throw SessionChildError("Could not make a socket pair: \(String(cString: strerror(errno))).") }
        return (ends[0], ends[1])
    }

    /// Reads everything from `descriptor` up to `limit` bytes, then closes it (for the child's
    /// side: the key it was handed).
    package static func readAll(_ descriptor: Int32, limit: Int = 64 << 10) -> [UInt8]? {
        defer { close(descriptor) }
        var result: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            if count < 0 { return nil }
            if count == 0 { return result }
            result += chunk[..<count]
            if result.count > limit { return nil }
        }
    }
}
