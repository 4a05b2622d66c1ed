import OnboardCore
import Testing

@Suite("Key prompt")
struct KeyPromptTests {
    @Test("every key the prompt's bar shows does what its label says")
    func keysDoWhatTheySay() {
        for binding in KeyPrompt.keyMap {
            for key in binding.keys {
                var state = KeyPrompt.State(host: "backend.example")
                _ = KeyPrompt.reduce(&state, .pasted("ak_typed"))
                let effects = KeyPrompt.reduce(&state, .keyPressed(key))
                let does: Bool
                switch binding.label {
                case "check key": does = effects == [.check(Secret("ak_typed"))] && state.checking
                case "reveal": does = state.input.isRevealed && effects.isEmpty
                case "quit": does = state.exitCode == 1
                default: does = false
                }
                #expect(does, "\(key.name) does not \(binding.label)")
            }
        }
    }

    @Test("a pasted key is checked on Enter; a rejected one is cleared with the reason; an accepted one ends the prompt")
    func checkKey() {
        var state = KeyPrompt.State(host: "backend.example")
        #expect(KeyPrompt.reduce(&state, .keyPressed(.enter)).isEmpty)
        #expect(state.problem == "Paste the project API key (ak_...) from the dashboard's project settings.")
        #expect(KeyPrompt.reduce(&state, .pasted(" ak_wrong \n")).isEmpty)
        #expect(state.input.count == 10)
        #expect(state.problem == nil)
        #expect(KeyPrompt.reduce(&state, .keyPressed(.enter)) == [.check(Secret("ak_wrong"))])
        #expect(state.checking)
        // Keys are ignored while the check is in flight.
        #expect(KeyPrompt.reduce(&state, .keyPressed(.character("x"))).isEmpty)
        #expect(state.input.count == 10)
        let rejected = ServiceFailure(kind: .unauthorized, message: "Invalid API key provided", suggestion: "Use a project key.")
        _ = KeyPrompt.reduce(&state, .checked(.failure(rejected)))
        #expect(!state.checking)
        #expect(state.input.count == 0)
        #expect(state.problem == "Invalid API key provided Use a project key.")
        _ = KeyPrompt.reduce(&state, .pasted("ak_right"))
        #expect(KeyPrompt.reduce(&state, .keyPressed(.enter)) == [.check(Secret("ak_right"))])
        let project = ProjectInfo(id: "pr_1", name: "Acme")
        _ = KeyPrompt.reduce(&state, .checked(.success(project)))
        #expect(state.accepted == project)
    }

    @Test("Esc quits with 1; Ctrl-C asks, then quits with 130")
    func quitting() {
        var escaped = KeyPrompt.State(host: "h")
        _ = KeyPrompt.reduce(&escaped, .keyPressed(.escape))
        #expect(escaped.exitCode == 1)
        var interrupted = KeyPrompt.State(host: "h")
        _ = KeyPrompt.reduce(&interrupted, .keyPressed(.control("c")))
        #expect(interrupted.quitArmed && interrupted.exitCode == nil)
        _ = KeyPrompt.reduce(&interrupted, .interrupted)
        #expect(interrupted.exitCode == 130)
    }
}
