import ComposioAPI
import Foundation
import OnboardCore
import OnboardFeatures
import OnboardLive
import OnboardStore
import OnboardTestSupport
import Synchronization
import Testing

@testable import onboard

/// What the commands print of the features' results: JSON keys scripts rely on, and text that
/// no stored or server string can break into extra lines.
@Suite("Commands: rendering results as text and JSON")
struct RenderingTests {
    /// What a command printed, captured.
    final class Captured: Sendable {
        let text = Mutex((out: "", err: ""))
        var output: CommandOutput {
            CommandOutput(writeOut: { line in self.text.withLock { $0.out += line } }, writeErr: { line in self.text.withLock { $0.err += line } })
        }
        var out: String { text.withLock { $0.out } }
    }

    @Test("auth-configs and fields print JSON with stable snake_case keys")
    func listingJSON() async throws {
        try await SandboxFixture.withClient(key: "ak_rendering_tests") { client in
            let captured = Captured()
            var command = try AuthConfigsCommand.parse(["--search", "Freshdesk", "--json"])
            command.search = "Freshdesk"
            command.render(try await ServiceCommands.authConfigs(client, search: "Freshdesk", showDisabled: false), to: captured.output)
            let configs = try #require(try JSONSerialization.jsonObject(with: Data(captured.out.utf8)) as? [[String: Any]])
            #expect(configs.count == 1)
            #expect(Set(configs[0].keys) == ["id", "name", "toolkit", "auth_scheme", "status", "is_composio_managed", "connection_count", "shared_fields"])
            let fields = Captured()
            let id = try #require(configs[0]["id"] as? String)
            try FieldsCommand.parse([id, "--json"]).render(try await ServiceCommands.fields(client, authConfigId: id), to: fields.output)
            let described = try #require(try JSONSerialization.jsonObject(with: Data(fields.out.utf8)) as? [String: Any])
            #expect(described["auth_scheme"] as? String == "API_KEY")
            let first = try #require((described["fields"] as? [[String: Any]])?.first)
            #expect(Set(first.keys).isSuperset(of: ["name", "display_name", "description", "required", "secret", "multiline"]))
        }
    }

    @Test("invite watch: a line break in a stored value (a user id, a server's status) cannot forge a second event line")
    func watchLinesCannotBeForged() {
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        var invite = Invite(
            id: "inv_real", authConfig: "ac_1", userId: "bob\n06:00:00 UTC  inv_forged  mallory  ac_1  connected: ca_x ACTIVE", note: nil,
            createdBy: "op", createdAt: now, expiresAt: now.addingTimeInterval(600))
        invite.accountId = "ca_1"
        invite.accountStatus = "FAILED\r\n06:00:01 UTC  inv_other  eve"
        invite.claimedAt = now
        let captured = Captured()
        let change = InviteCommands.Change(invite: invite, at: now, state: .inSession, note: "call me\n06:00:02 UTC  inv_fake  x")
        InviteText.render(change, json: false, to: captured.output)
        let lines = captured.out.split(separator: "\n")
        #expect(lines.count == 2, "\(captured.out)")
        #expect(lines.allSatisfy { $0.contains("inv_real") })
    }

    @Test("invite watch --json: a state change and a help request seen in one look make one record, as it stands")
    func watchJSONPrintsAnInviteOncePerLook() throws {
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        var invite = Invite(
            id: "inv_help", authConfig: "ac_1", userId: "bob", note: nil, createdBy: "op", createdAt: now, expiresAt: now.addingTimeInterval(600))
        invite.claimedAt = now
        invite.helpRequestedAt = now
        let captured = Captured()
        InviteText.render(InviteCommands.Change(invite: invite, at: now, state: .inSession, helpAskedAt: now), json: true, to: captured.output)
        // One JSON value: it decodes whole (a second record after it would not).
        let record = try #require(try JSONSerialization.jsonObject(with: Data(captured.out.utf8)) as? [String: Any], "\(captured.out)")
        #expect(record["id"] as? String == "inv_help")
        #expect(record["state"] as? String == "in_session")
        #expect(record["help_requested_at"] != nil)
    }
}
