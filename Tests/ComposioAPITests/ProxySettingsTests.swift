import ComposioAPI
import Foundation
import Testing

@Suite("Proxy settings from the environment")
struct ProxySettingsTests {
    let target = URL(string: "https://backend.composio.dev")!

    @Test("HTTPS_PROXY (or https_proxy, then ALL_PROXY) applies to https, with credentials kept apart")
    func httpsProxy() throws {
        #expect(
            try ProxySettings.resolve(for: target, environment: ["HTTPS_PROXY": "http://user:pw@proxy.corp:8080"])
                == ProxySettings(host: "proxy.corp", port: 8080, credentials: "user:pw"))
        #expect(try ProxySettings.resolve(for: target, environment: ["https_proxy": "proxy.corp"]) == ProxySettings(host: "proxy.corp", port: 3128))
        #expect(try ProxySettings.resolve(for: target, environment: ["ALL_PROXY": "http://p:1"]) == ProxySettings(host: "p", port: 1))
        #expect(try ProxySettings.resolve(for: target, environment: ["HTTP_PROXY": "http://p:1"]) == nil)
        #expect(try ProxySettings.resolve(for: target, environment: [:]) == nil)
    }

    @Test("NO_PROXY by exact host, domain suffix, or *")
    func noProxy() throws {
        let proxy = ["HTTPS_PROXY": "http://p:1"]
        for exclusion in ["backend.composio.dev", ".composio.dev", "composio.dev", "*", "localhost, composio.dev:443"] {
            #expect(try ProxySettings.resolve(for: target, environment: proxy.merging(["NO_PROXY": exclusion]) { a, _ in a }) == nil, "\(exclusion)")
        }
        #expect(try ProxySettings.resolve(for: target, environment: proxy.merging(["no_proxy": "example.com"]) { a, _ in a }) != nil)
    }

    @Test("a proxy variable that is not a URL is named in the error")
    func invalid() {
        #expect(throws: ProxySettingsError.self) { try ProxySettings.resolve(for: target, environment: ["HTTPS_PROXY": "http://"]) }
    }
}
