import Foundation

/// The proxy to use for a base URL, from the variables curl and the SDKs read:
/// `HTTPS_PROXY`/`https_proxy` (then `ALL_PROXY`) for https, `HTTP_PROXY`/`http_proxy` for http,
/// unless `NO_PROXY`/`no_proxy` lists the host (exact, a `.suffix`, or `*`).
package struct ProxySettings: Equatable, Sendable {
    package var host: String
    package var port: Int
    /// `user:password` from the proxy URL, if any. Never logged.
    package var credentials: String?

    package init(host: String, port: Int, credentials: String? = nil) {
        self.host = host
        self.port = port
        self.credentials = credentials
    }

    /// The proxy for `target`, or nil for a direct connection. Throws when a proxy variable is
    /// set but is not a URL, naming the variable.
    package static func resolve(for target: URL, environment: [String: String]) throws -> ProxySettings? {
        guard let host = target.host?.lowercased() else { return nil }
        let noProxy = environment["NO_PROXY"] ?? environment["no_proxy"] ?? ""
        for entry in noProxy.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces).lowercased() }) where !entry.isEmpty {
            if entry == "*" { return nil }
            let bare = entry.hasPrefix(".") ? String(entry.dropFirst()) : entry
            let name = bare.split(separator: ":").first.map(String.init) ?? bare
            if host == name || host.hasSuffix("." + name) { return nil }
        }
        let names =
            target.scheme?.lowercased() == "https"
            ? ["HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy"]
            : ["HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy"]
        guard let name = names.first(where: { !(environment[$0] ?? "").isEmpty }), let value = environment[name] else { return nil }
        let text = value.contains("://") ? value : "http://" + value
        guard let url = URL(string: text), let proxyHost = url.host, !proxyHost.isEmpty else {
            throw ProxySettingsError("\(name) is not a proxy URL (expected e.g. http://proxy.example:3128).")
        }
        var credentials: String?
        if let user = url.user {
            credentials = user + ":" + (url.password ?? "")
        }
        return ProxySettings(host: proxyHost, port: url.port ?? 3128, credentials: credentials)
    }
}

/// A proxy variable that cannot be used, named with what to set instead.
package struct ProxySettingsError: Error, CustomStringConvertible {
    package let description: String
    init(_ description: String) { self.description = description }
}
