#if canImport(Glibc)
    import Glibc
#endif

/// The process's environment, read straight from `environ`.
///
/// Not `ProcessInfo.processInfo.environment`: the first use of `ProcessInfo` builds the whole
/// singleton (arguments, host, paths) and its dictionary through a runtime type lookup that scans
/// every protocol conformance in the binary, about a millisecond before the wizard's first frame.
package enum ProcessEnvironment {
    /// Every `NAME=value` entry; where a name repeats, the first wins, as `getenv` reads it.
    package static func current() -> [String: String] {
        var variables = [String: String](minimumCapacity: 64)
        var entry = environ
        while let pointer = entry.pointee {
            let line = String(cString: pointer)
            if let equals = line.utf8.firstIndex(of: UInt8(ascii: "=")) {
                let name = String(line[..<equals])
                if variables[name] == nil { variables[name] = String(line[line.utf8.index(after: equals)...]) }
            }
            entry += 1
        }
        return variables
    }
}
