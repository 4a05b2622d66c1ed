import ComposioAPI
import Foundation
import OnboardCore
import OnboardTestSupport
import Synchronization
import Testing

@testable import OnboardRuntime

/// The plain mode through `PlainIO`: answers typed at its prompts, everything it says kept, against
/// the sandbox in process.
@Suite("The plain front end", .serialized)
struct PlainRuntimeTests {
    /// A person at the prompts: each answer waits for a prompt containing its cue, so a question
    /// asked out of order fails the test instead of taking the wrong answer.
    final class Person: Sendable {
        struct State {
            var answers: [(cue: String, answer: String)]
            var transcript: [String] = []
            var secretPrompts: [String] = []
            var mismatch: String?
        }
        let state: Mutex<State>

        init(_ answers: [(String, String)]) { state = Mutex(State(answers: answers.map { (cue: $0.0, answer: $0.1) })) }

        var io: PlainIO {
            PlainIO(
                say: { text in self.state.withLock { $0.transcript.append(text) } },
                line: { prompt in self.answer(prompt, secret: false) },
                secret: { prompt in self.answer(prompt, secret: true) })
        }

        private func answer(_ prompt: String, secret: Bool) -> String? {
            state.withLock { state in
                state.transcript.append(prompt)
                if secret { state.secretPrompts.append(prompt) }
                guard !state.answers.isEmpty else { return nil }
                let next = state.answers.removeFirst()
                if !prompt.contains(next.cue), state.mismatch == nil {
                    state.mismatch = "asked \u{201C}\(prompt)\u{201D}, expected one with \u{201C}\(next.cue)\u{201D}"
                }
                return next.answer
            }
        }

        var transcript: String { state.withLock { $0.transcript.joined(separator: "\n") } }
        var secretPrompts: [String] { state.withLock { $0.secretPrompts } }
        var mismatch: String? { state.withLock { $0.mismatch } }
        var unused: Int { state.withLock { $0.answers.count } }
    }

    static func run(_ person: Person, service: any ComposioService) async -> (Int32, Wizard.State) {
        let io = person.io
        return await OwnThread.run {
            let runtime = PlainRuntime(service: service, io: io)
            let code = runtime.run()
            return (code, runtime.state)
        }
    }

    @Test("numbers, a filter, the fields, y/N: an ACTIVE account; the secret is asked with echo off and never said back")
    func connects() async throws {
        let secret = "fdPLAINsecret-42"
        try await SandboxFixture.withClient { client in
            let person = Person([
                ("Number to choose", "fresh"), ("Number to choose", "1"), ("User ID", "pat"), ("Subdomain", "acme"), ("API Key", secret),
                ("check the credentials", ""), ("Connect now?", "y"), ("Connect another?", "n"),
            ])
            let (code, state) = await Self.run(person, service: client)
            #expect(person.mismatch == nil, "\(person.mismatch ?? "")")
            #expect(code == 0 && person.unused == 0)
            guard case .outcome(let outcome) = state.step, case .settled(let account) = outcome.result else {
                Issue.record("not on the done page:\n\(person.transcript)")
                return
            }
            #expect(account.status == .active)
            #expect(person.transcript.contains("Connected: \(account.id)") && person.transcript.contains("is ACTIVE."))
            #expect(person.secretPrompts.count == 1 && person.secretPrompts[0].hasPrefix("API Key"), "the key, and only it, with echo off")
            #expect(!person.transcript.contains(secret), "the secret was said back")
            #expect(person.transcript.contains("  API Key: ••••••••"), "the review shows it masked")
        }
    }

    @Test("< on a field goes back to the list; N at the review goes back to the last field, which Enter keeps")
    func goingBack() async throws {
        try await SandboxFixture.withClient { client in
            let person = Person([
                ("Number to choose", "fresh"), ("Number to choose", "1"), ("User ID", "<"), ("Number to choose", "q"),
            ])
            let (code, _) = await Self.run(person, service: client)
            #expect(person.mismatch == nil, "\(person.mismatch ?? "")")
            #expect(code == 1, "q on the list quits without connecting")
            #expect(person.transcript.components(separatedBy: "Step 1 of 4").count == 3, "the list is announced again after <")

            let again = Person([
                ("Number to choose", "fresh"), ("Number to choose", "1"), ("User ID", "pat"), ("Subdomain", "acme"), ("API Key", "fdkey-1"),
                ("check the credentials", ""), ("Connect now?", "N"), ("API Key [Enter keeps •••••••]", ""), ("check the credentials", ""),
                ("Connect now?", "y"), ("Connect another?", "n"),
            ])
            let (second, _) = await Self.run(again, service: client)
            #expect(again.mismatch == nil, "\(again.mismatch ?? "")")
            #expect(second == 0 && again.unused == 0)
        }
    }

