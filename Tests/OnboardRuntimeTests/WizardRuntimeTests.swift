import ComposioAPI
import ComposioSandbox
import Foundation
import Logging
import OnboardCore
import OnboardTUI
import OnboardTestSupport
import Synchronization
import Testing

@testable import OnboardRuntime

/// The runtime loop against a live in-memory sandbox (in process), with a scripted terminal.
@Suite("Wizard runtime", .serialized)
struct WizardRuntimeTests {
    struct Run: Sendable {
        var exitCode: Int32
        var state: Wizard.State
        var frames: [String]
        var unreached: Int
        var timedOut: Bool
        var restored: Bool
    }

    static func run(service: any ComposioService, retryNotifier: RetryNotifier? = nil, script: [FakeTerminal.Step]) async -> Run {
        nonisolated(unsafe) let script = script
        return await OwnThread.run {
            let terminal = FakeTerminal(script: script)
            let runtime = WizardRuntime(
                service: service, terminal: terminal, context: ScreenContext(backendLabel: "test"), retryNotifier: retryNotifier)
            let code = runtime.run()
            terminal.restore()
            return Run(
                exitCode: code, state: runtime.state, frames: terminal.frames.map(\.text),
                unreached: terminal.remainingSteps, timedOut: terminal.timedOut, restored: terminal.restored
            )
        }
    }

    /// The runtime against the sandbox in process (default options: its rate limit on).
    static func withLiveSandbox(_ body: (ComposioClient) async throws -> Void) async throws {
        try await SandboxFixture.withClient(key: "ak_runtime_test", options: SandboxOptions(), body)
    }

    @Test("keys alone connect a Freshdesk account ACTIVE, and the secret is on no frame")
    func connectsOverHTTP() async throws {
        try await Self.withLiveSandbox { client in
            let run = await Self.run(
                service: client,
                script: [
                    FakeTerminal.when("Freshdesk support desk", .paste("fresh")),
                    FakeTerminal.when("1 of 21 auth configs", .key(.enter)),
                    FakeTerminal.when("Subdomain required", .key(.enter)),
                    FakeTerminal.next(.paste("acme")),
                    FakeTerminal.next(.key(.enter)),
                    FakeTerminal.next(.paste("CANARYsecret0000001")),
                    FakeTerminal.next(.key(.enter)),
                    FakeTerminal.when("Review before connecting", .key(.enter)),
                    FakeTerminal.when("✓ Connected", .key(.enter)),
                ])
            #expect(run.exitCode == 0)
            #expect(run.unreached == 0)
            #expect(!run.timedOut)
            guard case .outcome(let outcome) = run.state.step, case .settled(let account) = outcome.result else {
                Issue.record("the wizard did not finish on the done page: \(run.frames.last ?? "")")
                return
            }
            #expect(account.status == .active)
            let stored = try await client.connectedAccount(id: account.id)
            #expect(stored.status == .active)
            #expect(stored.toolkitSlug == "freshdesk")
            #expect(run.frames.contains { $0.contains("••••••••••••••••••• ") })
            #expect(!run.frames.contains { $0.contains("CANARYsecret") })
        }
    }

