import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

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
            #expect(decided.status == .seeOther)
            let id = try #require(link["connected_account_id"] as? String)
            #expect(decided.headers[.location] == "https://app.example.test/done?x=1&status=failed&connected_account_id=\(id)")
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
}
