import HTTPTypes
import HummingbirdTesting
import Testing

@Suite("Sandbox: authentication")
struct SandboxAuthTests {
    @Test("no key, a wrong key and an empty key get 401 with the contract's envelope")
    func unauthorized() async throws {
        try await withSandbox { client in
            for headers: HTTPFields in [[:], [HTTPField.Name("x-api-key")!: "ak_wrong"], [HTTPField.Name("x-api-key")!: ""]] {
                let response = try await client.get("/api/v3.1/auth_configs", headers: headers)
                #expect(response.status == .unauthorized)
                #expect(response.error["message"] as? String == "Invalid API key provided")
                #expect(response.error["status"] as? Int == 401)
                #expect(response.error["code"] as? Int == 401)
                #expect(response.error["slug"] as? String == "Auth_InvalidApiKey")
                #expect((response.error["request_id"] as? String)?.hasPrefix("req_") == true)
            }
        }
    }

    @Test("Authorization: Bearer with the project key is accepted like x-api-key")
    func bearer() async throws {
        try await withSandbox { client in
            let response = try await client.get("/api/v3.1/auth_configs", headers: [.authorization: "Bearer \(testKey)"])
            #expect(response.status == .ok)
        }
    }

    @Test("an unknown route answers 404 in the envelope")
    func unknownRoute() async throws {
        try await withSandbox { client in
            let response = try await client.get("/api/v3.1/nothing_here")
            #expect(response.status == .notFound)
            #expect(response.error["status"] as? Int == 404)
        }
    }
}
