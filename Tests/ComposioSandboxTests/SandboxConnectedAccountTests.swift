import Foundation
import HummingbirdTesting
import Testing

@Suite("Sandbox: connected accounts")
struct SandboxConnectedAccountTests {
    static func body(_ configId: String, user: String = "user-1", scheme: String = "API_KEY", val: String, validate: Bool = false) -> String {
        #"{"auth_config":{"id":"\#(configId)"},"connection":{"user_id":"\#(user)","state":{"authScheme":"\#(scheme)","val":{"status":"ACTIVE",\#(val)}}}\#(validate ? #","validate_credentials":true"# : "")}"#
    }

    @Test("an API-key account is created ACTIVE, readable by id, counted on its config, and never echoes the key")
    func createAndGet() async throws {
        try await withSandbox { client in
            let configId = try await client.authConfigId(toolkit: "freshdesk")
            let created = try await client.post(
                "/api/v3.1/connected_accounts", Self.body(configId, val: #""subdomain":"acme","generic_api_key":"key-canary-0001""#))
            #expect(created.status == .created)
            #expect(!created.text.contains("key-canary-0001"))
            let id = try #require(created.object["id"] as? String)
            #expect(id.hasPrefix("ca_"))
            #expect(created.object["status"] as? String == "ACTIVE")
            #expect(((created.object["connectionData"] as? [String: Any])?["val"] as? [String: Any])?["status"] as? String == "ACTIVE")
            let fetched = try await client.get("/api/v3/connected_accounts/\(id)")
            #expect(fetched.status == .ok)
            #expect(!fetched.text.contains("key-canary-0001"))
            #expect(fetched.object["status"] as? String == "ACTIVE")
            #expect(fetched.object["user_id"] as? String == "user-1")
            #expect(fetched.object["status_reason"] is NSNull)
            #expect((fetched.object["auth_config"] as? [String: Any])?["id"] as? String == configId)
            let config = try await client.get("/api/v3.1/auth_configs/\(configId)").object
            #expect(config["no_of_connections"] as? Int == 1)
        }
    }

    @Test("a missing required field is a 400 naming it")
    func missingField() async throws {
        try await withSandbox { client in
            let configId = try await client.authConfigId(toolkit: "freshdesk")
            let response = try await client.post("/api/v3.1/connected_accounts", Self.body(configId, val: #""generic_api_key":"k""#))
            #expect(response.status == .badRequest)
            #expect(response.error["message"] as? String == "Missing required fields: subdomain")
            #expect(response.error["errors"] as? [String] == ["connection.state.val.subdomain is required"])
        }
    }

    @Test("a Composio-managed OAuth config is refused with the link instruction")
    func managedOAuth() async throws {
        try await withSandbox { client in
            let configId = try await client.authConfigId(toolkit: "github")
            let response = try await client.post("/api/v3.1/connected_accounts", Self.body(configId, scheme: "OAUTH2", val: #""x":"y""#))
            #expect(response.status == .badRequest)
            #expect(response.error["slug"] as? String == "ConnectedAccount_BadRequest")
            #expect((response.error["message"] as? String)?.contains("/connected_accounts/link") == true)
        }
    }

    @Test("malformed bodies: not JSON or wrong types are 422, a missing auth_config is 400 naming it")
    func malformedBodies() async throws {
        try await withSandbox { client in
            let notJSON = try await client.post("/api/v3.1/connected_accounts", "{nope")
            #expect(notJSON.status == .unprocessableContent)
            let wrongType = try await client.post("/api/v3.1/connected_accounts", #"{"auth_config":{"id":5}}"#)
            #expect(wrongType.status == .unprocessableContent)
            let missing = try await client.post("/api/v3.1/connected_accounts", #"{"connection":{"user_id":"u"}}"#)
            #expect(missing.status == .badRequest)
            #expect(missing.error["message"] as? String == "Missing required field: auth_config")
        }
    }

    @Test("an unknown auth config is 404 and an unknown account is 404 with code 1803")
    func unknownIds() async throws {
        try await withSandbox { client in
            let config = try await client.post("/api/v3.1/connected_accounts", Self.body("ac_missing", val: #""a":"b""#))
            #expect(config.status == .notFound)
            let account = try await client.get("/api/v3.1/connected_accounts/ca_missing")
            #expect(account.status == .notFound)
            #expect(account.error["code"] as? Int == 1803)
            #expect(account.error["message"] as? String == "No connected account found")
        }
    }

    @Test("validate_credentials marks a wrongly shaped key FAILED with a reason, and a good one ACTIVE")
    func validation() async throws {
        try await withSandbox { client in
            let configId = try await client.authConfigId(toolkit: "sendgrid")
            let bad = try await client.post(
                "/api/v3.1/connected_accounts", Self.body(configId, val: #""generic_api_key":"not-a-sendgrid-key""#, validate: true))
            #expect(bad.object["status"] as? String == "FAILED")
            let badId = try #require(bad.object["id"] as? String)
            let reason = try await client.get("/api/v3.1/connected_accounts/\(badId)").object["status_reason"] as? String
            #expect(reason == "Credential validation failed: API Key does not look valid for sendgrid")
            let good = try await client.post(
                "/api/v3.1/connected_accounts", Self.body(configId, val: #""generic_api_key":"SG.abcdefghijkl.mnopqrstuvwx""#, validate: true))
            #expect(good.object["status"] as? String == "ACTIVE")
        }
    }

    @Test("credentials are encrypted at rest: the database files never contain them")
    func encryptedAtRest() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("onboard-sandbox-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("db.sqlite").path
        try await withSandbox(path: path) { client in
            let configId = try await client.authConfigId(toolkit: "tavily")
            let created = try await client.post("/api/v3.1/connected_accounts", Self.body(configId, val: #""generic_api_key":"tvly-CANARYCANARY""#))
            #expect(created.status == .created)
        }
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        #expect(files.contains("db.sqlite"))
        for file in files {
            let data = try Data(contentsOf: directory.appendingPathComponent(file))
            #expect(data.range(of: Data("tvly-CANARYCANARY".utf8)) == nil, "\(file) holds the credential in clear")
            #expect(data.range(of: Data(testKey.utf8)) == nil, "\(file) holds the API key in clear")
            let attributes = try FileManager.default.attributesOfItem(atPath: directory.appendingPathComponent(file).path)
            if file.hasPrefix("db.sqlite") {
                #expect((attributes[.posixPermissions] as? Int) == 0o600, "\(file) is not 0600")
            }
        }
    }
}
