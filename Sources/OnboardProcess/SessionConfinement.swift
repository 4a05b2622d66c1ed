import CProcess
import Glibc

/// What a gateway session's program confines itself to before it reads a byte from the
/// customer: no new privileges, a Landlock ruleset that denies every file but those listed, and
/// resource limits. The kernel then enforces what the wizard's locked mode promises, so a fault
/// in the wizard (a path it should not have opened) still reaches nothing.
package struct SessionConfinement: Sendable, Equatable {
    /// Read only: terminfo, locale and time zone data, TLS roots and resolver files.
    package var readable: [String]
    /// Read and written, never created or removed beside: the embedded sandbox's database files.
    package var writable: [String]
    /// Character devices every program may use (`/dev/null`, `/dev/urandom`), read and written.
    package var devices: [String] = ["/dev/null", "/dev/zero", "/dev/urandom", "/dev/random"]
    /// Descriptors at once; a wizard needs few (its pty, report and key pipes, a few sockets).
    package var maximumDescriptors: UInt64 = 256
    /// Address space, generous for the Swift runtime's reservations; a runaway allocation (a
    /// hostile paste, a huge reply) ends the session rather than the machine.
    package var maximumAddressSpace: UInt64 = 8 << 30

    package init(readable: [String], writable: [String]) {
        self.readable = readable
        self.writable = writable
    }

    /// The files every session needs to read: terminfo (`directories` and `TERMINFO*`), the
    /// locale, character set and time zone data, what TLS and name lookups read, the user and
    /// group databases, the libraries name lookups load and the processor count (all readable by
    /// every user of the machine: nothing here is the gateway's).
    package static func systemReadable(terminfo: [String], environment: [String: String]) -> [String] {
        var paths = terminfo
        for name in ["TERMINFO", "TERMINFO_DIRS"] {
            for part in (environment[name] ?? "").split(separator: ":") where part.hasPrefix("/") { paths.append(String(part)) }
        }
        paths += [
            "/usr/lib/locale", "/usr/share/locale", "/usr/share/i18n", "/usr/share/zoneinfo", "/etc/localtime",
            "/etc/ssl/certs", "/usr/share/ca-certificates", "/etc/ca-certificates", "/usr/lib/ssl",
            "/etc/resolv.conf", "/etc/hosts", "/etc/nsswitch.conf", "/etc/host.conf", "/etc/gai.conf", "/etc/services",
            "/etc/locale.alias", "/etc/passwd", "/etc/group", "/etc/ld.so.cache", "/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu",
            "/lib/aarch64-linux-gnu", "/usr/lib/aarch64-linux-gnu",
            // How many processors there are (glibc, Dispatch and NIO size their pools by it), and
            // /proc: Dispatch's pool monitor reads /proc/<tid>/stat for each of its threads and
            // traps when it cannot (sessions died at random under load without it). A thread's
            // directory does not exist when the rules are made, so /proc it is; with every
            // capability dropped, other processes' private files there stay closed.
            "/sys/devices/system/cpu", "/sys/fs/cgroup", "/proc",
        ]
        return paths
    }

    /// How confinement went: fully, on the first line only (no Landlock in this kernel), or not.
    package enum Outcome: Equatable, Sendable {
        /// Every file outside the rules is denied by the kernel; `abi` is its Landlock version.
        case confined(abi: Int)
        /// No new privileges and the limits hold, but the kernel has no Landlock: only the
        /// wizard's own rules keep files out of reach.
        case withoutLandlock
        /// Could not confine (the reason, no path quoted); the session must not start.
        case failed(String)
    }

    /// Confines this process. Call while it has one thread: a ruleset binds the calling thread
    /// and the threads it starts later, never those already running, so with more than one
    /// thread this refuses rather than confine part of the process.
    package func apply() -> Outcome {
        let threads = Self.threadCount()
        guard threads == 1 else { return .failed("the session had \(threads) threads before confinement; it needs to be the only one") }
        // Limits first: they need no privilege and hold whatever follows.
        guard onb_limit(Int32(RLIMIT_CORE.rawValue), 0) == 0, onb_limit(Int32(RLIMIT_NOFILE.rawValue), maximumDescriptors) == 0,
            onb_limit(Int32(RLIMIT_AS.rawValue), maximumAddressSpace) == 0
        else { return .failed("a resource limit was refused: \(String(cString: strerror(errno)))") }
        // No capability, even as root: /proc (which Dispatch needs, below) then shows other
        // processes only what any user sees, and file permissions hold.
        guard onb_drop_capabilities() == 0 else { return .failed("capabilities could not be dropped: \(String(cString: strerror(errno)))") }
        let abi = Int(onb_landlock_abi())
        guard abi > 0 else {
            return onb_no_new_privileges() == 0 ? .withoutLandlock : .failed("no-new-privileges was refused: \(String(cString: strerror(errno)))")
        }
        let ruleset = onb_landlock_ruleset(Int32(abi))
        guard ruleset >= 0 else { return .failed("the kernel refused a Landlock ruleset: \(String(cString: strerror(errno)))") }
        let rules: [(paths: [String], kind: onb_landlock_rule_kind)] = [
            (readable, ONB_LANDLOCK_READ), (devices, ONB_LANDLOCK_DEVICE), (writable, ONB_LANDLOCK_READ_WRITE),
        ]
        for (paths, kind) in rules {
            let rights = onb_landlock_rights(Int32(kind.rawValue))
            // A path this machine does not have is no rule, not a failure.
            for path in paths where onb_landlock_allow(ruleset, path, rights, Int32(abi)) != 0 && errno != ENOENT {
                close(ruleset)
                return .failed("a Landlock rule was refused: \(String(cString: strerror(errno))) \(path)")
            }
        }
        guard onb_landlock_enforce(ruleset) == 0 else { return .failed("Landlock was refused: \(String(cString: strerror(errno)))") }
        return .confined(abi: abi)
    }

    /// Threads of this process, from /proc (0 when it cannot be read).
    package static func threadCount() -> Int {
        guard let directory = opendir("/proc/self/task") else { return 0 }
        defer { closedir(directory) }
        var count = 0
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            if name != "." && name != ".." { count += 1 }
        }
        return count
    }

    /// The Landlock version the kernel offers (0: none), for the gateway to say at start.
    package static var landlockABI: Int { Int(onb_landlock_abi()) }

    /// Whether no-new-privileges is set on this process (for tests).
    package static var hasNoNewPrivileges: Bool { onb_has_no_new_privileges() == 1 }
}
