import ComposioAPI
import Foundation
import OnboardCore
import OnboardTUI
import OnboardTestSupport
import Synchronization
import Testing

@testable import OnboardRuntime

/// The runtime's side of a watched gateway session: frames drawn from the masked state, help
/// asked with `?` in the plain mode, an operator's note said at once.
@Suite("A watched session's runtime", .serialized)
struct OperatorLinkTests {
    /// An operator watching at 80x24: every frame kept; a note and a watcher sent at the start.
    final class FakeLink: OperatorLink {
        let frames = Mutex<[Canvas]>([])
        let helps = Mutex(0)
        var sizes: [(columns: Int, rows: Int)] { [(80, 24)] }

        func start(deliver: @escaping @Sendable (Wizard.Event) -> Void, watchersChanged: @escaping @Sendable () -> Void) {
            deliver(.assistance(.observers(["alice"], change: "alice is watching")))
            deliver(.assistance(.note(from: "alice", text: "The key is under Settings")))
            watchersChanged()
        }
        func publish(_ frame: Canvas) { frames.withLock { $0.append(frame) } }
        func requestHelp() { helps.withLock { $0 += 1 } }
        var seen: String { frames.withLock { $0.map(\.text).joined(separator: "\n") } }
    }

    @Test("plain mode: ? asks for help and asks again, the note is said, the operator's frames never hold the secret")
    func plainWatched() async throws {
        let secret = "fdWATCHEDsecret-42"
        try await SandboxFixture.withClient { client in
            let configs = try await client.listAuthConfigs(AuthConfigQuery())
            let freshdesk = try #require(configs.items.first { $0.toolkitSlug == "freshdesk" })
            let person = PlainRuntimeTests.Person([
                ("Subdomain", "?"), ("Subdomain", "acme"), ("API Key", secret), ("check the credentials", ""), ("Connect now?", "y"),
                ("Connect another?", "n"),
            ])
            let link = FakeLink()
            let io = person.io
            let code = await OwnThread.run {
                let state = Wizard.State(
                    presetUserId: "pat", presetAuthConfigId: freshdesk.id, locked: true,
                    assistance: Wizard.Assistance(greeting: "Acme asks you to connect Freshdesk", hostKey: "SHA256:test"))
                return PlainRuntime(service: client, io: io, initialState: state, operators: link).run()
            }
            #expect(person.mismatch == nil, "\(person.mismatch ?? "")")
            #expect(code == 0)
            let transcript = person.transcript
            #expect(transcript.contains("Acme asks you to connect Freshdesk") && transcript.contains("SHA256:test"))
            #expect(transcript.contains("Note from alice: The key is under Settings"))
            #expect(transcript.contains("Your operator has been told you need help"))
            #expect(link.helps.withLock { $0 } == 1)
            // The frames thread draws after a pause; the last state is drawn within a moment.
            for _ in 0..<100 where !link.seen.contains("Connected") { try await Task.sleep(for: .milliseconds(20)) }
            #expect(link.seen.contains("Connected") && link.seen.contains("watched by alice"), "the operator follows the pages")
            #expect(!link.seen.contains(secret) && !link.seen.contains("WATCHED"), "no frame holds the secret")
        }
    }
}
