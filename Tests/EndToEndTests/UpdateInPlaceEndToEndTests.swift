import Foundation
import Testing

/// The 2026 operations from the command line: update in place, aliases, enable and disable, and
/// an import that updates the users it already has.
@Suite("Update in place, aliases and enable/disable end to end", .serialized)
struct UpdateInPlaceEndToEndTests {
    @Test("accounts update keeps the id and changes only what is given; aliases show and clash; disable and enable")
    func updateAliasAndStatus() throws {
        let data = try TemporaryDirectory()
        let freshdesk = try CommandEndToEndTests.configId("freshdesk", data: data)
        let run = { (arguments: [String], input: String) in try CommandEndToEndTests.onboard(arguments, input: input, data: data) }
        let created = try run(
            ["connect", "--auth-config", freshdesk, "--user-id", "alice", "--field", "subdomain=acme", "--alias", "work", "--secrets-stdin", "--json"],
            "generic_api_key=fd-original-key\n")
        #expect(created.status == 0)
        let id = try #require(((try created.json() as? [String: Any])?["account"] as? [String: Any])?["id"] as? String)

        let updated = try run(["accounts", "update", id, "--secrets-stdin", "--field", "subdomain=acme-eu"], "generic_api_key=fd-rotated-key\n")
        #expect(updated.status == 0, "\(updated.stderr)")
        #expect(updated.stdout.contains("Updated \(id) (freshdesk for user alice): set generic_api_key, subdomain; now ACTIVE."))
        let listed = try #require(try run(["accounts", "--user-id", "alice", "--json"], "").json() as? [[String: Any]])
        #expect(listed.map { $0["id"] as? String } == [id], "still one account, the same id")
        #expect(listed.first?["alias"] as? String == "work")

        #expect(
            try run(
                [
                    "connect", "--auth-config", freshdesk, "--user-id", "alice", "--field", "subdomain=acme", "--allow-multiple", "--alias", "home",
                    "--secrets-stdin",
                ], "generic_api_key=fd-second\n"
            ).status == 0)
        let clash = try run(["accounts", "update", id, "--alias", "home"], "")
        #expect(clash.status == 1)
        #expect(clash.stderr.contains("already in use"))
        #expect(try run(["accounts", "update", id, "--alias", "support"], "").status == 0)
        #expect(try run(["accounts", "get", id], "").stdout.contains("support"))

        let secretOnArgv = try run(["accounts", "update", id, "--field", "generic_api_key=fd-argv"], "")
        #expect(secretOnArgv.status == 2)
        #expect(secretOnArgv.stderr.contains("is a secret"))
        let unknown = try run(["accounts", "update", id, "--secrets-stdin"], "fd-pasted-without-name=\n")
        #expect(unknown.status == 2)
        #expect(!unknown.stderr.contains("fd-pasted"), "an unknown name is reported by its line")
        #expect(try run(["accounts", "update", id], "").status == 2)

        #expect(try run(["accounts", "disable", id], "").status == 0)
        let disabled = try run(["accounts", "--user-id", "alice"], "")
        #expect(disabled.stdout.contains("INACTIVE (disabled)"))
        #expect(try run(["accounts", "enable", id], "").status == 0)
        #expect(try run(["accounts", "get", id, "--json"], "").stdout.contains("\"ACTIVE\""))

        let github = try CommandEndToEndTests.configId("github", data: data)
        let link = try #require(
            ((try run(["connect", "--auth-config", github, "--user-id", "carol", "--no-wait", "--json"], "").json() as? [String: Any])?["account"]
                as? [String: Any])?["id"] as? String)
        let oauth = try run(["accounts", "update", link, "--secrets-stdin"], "access_token=x\n")
        #expect(oauth.status == 1)
        #expect(oauth.stderr.contains("not updated in place"))
    }

    @Test("import --update-existing updates users who have an account (same id) and creates the rest")
    func importUpdatesExisting() throws {
        let data = try TemporaryDirectory()
        let tavily = try CommandEndToEndTests.configId("tavily", data: data)
        let first = data.path + "/first.csv"
        try "user_id,generic_api_key\nu1,tvly-firstkey1\nu2,tvly-firstkey2\n".write(toFile: first, atomically: true, encoding: .utf8)
        #expect(try CommandEndToEndTests.onboard(["import", first, "--auth-config", tavily], data: data).status == 0)
        let before = try #require(try CommandEndToEndTests.onboard(["accounts", "--auth-config", tavily, "--json"], data: data).json() as? [[String: Any]])
        let second = data.path + "/second.csv"
        try "user_id,generic_api_key\nu1,tvly-rotated1\nu2,tvly-rotated2\nu3,tvly-newuser3\n".write(toFile: second, atomically: true, encoding: .utf8)
        let run = try CommandEndToEndTests.onboard(["import", second, "--auth-config", tavily, "--update-existing", "--json"], data: data)
        #expect(run.status == 0, "\(run.stderr)")
        let report = try #require(try run.json() as? [String: Any])
        let summary = try #require(report["summary"] as? [String: Any])
        #expect(summary["updated"] as? Int == 2 && summary["created"] as? Int == 1)
        let after = try #require(try CommandEndToEndTests.onboard(["accounts", "--auth-config", tavily, "--json"], data: data).json() as? [[String: Any]])
        #expect(after.count == 3)
        let ids = { (accounts: [[String: Any]], user: String) in accounts.first { $0["user_id"] as? String == user }?["id"] as? String }
        #expect(ids(before, "u1") == ids(after, "u1") && ids(before, "u2") == ids(after, "u2"), "the same accounts")
        let both = try CommandEndToEndTests.onboard(["import", second, "--auth-config", tavily, "--update-existing", "--replace"], data: data)
        #expect(both.status == 2)
    }
}

