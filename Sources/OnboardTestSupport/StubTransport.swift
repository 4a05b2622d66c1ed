import ComposioAPI
import Foundation
import Synchronization

/// A transport that answers from a script and records what was sent.
package final class StubTransport: HTTPTransport {
    /// What to answer for one request: a reply, or a transport failure.
    package enum Answer: Sendable {
        case reply(HTTPResponse)
        case fail(HTTPTransportError)
    }

    private let state = Mutex<(answers: [Answer], requests: [HTTPRequest])>(([], []))

    package init(_ answers: [Answer] = []) {
        state.withLock { $0.answers = answers }
    }

    /// A JSON reply with `status`.
    package static func json(_ status: Int, _ body: String, headers: [String: String] = [:]) -> Answer {
        .reply(HTTPResponse(status: status, headers: headers.merging(["content-type": "application/json"]) { first, _ in first }, body: Data(body.utf8)))
    }

    package func enqueue(_ answer: Answer) {
        state.withLock { $0.answers.append(answer) }
    }

    /// Every request sent so far, in order.
    package var requests: [HTTPRequest] {
        state.withLock { $0.requests }
    }

    package func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        let answer: Answer? = state.withLock { state in
            state.requests.append(request)
            return state.answers.isEmpty ? nil : state.answers.removeFirst()
        }
        switch answer {
        case .reply(let response): return response
        case .fail(let error): throw error
        case nil: throw HTTPTransportError.connectionFailed("StubTransport has no answer left for \(request.method) \(request.url.path)")
        }
    }
}
