import OnboardCore
import OnboardTestSupport
import Testing

/// The key prompt as the wizard's first page, when a service is chosen without a key.
@Suite("Key prompt")
struct KeyPromptTests {
    static func prompt() -> WizardScenario {
        var scenario = WizardScenario(Wizard.State(step: .keyPrompt(Wizard.KeyPrompt(host: "backend.example"))))
        scenario.send(.started)  // nothing loads before a key is accepted
        return scenario
    }

    static func page(_ state: Wizard.State) -> Wizard.KeyPrompt? {
        if case .keyPrompt(let page) = state.step { return page }
        return nil
    }

    @Test("every key the prompt's bar shows does what its label says")
    func keysDoWhatTheySay() {
        for binding in Wizard.KeyPrompt(host: "h").keyMap {
            for key in binding.keys {
                var scenario = Self.prompt()
                scenario.skip(.pasted("ak_typed"))
                let effects = scenario.reduce(.keyPressed(key))
                let page = Self.page(scenario.state)
                let does: Bool
                switch binding.label {
                case "check key": does = effects == [.checkKey(Secret("ak_typed"))] && page?.checking == true
                case "reveal": does = page?.input.isRevealed == true && effects.isEmpty
                case "quit": does = effects == [.quit(exitCode: 1)]
                default: does = false
                }
                #expect(does, "\(key.name) does not \(binding.label)")
            }
        }
    }

    @Test("a pasted key is checked on Enter; a rejected one is cleared with the reason; an accepted one opens the list with its project")
    func checkKey() {
        var scenario = Self.prompt()
        scenario.skip(.keyPressed(.enter))
        #expect(Self.page(scenario.state)?.problem == Wizard.KeyPrompt.emptyProblem)
        scenario.skip(.pasted(" ak_wrong \n"))
        #expect(Self.page(scenario.state)?.input.count == 10 && Self.page(scenario.state)?.problem == nil)
        #expect(scenario.reduce(.keyPressed(.enter)) == [.checkKey(Secret("ak_wrong"))])
        #expect(scenario.state.isWaiting, "the spinner turns while the key is checked")
        // Keys are ignored while the check is in flight.
        scenario.skip(.keyPressed(.character("x")))
        #expect(Self.page(scenario.state)?.input.count == 10)
        let rejected = ServiceFailure(kind: .unauthorized, message: "Invalid API key provided", suggestion: "Use a project key.")
        scenario.skip(.keyChecked(.failure(rejected)))
        #expect(Self.page(scenario.state)?.checking == false && Self.page(scenario.state)?.input.count == 0)
        #expect(Self.page(scenario.state)?.problem == "Invalid API key provided Use a project key.")
        scenario.skip(.pasted("ak_right"))
        #expect(scenario.reduce(.keyPressed(.enter)) == [.checkKey(Secret("ak_right"))])
        let project = ProjectInfo(id: "pr_1", name: "Acme")
        scenario.send(.keyChecked(.success(project)), effects: [.loadAuthConfigs(cursor: nil)]) {
            $0.step = .configList(Wizard.ConfigList(configs: .loading))
            $0.project = project
        }
    }

    @Test("Esc quits with 1; Ctrl-C asks, then quits with 130, as on every page")
    func quitting() {
        var escaped = Self.prompt()
        #expect(escaped.reduce(.keyPressed(.escape)) == [.quit(exitCode: 1)])
        var interrupted = Self.prompt()
        interrupted.skip(.keyPressed(.control("c")))
        #expect(interrupted.state.quitArmed)
        #expect(interrupted.reduce(.interrupted) == [.quit(exitCode: 130)])
    }

    @Test("a paste that did not arrive whole is not half-entered")
    func cutOffPaste() {
        var scenario = Self.prompt()
        scenario.skip(.pasted("ak_part"))
        scenario.skip(.pasteCutOff)
        #expect(Self.page(scenario.state)?.problem?.contains("did not arrive whole") == true)
        #expect(Self.page(scenario.state)?.checking == false)
    }
}
