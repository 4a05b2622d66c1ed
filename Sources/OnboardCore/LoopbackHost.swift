import Foundation

/// Whether a host names this machine: `localhost` (and `*.localhost`), 127.0.0.0/8 or ::1,
/// with or without IPv6 brackets. One rule for every place that asks: plain http to the service,
/// where the gateway listens, PostgreSQL's default TLS, the link page's scheme.
package func isLoopback(host: String) -> Bool {
    let bare = host.trimmingCharacters(in: CharacterSet(charactersIn: "[]")).lowercased()
    if bare == "localhost" || bare.hasSuffix(".localhost") || bare == "::1" || bare == "0:0:0:0:0:0:0:1" { return true }
    let parts = bare.split(separator: ".", omittingEmptySubsequences: false)
    return parts.count == 4 && parts[0] == "127" && parts.allSatisfy { UInt8($0) != nil }
}

/// Whether an authority (`host`, `host:port`, `[v6]:port`) names this machine.
package func isLoopback(authority: String) -> Bool {
    if authority.hasPrefix("["), let end = authority.firstIndex(of: "]") {
        return isLoopback(host: String(authority[...end]))
    }
    let parts = authority.split(separator: ":", omittingEmptySubsequences: false)
    // More than one colon without brackets is a bare IPv6 address, not host:port.
    return isLoopback(host: parts.count == 2 ? String(parts[0]) : authority)
}