    @Test("a rejected key shows the 401 screen, and Esc quits with 1")
    func unauthorized() async throws {
        // Session info and the list both meet the 401.
        let rejected = StubTransport.json(401, #"{"error":{"message":"Invalid API key provided","code":401,"status":401}}"#)
        let stub = StubTransport([rejected, rejected])
        let client = ComposioClient(baseURL: URL(string: "http://127.0.0.1:9")!, apiKey: Secret("ak_bad"), keySource: "COMPOSIO_API_KEY", transport: stub)
        let run = await Self.run(
            service: client,
            script: [
                FakeTerminal.when("Could not load auth configs", .key(.escape))
            ])
        #expect(run.exitCode == 1)
        #expect(run.frames.last?.contains("Invalid API key provided (key from COMPOSIO_API_KEY)") == true)
    }

    @Test("a 429 shows a countdown while the client waits, then the list")
    func rateLimitCountdown() async throws {
        // Session info and the list are asked at once: answer by path, the list first with a 429.
        let stub = RoutedStub()
        let notifier = RetryNotifier()
        let client = ComposioClient(
            baseURL: URL(string: "http://127.0.0.1:9")!, apiKey: Secret("ak"), keySource: "test", transport: stub, retryNotifier: notifier)
        let run = await Self.run(
            service: client, retryNotifier: notifier,
            script: [
                FakeTerminal.when("The service is rate limiting requests; retrying in", .key(.character("x"))),
                FakeTerminal.when("This project has no enabled auth configs", .key(.escape)),
                FakeTerminal.next(.key(.escape)),
            ])
        #expect(run.exitCode == 1)
        #expect(run.unreached == 0)
        #expect(run.frames.contains { $0.range(of: #"The service is rate limiting requests; retrying in [1-3] s"#, options: .regularExpression) != nil })
    }

    @Test("Ctrl-C twice quits with 130 from any step")
    func controlC() async throws {
        try await Self.withLiveSandbox { client in
            let run = await Self.run(
                service: client,
                script: [
                    FakeTerminal.when("SendGrid", .key(.control("c"))),
                    FakeTerminal.when("Quit onboard?", .key(.control("c"))),
                ])
            #expect(run.exitCode == 130)
        }
    }
}

/// Answers session info at once, and the auth-config list first with a 429 (Retry-After 2).
final class RoutedStub: HTTPTransport {
    private let listCalls = Mutex(0)