/// The wizard's third choice on the review page, typed in a real terminal.
@Suite("The wizard's update in place end to end", .serialized)
struct WizardUpdateEndToEndTests {
    @Test("a user with an account chooses u: the same account id ends ACTIVE with the new key, and nothing is deleted")
    func wizardUpdatesInPlace() async throws {
        let data = try TemporaryDirectory()
        let shared = ["XDG_DATA_HOME": data.path, "XDG_STATE_HOME": data.path + "/state", "ONBOARD_SANDBOX_API_KEY": WizardEndToEndTests.sandboxKey]
        let tavily = try CommandEndToEndTests.configId("tavily", data: data, environment: shared)
        let first = try CommandEndToEndTests.onboard(
            ["connect", "--auth-config", tavily, "--user-id", "default", "--secrets-stdin", "--json"], input: "generic_api_key=tvly-originalkey\n",
            data: data, environment: shared)
        #expect(first.status == 0)
        let id = try #require(((try first.json() as? [String: Any])?["account"] as? [String: Any])?["id"] as? String)

        let tmux = try TmuxSession(command: WizardEndToEndTests.command(try OnboardBinary.path(), data: data.path))
        try await WizardFlowEndToEndTests.choose(tmux, "tavily")
        try await tmux.waitFor("User ID")
        try tmux.keys("Enter")
        try tmux.type("tvly-rotatedkey123")
        try tmux.keys("Enter")
        let review = try await tmux.waitFor("u: update its credentials")
        #expect(review.contains("\(id) keeps its id"))
        #expect(review.contains("default already has 1 account here: \(id) (ACTIVE)"))
        try tmux.keys("u")
        try await tmux.waitFor("(•) u: update its credentials")
        try tmux.keys("Enter")
        let done = try await tmux.waitFor("credentials updated in place")
        #expect(done.contains(id))
        try tmux.keys("Enter")
        #expect(try await WizardFlowEndToEndTests.exitCode(data) == "0")
        #expect(try tmux.history().contains("Updated \(id): tavily for user default (ACTIVE)"))
        let accounts = try #require(
            try CommandEndToEndTests.onboard(["accounts", "--auth-config", tavily, "--json"], data: data, environment: shared).json() as? [[String: Any]])
        #expect(accounts.map { $0["id"] as? String } == [id], "the same account, and only it")
        #expect(accounts.first?["status"] as? String == "ACTIVE")
        let audit = try String(contentsOfFile: data.path + "/state/onboard/audit.jsonl", encoding: .utf8)
        #expect(audit.contains("\"connection.updated\"") && !audit.contains("\"connection.deleted\""))
        #expect(!audit.contains("rotatedkey"))
    }
}

/// An OAuth2 toolkit takes an existing access token through a BEARER_TOKEN auth config.
@Suite("Bearer tokens on OAuth toolkits end to end", .serialized)
struct BearerOnOAuthEndToEndTests {
    @Test("a BEARER_TOKEN config on GitHub takes a token from connect and import; the OAuth config refuses tokens")
    func bearerOnGitHub() throws {
        let data = try TemporaryDirectory()
        let created = try CommandEndToEndTests.onboard(
            [
                "sandbox", "auth-configs", "create", "--toolkit", "github", "--scheme", "BEARER_TOKEN", "--name", "GitHub (own tokens)", "--db",
                data.path + "/xdg/onboard/sandbox.sqlite",
            ], data: data)
        #expect(created.status == 0, "\(created.stderr)")
        let bearer = created.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let fields = try #require(try CommandEndToEndTests.onboard(["fields", bearer, "--json"], data: data).json() as? [String: Any])
        #expect((fields["fields"] as? [[String: Any]])?.map { $0["name"] as? String } == ["token"])
        let connected = try CommandEndToEndTests.onboard(
            ["connect", "--auth-config", bearer, "--user-id", "dev", "--secrets-stdin"], input: "token=gho_existingAccessToken\n", data: data)
        #expect(connected.status == 0)
        #expect(connected.stdout.contains("ACTIVE: github for user dev"))
        let file = data.path + "/tokens.csv"
        try "user_id,token\nann,gho_tokenA\nbo,gho_tokenB\n".write(toFile: file, atomically: true, encoding: .utf8)
        #expect(try CommandEndToEndTests.onboard(["import", file, "--auth-config", bearer], data: data).status == 0)
        let configs = try #require(try CommandEndToEndTests.onboard(["auth-configs", "--json"], data: data).json() as? [[String: Any]])
        let github = try #require(configs.first { $0["toolkit"] as? String == "github" && $0["auth_scheme"] as? String == "OAUTH2" }?["id"] as? String)
        let oauth = try CommandEndToEndTests.onboard(["import", file, "--auth-config", github, "--dry-run"], data: data)
        #expect(oauth.status == 1)
        #expect(oauth.stderr.contains("cannot be imported"))
    }
}
