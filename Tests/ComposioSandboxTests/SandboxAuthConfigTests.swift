import Foundation
import HummingbirdTesting
import Testing

@Suite("Sandbox: auth configs and toolkits")
struct SandboxAuthConfigTests {
    @Test("lists enabled configs on v3 and v3.1 with the paginated envelope")
    func list() async throws {
        try await withSandbox { client in
            for prefix in ["/api/v3", "/api/v3.1"] {
                let page = try await client.get("\(prefix)/auth_configs?limit=50").object
                let items = try #require(page["items"] as? [[String: Any]])
                #expect(items.count == 21)
                #expect(page["total_items"] as? Int == 21)
                #expect(page["current_page"] as? Int == 1)
                #expect(page["total_pages"] as? Int == 1)
                #expect(page.keys.contains("next_cursor"))
                #expect(page["next_cursor"] is NSNull)
                let first = items[0]
                #expect(first["name"] as? String == "SendGrid (API key)")
                #expect(first["auth_scheme"] as? String == "API_KEY")
                #expect(first["status"] as? String == "ENABLED")
                #expect((first["id"] as? String)?.hasPrefix("ac_") == true)
                #expect((first["toolkit"] as? [String: Any])?["slug"] as? String == "sendgrid")
                #expect(first["no_of_connections"] as? Int == 0)
            }
        }
    }

    @Test("show_disabled, toolkit_slug and search narrow the list")
    func filters() async throws {
        try await withSandbox { client in
            let all = try await client.get("/api/v3.1/auth_configs?show_disabled=true").object
            #expect(all["total_items"] as? Int == 22)
            let sendgrid = try await client.get("/api/v3.1/auth_configs?toolkit_slug=sendgrid,jira").object
            #expect(sendgrid["total_items"] as? Int == 2)
            let search = try await client.get("/api/v3.1/auth_configs?search=TAVILY").object
            #expect((search["items"] as? [[String: Any]])?.map { $0["name"] as? String } == ["Tavily search"])
        }
    }

    @Test("without a limit a page holds 20 and says where the next starts")
    func defaultLimit() async throws {
        try await withSandbox { client in
            let page = try await client.get("/api/v3.1/auth_configs").object
            #expect((page["items"] as? [Any])?.count == 20)
            #expect(page["next_cursor"] is String)
            #expect(page["total_pages"] as? Int == 2)
        }
    }

    @Test("limit and next_cursor walk every page once")
    func paging() async throws {
        try await withSandbox { client in
            var names: [String] = []
            var cursor: String?
            var pages = 0
            repeat {
                let query = cursor.map { "&cursor=\($0)" } ?? ""
                let page = try await client.get("/api/v3.1/auth_configs?limit=3\(query)").object
                names += (page["items"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String }
                #expect(page["total_pages"] as? Int == 7)
                cursor = page["next_cursor"] as? String
                pages += 1
            } while cursor != nil && pages < 10
            #expect(pages == 7)
            #expect(names.count == 21)
            #expect(Set(names).count == 21)
        }
    }

    @Test("a bad limit or cursor is a 400 that says what to send")
    func badPaging() async throws {
        try await withSandbox { client in
            let limit = try await client.get("/api/v3.1/auth_configs?limit=abc")
            #expect(limit.status == .badRequest)
            #expect(limit.error["message"] as? String == "limit must be a positive whole number")
            let cursor = try await client.get("/api/v3.1/auth_configs?cursor=garbage")
            #expect(cursor.status == .badRequest)
        }
    }

    @Test("get by id, and 404 for an unknown one")
    func getById() async throws {
        try await withSandbox { client in
            let id = try await client.authConfigId(toolkit: "freshdesk")
            let config = try await client.get("/api/v3.1/auth_configs/\(id)").object
            #expect(config["name"] as? String == "Freshdesk support desk")
            let missing = try await client.get("/api/v3.1/auth_configs/ac_nope")
            #expect(missing.status == .notFound)
            #expect(missing.error["message"] as? String == "Auth config ac_nope not found")
        }
    }

    @Test("a toolkit lists its connected_account_initiation fields with is_secret and defaults")
    func toolkit() async throws {
        try await withSandbox { client in
            let toolkit = try await client.get("/api/v3.1/toolkits/firecrawl?version=latest").object
            #expect(toolkit["slug"] as? String == "firecrawl")
            let details = try #require(toolkit["auth_config_details"] as? [[String: Any]])
            #expect(details.first?["mode"] as? String == "API_KEY")
            let fields = (details.first?["fields"] as? [String: Any])?["connected_account_initiation"] as? [String: Any]
            let required = try #require(fields?["required"] as? [[String: Any]])
            #expect(required.map { $0["name"] as? String } == ["full", "generic_api_key"])
            #expect(required.map { $0["is_secret"] as? Bool } == [false, true])
            #expect(required[0]["default"] as? String == "https://api.firecrawl.dev")
            #expect(required[0]["displayName"] as? String == "Base URL")
            let missing = try await client.get("/api/v3.1/toolkits/nope")
            #expect(missing.status == .notFound)
        }
    }
}
