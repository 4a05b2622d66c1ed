import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

@testable import ComposioSandbox

@Suite("Sandbox: managing auth configs, accounts, keys and projects")
struct SandboxManagementTests {
    @Test("session info names the project and masks the key")
    func sessionInfo() async throws {
        try await withSandbox { client in
            for prefix in ["/api/v3", "/api/v3.1"] {
                let info = try await client.get("\(prefix)/auth/session/info").object
                let project = try #require(info["project"] as? [String: Any])
                #expect(project["name"] as? String == "Sandbox project")
                #expect((project["org"] as? [String: Any])?["id"] as? String == "org_sandbox")
                let key = (info["api_key"] as? [String: Any])?["key"] as? String
                #expect(key == "ak_" + String(repeating: "*", count: testKey.count - 7) + "_key")
                #expect(info["org_member"] is [String: Any])
            }
        }
    }

    @Test("custom and managed auth configs are created; unknown toolkits and schemes are refused")
    func createAuthConfig() async throws {
        try await withSandbox { client in
            let custom = try await client.post(
                "/api/v3.1/auth_configs", #"{"toolkit":{"slug":"stripe"},"auth_config":{"type":"use_custom_auth","authScheme":"API_KEY","name":"Billing"}}"#)
            #expect(custom.status == .created)
            let config = try #require(custom.object["auth_config"] as? [String: Any])
            #expect(config["auth_scheme"] as? String == "API_KEY")
            #expect(config["is_composio_managed"] as? Bool == false)
            let id = try #require(config["id"] as? String)
            #expect(try await client.get("/api/v3.1/auth_configs/\(id)").object["name"] as? String == "Billing")
            let managed = try await client.post("/api/v3.1/auth_configs", #"{"toolkit":{"slug":"slack"}}"#)
            #expect((managed.object["auth_config"] as? [String: Any])?["auth_scheme"] as? String == "OAUTH2")
            let noManaged = try await client.post("/api/v3.1/auth_configs", #"{"toolkit":{"slug":"stripe"}}"#)
            #expect(noManaged.status == .badRequest)
            let wrongScheme = try await client.post(
                "/api/v3.1/auth_configs", #"{"toolkit":{"slug":"stripe"},"auth_config":{"type":"use_custom_auth","authScheme":"BASIC"}}"#)
            #expect(wrongScheme.status == .badRequest)
            #expect(wrongScheme.error["suggested_fix"] as? String == "Use one of: API_KEY.")
            let unknown = try await client.post("/api/v3.1/auth_configs", #"{"toolkit":{"slug":"nope"}}"#)
            #expect(unknown.status == .notFound)
        }
    }

    @Test("PATCH sets shared credentials by type: their fields are then not required, and never read back")
    func patchSharedCredentials() async throws {
        try await withSandbox { client in
            let id = try await client.authConfigId(toolkit: "freshdesk")
            let mismatch = try await client.patch("/api/v3.1/auth_configs/\(id)", #"{"type":"default","shared_credentials":{}}"#)
            #expect(mismatch.status == .badRequest)
            let patched = try await client.patch(
                "/api/v3.1/auth_configs/\(id)",
                #"{"type":"custom","shared_credentials":{"generic_api_key":"shared-canary-key"},"credentials":{"client_id":"cid"}}"#)
            #expect(patched.status == .ok)
            let config = try await client.get("/api/v3.1/auth_configs/\(id)")
            #expect(!config.text.contains("shared-canary-key"))
            #expect((config.object["shared_credentials"] as? [String: String]) == ["generic_api_key": "REDACTED"])
            #expect((config.object["credentials"] as? [String: String]) == ["client_id": "REDACTED"])
            let body =
                #"{"auth_config":{"id":"\#(id)"},"connection":{"user_id":"u","state":{"authScheme":"API_KEY","val":{"status":"ACTIVE","subdomain":"acme"}}}}"#
            #expect(try await client.post("/api/v3.1/connected_accounts", body).status == .created)
        }
    }

    @Test("a disabled config leaves the default list and refuses accounts; a deleted one is gone")
    func disableAndDelete() async throws {
        try await withSandbox { client in
            let id = try await client.authConfigId(toolkit: "tavily")
            #expect(try await client.patch("/api/v3.1/auth_configs/\(id)/DISABLED", "").status == .ok)
            let listed = try await client.get("/api/v3.1/auth_configs?toolkit_slug=tavily").object
            #expect(listed["total_items"] as? Int == 0)
            let body =
                #"{"auth_config":{"id":"\#(id)"},"connection":{"user_id":"u","state":{"authScheme":"API_KEY","val":{"status":"ACTIVE","generic_api_key":"k"}}}}"#
            let refused = try await client.post("/api/v3.1/connected_accounts", body)
            #expect(refused.status == .badRequest)
            #expect(refused.error["slug"] as? String == "AuthConfig_Disabled")
            #expect(try await client.patch("/api/v3.1/auth_configs/\(id)/ENABLED", "").status == .ok)
            #expect(try await client.delete("/api/v3.1/auth_configs/\(id)").status == .ok)
            #expect(try await client.get("/api/v3.1/auth_configs/\(id)").status == .notFound)
        }
    }

    @Test("accounts list by comma-joined user_ids and statuses, in either order, paged")
    func listAccounts() async throws {
        try await withSandbox { client in
            var ids: [String] = []
            for user in ["ann", "bob", "cid", "ann"] { ids.append(try await client.createTavilyAccount(user: user)) }
            let ann = try await client.get("/api/v3.1/connected_accounts?user_ids=ann,bob&order_direction=asc").object
            #expect((ann["items"] as? [[String: Any]])?.compactMap { $0["user_id"] as? String } == ["ann", "bob", "ann"])
            #expect(ann["total_items"] as? Int == 3)
            let repeated = try await client.get("/api/v3.1/connected_accounts?user_ids[]=cid&statuses=ACTIVE").object
            #expect((repeated["items"] as? [[String: Any]])?.compactMap { $0["id"] as? String } == [ids[2]])
            let page = try await client.get("/api/v3.1/connected_accounts?limit=3").object
            #expect((page["items"] as? [Any])?.count == 3)
            #expect(page["next_cursor"] is String)
            let none = try await client.get("/api/v3.1/connected_accounts?statuses=FAILED").object
            #expect(none["total_items"] as? Int == 0)
            let badOrder = try await client.get("/api/v3.1/connected_accounts?order_by=name")
            #expect(badOrder.status == .badRequest)
        }
    }

    @Test("PATCH an account's alias and credentials, disable it to INACTIVE, delete it")
    func patchDisableDelete() async throws {
        try await withSandbox { client in
            let id = try await client.createTavilyAccount(user: "dee")
            let patched = try await client.patch(
                "/api/v3.1/connected_accounts/\(id)",
                #"{"alias":"work","connection":{"state":{"authScheme":"API_KEY","val":{"generic_api_key":"tvly-rotated123"}}}}"#)
            #expect(patched.object["success"] as? Bool == true)
            #expect(!patched.text.contains("tvly-rotated123"))
            #expect(try await client.get("/api/v3.1/connected_accounts/\(id)").object["alias"] as? String == "work")
            let wrong = try await client.patch("/api/v3.1/connected_accounts/\(id)", #"{"connection":{"state":{"authScheme":"BASIC","val":{}}}}"#)
            #expect(wrong.status == .badRequest)
            #expect(try await client.patch("/api/v3.1/connected_accounts/\(id)/status", #"{"enabled":false}"#).status == .ok)
            let disabled = try await client.get("/api/v3.1/connected_accounts/\(id)").object
            #expect(disabled["status"] as? String == "INACTIVE")
            #expect(disabled["is_disabled"] as? Bool == true)
            #expect(try await client.patch("/api/v3.1/connected_accounts/\(id)/status", #"{"enabled":true}"#).status == .ok)
            #expect(try await client.get("/api/v3.1/connected_accounts/\(id)").object["status"] as? String == "ACTIVE")
            let deleted = try await client.delete("/api/v3.1/connected_accounts/\(id)")
            #expect(deleted.object["success"] as? Bool == true)
            #expect(try await client.get("/api/v3.1/connected_accounts/\(id)").status == .notFound)
        }
    }

    @Test("a read-only key reads but gets 403 on writes; another project's key sees none of this one")
    func keysAndProjects() async throws {
        try await withSandboxObject { client, sandbox in
            let readOnly = try sandbox.createKey(projectId: Sandbox.defaultProjectId, readOnly: true)
            let headers: HTTPFields = [HTTPField.Name("x-api-key")!: readOnly, .contentType: "application/json"]
            #expect(try await client.get("/api/v3.1/auth_configs", headers: headers).status == .ok)
            let write = try await client.post("/api/v3.1/auth_configs", #"{"toolkit":{"slug":"slack"}}"#, headers: headers)
            #expect(write.status == .forbidden)
            #expect(write.error["status"] as? Int == 403)
            let other = try sandbox.createProject(name: "Other")
            let otherHeaders: HTTPFields = [HTTPField.Name("x-api-key")!: other.key]
            #expect(try await client.get("/api/v3.1/auth_configs", headers: otherHeaders).object["total_items"] as? Int == 0)
            let mine = try await client.authConfigId(toolkit: "tavily")
            #expect(try await client.get("/api/v3.1/auth_configs/\(mine)", headers: otherHeaders).status == .notFound)
            let configId = try sandbox.createAuthConfig(projectId: other.id, toolkit: "twilio", scheme: nil, name: nil)
            #expect(try await client.get("/api/v3.1/auth_configs/\(configId)", headers: otherHeaders).object["auth_scheme"] as? String == "BASIC")
        }
    }
}

@Suite("Sandbox: organisation keys")
struct SandboxOrganisationTests {
    @Test("x-org-api-key lists the organisation's projects and creates one with a working key; a project key is refused")
    func orgProjects() async throws {
        try await withSandboxObject { client, sandbox in
            let orgKey = try sandbox.createOrgKey()
            let headers: HTTPFields = [HTTPField.Name("x-org-api-key")!: orgKey, .contentType: "application/json"]
            let listed = try await client.get("/api/v3/org/owner/project/list", headers: headers).object
            // The published list is under `data`, unlike every other list of the contract.
            #expect((listed["data"] as? [[String: Any]])?.map { $0["id"] as? String } == [Sandbox.defaultProjectId])
            let seedPath = try await client.get("/api/v3.1/org/projects", headers: headers).object
            #expect((seedPath["data"] as? [[String: Any]])?.count == 1, "the documentation page's path answers the same")
            let created = try await client.post("/api/v3.1/org/owner/project/new", #"{"name":"staging","should_create_api_key":true}"#, headers: headers)
            #expect(created.status == .ok, "200, as the published schema has it")
            let key = try #require(created.object["api_key"] as? String)
            let session = try await client.get("/api/v3.1/auth/session/info", headers: [HTTPField.Name("x-api-key")!: key]).object
            #expect((session["project"] as? [String: Any])?["name"] as? String == "staging")
            #expect(try await client.get("/api/v3/org/owner/project/list", headers: headers).object["total_items"] as? Int == 2)
            let refused = try await client.get("/api/v3/org/owner/project/list", headers: .authorized)
            #expect(refused.status == .unauthorized)
            #expect(refused.error["message"] as? String == "Invalid organization API key provided")
        }
    }
}
