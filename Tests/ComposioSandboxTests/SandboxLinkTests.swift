import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import OnboardCore
import Synchronization
import Testing

@testable import ComposioSandbox

#if canImport(Glibc)
    import Glibc
#endif

@Suite("Sandbox: hosted connect links")
struct SandboxLinkTests {
    static let form: HTTPFields = [.contentType: "application/x-www-form-urlencoded"]

    static func link(_ client: any TestClientProtocol, toolkit: String, extra: String = "") async throws -> [String: Any] {
        let configId = try await client.authConfigId(toolkit: toolkit)
        let created = try await client.post("/api/v3.1/connected_accounts/link", #"{"auth_config_id":"\#(configId)","user_id":"lia"\#(extra)}"#)
        #expect(created.status == .created)
        return created.object
    }

    /// The CSRF token of a rendered link page.
    static func csrf(_ page: String) -> String {
        page.firstMatch(of: /name="csrf" value="([0-9a-f]+)"/).map { String($0.output.1) } ?? ""
    }

    /// Opens the link's page and posts `fields` with its token, as the browser would.
    static func submit(_ client: any TestClientProtocol, _ link: [String: Any], _ fields: String) async throws -> TestResponse {
        let page = try await client.get(path(link), headers: [:])
        return try await client.execute(
            uri: path(link), method: .post, headers: form, body: ByteBuffer(string: "csrf=\(csrf(page.text))&" + fields))
    }

    /// The path part of a link's redirect_url.
    static func path(_ link: [String: Any]) -> String {
        URL(string: link["redirect_url"] as? String ?? "")?.path ?? "/"
    }

    @Test("an OAuth link starts INITIATED with a redirect_url to the sandbox's page; approving makes it ACTIVE")
    func approveOAuth() async throws {
        try await withSandbox { client in
            let link = try await Self.link(client, toolkit: "github")
            let id = try #require(link["connected_account_id"] as? String)
            #expect((link["link_token"] as? String)?.hasPrefix("lt_") == true)
            #expect((link["redirect_url"] as? String)?.contains("/link/") == true)
            #expect(link["expires_at"] is String)
            let pending = try await client.get("/api/v3.1/connected_accounts/\(id)").object
            #expect(pending["status"] as? String == "INITIATED")
            #expect(((pending["state"] as? [String: Any])?["val"] as? [String: Any])?["redirectUrl"] as? String == link["redirect_url"] as? String)
            let page = try await client.get(Self.path(link), headers: [:])
            #expect(page.status == .ok)
            #expect(page.text.contains("Connect GitHub"))
            #expect(page.text.contains("value=\"approve\""))
            let decided = try await Self.submit(client, link, "decision=approve")
            #expect(decided.text.contains("<h1 class=\"ok\">Connected</h1>"))
            #expect(try await client.get("/api/v3.1/connected_accounts/\(id)").object["status"] as? String == "ACTIVE")
        }
    }

    @Test("the same form posted twice, one after the other and at once: one completes the link, the others get 410; posts go only to the page itself")
    func onePostCompletes() async throws {
        try await withSandbox(live: true) { client in
            let link = try await Self.link(client, toolkit: "github")
            let page = try await client.get(Self.path(link), headers: [:])
            #expect(page.headers[HTTPField.Name("Content-Security-Policy")!]?.contains("form-action 'self';") == true)
            let body = "csrf=\(Self.csrf(page.text))&decision=approve"
            let port = try #require(client.port)
            let path = Self.path(link)
            // Four browsers' posts at once, each on a connection (and a thread) of its own.
            let answers = await RawPost.statuses(count: 4, port: port, path: path, body: body)
            #expect(answers.filter { $0 == 200 }.count == 1, "\(answers)")
            #expect(answers.filter { $0 == 410 }.count == 3, "\(answers)")
            let again = try await client.execute(uri: Self.path(link), method: .post, headers: Self.form, body: ByteBuffer(string: body))
            #expect(again.status == .gone)
        }
    }

    @Test("link URLs: http only for a host of this machine (https for any other the caller named), --public-url when given")
    func linkURLSchemes() async throws {
        #expect(isLoopback(authority: "127.0.0.1:9900") && isLoopback(authority: "[::1]:9900") && isLoopback(authority: "::1"))
        #expect(isLoopback(authority: "localhost:9900") && !isLoopback(authority: "sandbox.example.com:443"))
        try await withSandbox(options: SandboxOptions(rateLimit: 0, publicURL: "https://connect.example.com/")) { client in
            let link = try await Self.link(client, toolkit: "github")
            #expect((link["redirect_url"] as? String)?.hasPrefix("https://connect.example.com/link/lt_") == true)
        }
    }

    @Test("an API-key link asks for the fields not prefilled, and refuses approval without them")
    func apiKeyLink() async throws {
        try await withSandbox { client in
            let link = try await Self.link(client, toolkit: "freshdesk", extra: #","connection_data":{"subdomain":"acme"}"#)
            let page = try await client.get(Self.path(link), headers: [:])
            #expect(page.text.contains("name=\"generic_api_key\""))
            #expect(page.text.contains("type=\"password\""))
            // A connection_data prefill is shown in its field, editable.
            #expect(page.text.contains("name=\"subdomain\" type=\"text\" value=\"acme\""))
            let missing = try await Self.submit(client, link, "decision=approve&subdomain=acme")
            #expect(missing.status == .badRequest)
            #expect(missing.text.contains("One field needs your attention."))
            #expect(missing.text.contains("Enter the API Key."))
            let done = try await Self.submit(client, link, "decision=approve&subdomain=acme&generic_api_key=abcdefABCDEF123456")
            #expect(done.status == .ok)
            let id = try #require(link["connected_account_id"] as? String)
            #expect(try await client.get("/api/v3.1/connected_accounts/\(id)").object["status"] as? String == "ACTIVE")
        }
    }

    @Test("denying makes the account FAILED with a reason; a callback_url gets the outcome")
    func denyWithCallback() async throws {
        try await withSandbox { client in
            let link = try await Self.link(client, toolkit: "slack", extra: #","callback_url":"https://app.example.test/done?x=1""#)
            let decided = try await Self.submit(client, link, "decision=deny")
            // A page that moves on (form-action 'self' holds a post's redirects too).
            #expect(decided.status == .ok)
            let id = try #require(link["connected_account_id"] as? String)
            let target = "https://app.example.test/done?x=1&amp;status=failed&amp;connected_account_id=\(id)"
            #expect(decided.text.contains("<meta http-equiv=\"refresh\" content=\"0;url=\(target)\">"))
            #expect(decided.text.contains("<a href=\"\(target)\">Continue</a>"))
            let account = try await client.get("/api/v3.1/connected_accounts/\(id)").object
            #expect(account["status"] as? String == "FAILED")
            #expect(account["status_reason"] as? String == "Access was denied on the connect page")
        }
    }

    @Test("a link not completed within 10 minutes EXPIRES, and its page says so")
    func expiry() async throws {
        let clock = TestClock()
        try await withSandbox(clock: clock) { client in
            let link = try await Self.link(client, toolkit: "github")
            let id = try #require(link["connected_account_id"] as? String)
            clock.advance(599)
            #expect(try await client.get("/api/v3.1/connected_accounts/\(id)").object["status"] as? String == "INITIATED")
            clock.advance(2)
            let expired = try await client.get("/api/v3.1/connected_accounts?statuses=EXPIRED").object
            #expect((expired["items"] as? [[String: Any]])?.first?["status_reason"] as? String == "Connection initiation did not complete within 10 minutes")
            let page = try await client.get(Self.path(link), headers: [:])
            #expect(page.status == .gone)
        }
    }

    @Test("missing fields and unknown configs are refused; an unknown token is 404")
    func errors() async throws {
        try await withSandbox { client in
            let missing = try await client.post("/api/v3.1/connected_accounts/link", #"{"user_id":"u"}"#)
            #expect(missing.status == .badRequest)
            #expect(missing.error["message"] as? String == "Missing required fields: auth_config_id")
            let unknown = try await client.post("/api/v3.1/connected_accounts/link", #"{"auth_config_id":"ac_x","user_id":"u"}"#)
            #expect(unknown.status == .notFound)
            let nothing = try await client.get("/link/lt_nothing", headers: [:])
            #expect(nothing.status == .notFound && nothing.text.contains("This link is not valid"))
        }
    }

    @Test("a post without this page's CSRF token changes nothing; a secret is never written back into the page; a used link says so")
    func csrfAndSecrets() async throws {
        try await withSandbox { client in
            let link = try await Self.link(client, toolkit: "freshdesk")
            let id = try #require(link["connected_account_id"] as? String)
            let forged = try await client.execute(
                uri: Self.path(link), method: .post, headers: Self.form, body: ByteBuffer(string: "decision=approve&subdomain=a&generic_api_key=k"))
            #expect(forged.status == .forbidden)
            let other = try await Self.link(client, toolkit: "freshdesk")
            let otherPage = try await client.get(Self.path(other), headers: [:])
            let crossed = try await client.execute(
                uri: Self.path(link), method: .post, headers: Self.form,
                body: ByteBuffer(string: "csrf=\(Self.csrf(otherPage.text))&decision=approve&subdomain=a&generic_api_key=k"))
            #expect(crossed.status == .forbidden, "another link's token does not work here")
            #expect(try await client.get("/api/v3.1/connected_accounts/\(id)").object["status"] as? String == "INITIATED")
            // The subdomain is missing: the page comes back with the subdomain's error, the
            // typed secret not in it, and the label tied to the input.
            let secret = "SECRETCANARY-0123456789"
            let again = try await Self.submit(client, link, "decision=approve&subdomain=&generic_api_key=\(secret)")
            #expect(again.status == .badRequest && !again.text.contains(secret))
            #expect(again.text.contains("Enter the Subdomain.") && again.text.contains("aria-invalid=\"true\""))
            #expect(again.text.contains("<label for=\"f0\">") && again.text.contains("id=\"f0\""))
            #expect(try await Self.submit(client, link, "decision=approve&subdomain=acme&generic_api_key=\(secret)").status == .ok)
            let used = try await client.get(Self.path(link), headers: [:])
            #expect(used.status == .gone && used.text.contains("already used"))
        }
    }

    @Test("Ask for help: only with the page's token; recorded on the account for whoever sent the link; nothing typed kept or echoed")
    func askForHelp() async throws {
        try await withSandbox { client in
            let link = try await Self.link(client, toolkit: "freshdesk")
            let id = try #require(link["connected_account_id"] as? String)
            let forged = try await client.execute(uri: Self.path(link), method: .post, headers: Self.form, body: ByteBuffer(string: "decision=help"))
            #expect(forged.status == .forbidden)
            #expect(try await client.get("/api/v3.1/connected_accounts/\(id)").object["onboard_link_help_requested_at"] == nil)
            let secret = "HELPCANARY-0123456789"
            let page = try await Self.submit(client, link, "decision=help&subdomain=acme&generic_api_key=\(secret)")
            #expect(page.status == .ok && page.text.contains("Your operator has been told") && page.text.contains("role=\"status\""))
            #expect(page.text.contains("value=\"acme\"") && !page.text.contains(secret), "the plain value stays, the secret is not written back")
            let account = try await client.get("/api/v3.1/connected_accounts/\(id)").object
            #expect(account["status"] as? String == "INITIATED" && account["onboard_link_help_requested_at"] is String)
            // The link still completes after help.
            #expect(try await Self.submit(client, link, "decision=approve&subdomain=acme&generic_api_key=\(secret)").status == .ok)
            #expect(try await client.get("/api/v3.1/connected_accounts/\(id)").object["status"] as? String == "ACTIVE")
        }
    }
}

/// A form post over a plain socket, for posts made at once from several tasks.
enum RawPost {
    struct Failed: Error {}

    /// `count` posts at once, each from a thread of its own (blocking sockets must not hold the
    /// concurrency pool the server's handlers run on); their status codes, -1 for a failure.
    static func statuses(count: Int, port: Int, path: String, body: String) async -> [Int] {
        await withCheckedContinuation { continuation in
            let results = Mutex<[Int]>([])
            for _ in 0..<count {
                Thread {
                    let code = (try? status(port: port, path: path, body: body)) ?? -1
                    let all = results.withLock { list in
                        list.append(code)
                        return list
                    }
                    if all.count == count { continuation.resume(returning: all) }
                }.start()
            }
        }
    }

    /// The status code of `POST path` with a form `body` to 127.0.0.1:`port`.
    static func status(port: Int, path: String, body: String) throws -> Int {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw Failed() }
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw Failed() }
        let request =
            "POST \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nContent-Type: application/x-www-form-urlencoded\r\n"
            + "Content-Length: \(body.utf8.count)\r\nConnection: close\r\n\r\n\(body)"
        _ = request.withCString { send(descriptor, $0, strlen($0), 0) }
        var buffer = [UInt8](repeating: 0, count: 64)
        let count = recv(descriptor, &buffer, buffer.count, 0)
        guard count > 12, let code = Int(String(decoding: buffer[9..<12], as: UTF8.self)) else { throw Failed() }
        return code
    }
}