    func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        let json = ["content-type": "application/json"]
        if request.url.path.hasSuffix("/auth/session/info") {
            return HTTPResponse(status: 200, headers: json, body: Data(#"{"project":{"id":"pr_1","nano_id":"pr_1","name":"Acme"}}"#.utf8))
        }
        let call = listCalls.withLock { count in
            count += 1
            return count
        }
        if call == 1 {
            return HTTPResponse(
                status: 429, headers: ["content-type": "application/json", "retry-after": "2"], body: Data(#"{"message":"Rate limit exceeded"}"#.utf8))
        }
        return HTTPResponse(
            status: 200, headers: json, body: Data(#"{"items":[],"next_cursor":null,"total_pages":1,"current_page":1,"total_items":0}"#.utf8))
    }
}

@Suite("Typing pause")
struct TypingPauseTests {
    @Test("is due once, only after a quiet spell since the last key")
    func dueOnceAfterQuiet() {
        let start = ContinuousClock.now
        var pause = TypingPause()
        var answers: [Bool] = []
        answers.append(pause.isDue(at: start + .seconds(5)))
        pause.keyPressed(at: start)
        answers.append(pause.isDue(at: start + .milliseconds(299)))
        pause.keyPressed(at: start + .milliseconds(200))
        answers.append(pause.isDue(at: start + .milliseconds(450)))
        answers.append(pause.isDue(at: start + .milliseconds(500)))
        answers.append(pause.isDue(at: start + .milliseconds(900)))
        #expect(answers == [false, false, false, true, false])
    }
}

@Suite("Effects in flight")
struct EffectTasksTests {
    @Test("finished effects leave the set; what is left is cancelled at the end")
    func finishedLeave() async throws {
        let tasks = EffectTasks()
        for _ in 0..<100 { tasks.add(Task {}) }
        let long = Task<Void, Never> { try? await Task.sleep(for: .seconds(60)) }
        tasks.add(long)
        for _ in 0..<200 where tasks.count > 1 { try await Task.sleep(for: .milliseconds(10)) }
        #expect(tasks.count == 1, "only the long one is left")
        tasks.cancelAll()
        await long.value
        #expect(long.isCancelled)
        for _ in 0..<200 where tasks.count > 0 { try await Task.sleep(for: .milliseconds(10)) }
        #expect(tasks.count == 0)
    }
}

/// The loop both front ends share, on virtual time: nothing here waits a real second.
@Suite("Wizard loop on virtual time")
struct WizardLoopTests {
    @Test("a poll waits exactly its interval on the timekeeper, then its answer settles the page")
    func pollWaitsOnTheTimekeeper() async throws {
        try await SandboxFixture.withClient { client in
            let config = try #require(try await client.listAuthConfigs(AuthConfigQuery(toolkitSlug: "freshdesk")).items.first)
            let request = ConnectionRequest(
                authConfigId: config.id, userId: "loop", authScheme: .apiKey, values: ["api_key": Secret("fd_loop"), "subdomain": Secret("acme")])
            let account = try await client.createConnectedAccount(request)
            let form = Wizard.Credentials(config: config, userId: "loop", list: Wizard.ConfigList(), entries: .loaded([]))
            let time = ManualTimekeeper()
            let loop = WizardLoop(
                service: client, initialState: Wizard.State(step: .connecting(Wizard.Connecting(review: Wizard.Review(form: form)))),
                timekeeper: time, retryNotifier: nil)
            defer { loop.stop() }
            var initiated = account
            initiated.status = .initiated
            loop.dispatch(.connectionCreated(.success(initiated)))
            #expect(await time.untilSleeping(), "the poll waits on the timekeeper")
            time.advance(by: Wizard.pollInterval - .milliseconds(1))
            #expect(await time.untilSleeping(), "still waiting 1 ms before the interval ends")
            #expect(!loop.drainResults())
            time.advance(by: .milliseconds(1))
            var settled = false
            for _ in 0..<2000 where !settled {
                loop.drainResults()
                if case .outcome = loop.state.step { settled = true } else { try await Task.sleep(for: .milliseconds(1)) }
            }
            guard case .outcome(let outcome) = loop.state.step, case .settled(let polled) = outcome.result else {
                Issue.record("the poll's answer did not settle the page: \(loop.state.step)")
                return
            }
            #expect(polled.id == account.id && polled.status == .active)
            #expect(loop.isRunning, "only .quit ends the loop")
        }
    }

    @Test("the spinner turns every 100 ms while waiting and the wall clock is reported each second")
    func keepsTimeOnTheTimekeeper() throws {
        let time = ManualTimekeeper()
        let loop = WizardLoop(
            service: ComposioClient(baseURL: URL(string: "http://127.0.0.1:1")!, apiKey: Secret("ak_x"), keySource: "test", transport: StubTransport()),
            initialState: Wizard.State(step: .configList(Wizard.ConfigList(configs: .loading))), timekeeper: time, retryNotifier: nil)
        defer { loop.stop() }
        #expect(loop.keepTime() && loop.state.now == time.date, "the first call reports the clock")
        time.advance(by: .milliseconds(99))
        #expect(!loop.keepTime() && loop.state.spinnerFrame == 0)
        time.advance(by: .milliseconds(1))
        #expect(loop.keepTime() && loop.state.spinnerFrame == 1)
        time.advance(by: .milliseconds(900))
        #expect(loop.keepTime() && loop.state.spinnerFrame == 2 && loop.state.now == time.date)
    }

    @Test("the .quit effect is the one way out, with its code")
    func quitEndsTheLoop() {
        let loop = WizardLoop(
            service: ComposioClient(baseURL: URL(string: "http://127.0.0.1:1")!, apiKey: Secret("ak_x"), keySource: "test", transport: StubTransport()),
            initialState: Wizard.State(step: .configList(Wizard.ConfigList(configs: .loaded([])))), timekeeper: ManualTimekeeper(), retryNotifier: nil)
        loop.dispatch(.keyPressed(.control("c")))
        #expect(loop.isRunning, "the first Ctrl-C only asks")
        loop.dispatch(.keyPressed(.control("c")))
        #expect(!loop.isRunning && loop.exitCode == 130)
    }
}