    @Test("a missing value is refused with the field's problem and asked again; the input ending says so and exits 1")
    func problemsAndEnd() async throws {
        try await SandboxFixture.withClient { client in
            let person = Person([("Number to choose", "fresh"), ("Number to choose", "1"), ("User ID", "pat"), ("Subdomain", ""), ("Subdomain", "")])
            let (code, _) = await Self.run(person, service: client)
            #expect(person.mismatch == nil, "\(person.mismatch ?? "")")
            #expect(code == 1)
            let transcript = person.transcript
            #expect(transcript.contains("Subdomain is required."))
            #expect(transcript.components(separatedBy: "\nSubdomain: ").count == 4, "asked again after the problem, each time")
            #expect(transcript.contains("The input ended before the wizard did; nothing more was sent."))
        }
    }
}

/// The plain mode's answers are the page's keys.
@Suite("Plain answers from the key maps")
struct PlainAnswerTests {
    @Test("a letter, < and Enter stand for the keys the full screen binds; anything longer is no key")
    func answers() {
        #expect(PlainRuntime.key(forAnswer: "R") == .character("r"))
        #expect(PlainRuntime.key(forAnswer: " < ") == .escape)
        #expect(PlainRuntime.key(forAnswer: "") == .enter)
        #expect(PlainRuntime.key(forAnswer: "retry") == nil)
    }

    @Test("each choice offered is named by the key that does it on the full screen")
    func offered() {
        let failed = Wizard.ConfigList(configs: .failed(ServiceFailure(kind: .server, message: "down")))
        let names = failed.keyMap(locked: false).compactMap(PlainRuntime.answer(for:))
        #expect(names == ["r", "q"])
        let outcome = Wizard.Outcome(
            review: Wizard.Review(
                form: Wizard.Credentials(
                    config: AuthConfigSummary(id: "ac_1", name: "Desk", toolkitSlug: "desk", authScheme: .apiKey), userId: "pat",
                    list: Wizard.ConfigList(), entries: .loaded([]))),
            result: .failed(ServiceFailure(kind: .server, message: "down")))
        for binding in outcome.keyMap(locked: false) where binding.isShown {
            let answer = PlainRuntime.answer(for: binding)
            #expect(answer != nil, "\(binding.label) cannot be answered in the plain mode")
            if let answer, let key = PlainRuntime.key(forAnswer: answer == "Enter" ? "" : answer) {
                #expect(binding.keys.contains(key), "\(answer) does not reach \(binding.label)")
            }
        }
    }
}

extension PlainRuntimeTests {
    @Test("a failed page is answered with its keys: r retries, q quits, a wrong answer is asked again")
    func failedPage() async throws {
        try await SandboxFixture.withClient(retry: .none) { client in
            let person = Person([("Number to choose", "zzz-nothing"), ("Number to choose", "q")])
            let (code, _) = await Self.run(person, service: client)
            #expect(code == 1 && person.mismatch == nil)
        }
        // A service that answers nothing: the list fails, and its page's keys are the answers.
        let stub = StubTransport()
        let down = ComposioClient(
            baseURL: URL(string: "http://127.0.0.1:9")!, apiKey: Secret("ak_x"), keySource: "test", transport: stub, retry: .none)
        let person = Person([("r to retry", "maybe"), ("r to retry", "r"), ("q to quit", "q")])
        let (code, _) = await Self.run(person, service: down)
        #expect(person.mismatch == nil, "\(person.mismatch ?? "")")
        #expect(code == 1 && person.unused == 0)
        #expect(person.transcript.contains("That is not one of the choices."))
        #expect(stub.requests.filter { $0.url.path.hasSuffix("/auth_configs") }.count == 2, "r asked for the list again")
    }
}
