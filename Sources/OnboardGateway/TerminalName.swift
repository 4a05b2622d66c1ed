import Foundation

/// The TERM a session's program gets: the client's, when it is a plain name this machine has a
/// terminfo entry for; else `xterm-256color`, which every terminal emulator in use today
/// understands well enough (Charm's wish and tmux do the same for names like `xterm-ghostty`).
package enum TerminalName {
    package static let fallback = "xterm-256color"

    package static let directories = ["/etc/terminfo", "/lib/terminfo", "/usr/share/terminfo", "/usr/lib/terminfo"]

    package static func resolve(_ requested: String, terminfoDirectories: [String] = directories) -> String {
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.+-_")
        guard !requested.isEmpty, requested.count <= 64, requested.allSatisfy({ allowed.contains($0) }), requested.first != "." else {
            return fallback
        }
        let first = String(requested.first!)
        let hex = String(format: "%02x", requested.utf8.first!)
        for directory in terminfoDirectories {
            for folder in [first, hex] where FileManager.default.fileExists(atPath: "\(directory)/\(folder)/\(requested)") {
                return requested
            }
        }
        return fallback
    }

    /// Of the client's environment requests, the ones a session's program may see: language and
    /// colour preferences only (sshd's AcceptEnv LANG LC_* plus COLORTERM and NO_COLOR). Names
    /// are `[A-Z_]`; values are a locale's or a colour setting's characters, at most 64: no
    /// `/`, so `LC_ALL=/some/path` never reaches glibc's locale loader.
    package static func acceptedEnvironment(_ name: String, _ value: String) -> Bool {
        guard name.count <= 32, name.utf8.allSatisfy({ ($0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z")) || $0 == UInt8(ascii: "_") }) else {
            return false
        }
        guard name == "LANG" || name == "COLORTERM" || name == "NO_COLOR" || name.hasPrefix("LC_") else { return false }
        return value.utf8.count <= 64
            && value.utf8.allSatisfy { byte in
                (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
                    || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "_")
                    || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "@")
            }
    }
}
