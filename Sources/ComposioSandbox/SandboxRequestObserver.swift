import Foundation

/// Told of every request the sandbox answers (`sandbox serve --metrics` counts them). What it
/// gets comes from fixed sets, never from the request's text: the route as registered (the
/// pattern, not the path, so no id or link token), a known method or `other`, the status the
/// sandbox chose. A client cannot grow the set of series by inventing paths or methods.
package protocol SandboxRequestObserver: Sendable {
    func answered(_ request: AnsweredRequest)
}

/// One request the sandbox answered.
package struct AnsweredRequest: Sendable, Equatable {
    /// The route's pattern, e.g. `/api/v3/connected_accounts/{id}`; `NotFound` (the server
    /// framework's word) when no route took the request.
    package var route: String
    /// `GET`, `POST`, ... or `other`.
    package var method: String
    package var status: Int
    /// From the request reaching the sandbox to its response being ready.
    package var duration: Duration

    package init(route: String, method: String, status: Int, duration: Duration) {
        self.route = route
        self.method = method
        self.status = status
        self.duration = duration
    }

    /// The methods counted by name; any other is `other`.
    package static let methods: Set<String> = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]

    /// The label for a method a client sent.
    package static func method(_ sent: String) -> String { methods.contains(sent) ? sent : "other" }
}
