import Foundation
import OnboardCore

/// Where onboard keeps its files, following the XDG base directory spec.
package enum AppPaths {
    /// `$XDG_DATA_HOME/onboard`, else `~/.local/share/onboard`.
    package static func dataDirectory(environment: [String: String] = ProcessEnvironment.current()) -> String {
        if let base = environment["XDG_DATA_HOME"], base.hasPrefix("/") {
            return base + "/onboard"
        }
        let home = environment["HOME"] ?? NSHomeDirectory()
        return home + "/.local/share/onboard"
    }

    /// `$XDG_STATE_HOME/onboard`, else `~/.local/state/onboard`: the invite store and the
    /// gateways' control sockets.
    package static func stateDirectory(environment: [String: String] = ProcessEnvironment.current()) -> String {
        if let base = environment["XDG_STATE_HOME"], base.hasPrefix("/") { return base + "/onboard" }
        return (environment["HOME"] ?? NSHomeDirectory()) + "/.local/state/onboard"
    }

    /// The embedded sandbox's database.
    package static func sandboxDatabase(environment: [String: String] = ProcessEnvironment.current()) -> String {
        dataDirectory(environment: environment) + "/sandbox.sqlite"
    }
}
