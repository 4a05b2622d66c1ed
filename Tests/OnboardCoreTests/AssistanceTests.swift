import OnboardCore
import OnboardTestSupport
import Testing

/// A gateway session's operators: what they are shown (the masked state), and the customer's
/// keys and lines for them.
@Suite("Wizard: operator-assisted sessions")
struct AssistanceTests {
    /// A locked session on the Freshdesk form (subdomain, then the API key), focus on the key.
    static func form(assistance: Wizard.Assistance? = Wizard.Assistance(greeting: "Acme asks", hostKey: "SHA256:abc")) -> WizardScenario {
        var scenario = WizardScenario(Wizard.State(presetUserId: "alice", presetAuthConfigId: "ac_fresh", locked: true, assistance: assistance))
        scenario.skip(.started)
        scenario.skip(.authConfigsLoaded(cursor: nil, .success(AuthConfigPage(items: [Fixtures.freshdesk], nextCursor: nil))))
        scenario.skip(.fieldsLoaded(.success([Fixtures.subdomainField, Fixtures.apiKeyField])))
        return scenario
    }

    static func entries(_ state: Wizard.State) -> [Wizard.FieldEntry] {
        guard case .credentials(let form) = state.step else { return [] }
        return form.entries.value ?? []
    }

    @Test("the observed state holds no secret: secrets are placeholders of the same length, never revealed; held keys are dropped")
    func observedMasksSecrets() {
        var scenario = Self.form()
        scenario.type("acme")
        scenario.skip(.keyPressed(.tab))
        scenario.type("CANARY-secret-value")
        scenario.skip(.keyPressed(.control("r")))
        scenario.skip(.typingPaused)
        guard case .secret(let customer) = Self.entries(scenario.state).last?.input else {
            Issue.record("expected the secret field")
            return
        }
        #expect(customer.isRevealed && customer.value.withRevealedValue { $0 } == "CANARY-secret-value")
        let observed = scenario.state.observed
        guard case .secret(let shown) = Self.entries(observed).last?.input, case .text(let subdomain) = Self.entries(observed).first?.input else {
            Issue.record("expected the same form, observed")
            return
        }
        #expect(!shown.isRevealed)
        #expect(shown.count == "CANARY-secret-value".count && !shown.value.withRevealedValue { $0.contains("CANARY") })
        #expect(subdomain.text == "acme", "a plain value that is not key-like is what the operator helps with")
        #expect(observed.assistance == scenario.state.assistance)
    }

    @Test(
        "a key typed into a plain field is masked for the operator; ordinary values are not",
        arguments: [
            ("tvly-AbC123", true), ("sk-live-4242", true), ("ghp_0123456789abcdef", true), ("a1b2c3d4e5f6g7h8i9", true),
            ("eyJhbGciOiJIUzI1NiJ9.e30.sig", true), ("acme", false), ("acme-corp.atlassian.net", false), ("alice@example.com", false),
            ("us-east-1", false), ("Jane Doe", false),
        ])
    func keyLikeValues(value: String, masked: Bool) {
        #expect(SecretLikeness.looksSecret(value) == masked)
    }

    @Test("a key in the plain subdomain field reaches the operator as bullets")
    func wrongFieldMasked() {
        var scenario = Self.form()
        scenario.type("sk-live-CANARY0123456789")
        guard case .text(let shown) = Self.entries(scenario.state.observed).first?.input else {
            Issue.record("expected the subdomain field")
            return
        }
        #expect(!shown.text.contains("CANARY") && shown.text.allSatisfy { $0 == "•" })
    }

    @Test("F1 asks for help everywhere, ? only where no input takes it; the request is an effect, once on screen")
    func helpKeys() {
        var scenario = Self.form()
        #expect(scenario.reduce(.keyPressed(.character("?"))) == [], "on the form, ? is typed")
        #expect(scenario.state.assistance?.helpRequested == false)
        #expect(scenario.reduce(.keyPressed(.function(1))) == [.requestHelp])
        #expect(scenario.state.assistance?.helpRequested == true)
        #expect(Wizard.keyMap(for: scenario.state).contains { $0.label == "help asked" && $0.isShown })

        var outside = WizardScenario(Wizard.State(locked: true))
        #expect(outside.reduce(.keyPressed(.function(1))) == [], "no operators, no help key")
        #expect(!Wizard.keyMap(for: outside.state).contains { $0.intent == .askForHelp })
    }

    @Test("notes arrive cleaned to one line of at most 200 characters, and Ctrl-X dismisses them")
    func notes() {
        var scenario = Self.form()
        let hostile = "Look \u{1B}[2J\u{1B}]0;pwned\u{07} here\nand\u{202E}there " + String(repeating: "x", count: 400)
        scenario.skip(.assistance(.note(from: "alice\u{1B}[31m", text: hostile)))
        let note = scenario.state.assistance?.note
        #expect(note?.text.hasPrefix("Look [2J]0;pwned here and") == true)
        #expect(note?.text.count == Wizard.Assistance.noteLimit)
        #expect(note.map { !$0.text.unicodeScalars.contains { $0.value < 0x20 || $0 == "\u{202E}" } } == true)
        #expect(note?.from == "alice[31m")
        scenario.skip(.assistance(.note(from: "alice", text: "\u{1B}\u{07}  \n")))
        #expect(scenario.state.assistance?.note?.text.hasPrefix("Look") == true, "a note with nothing printable is dropped")
        scenario.skip(.keyPressed(.control("x")))
        #expect(scenario.state.assistance?.note == nil)
    }

    @Test("who watches, and who joined or left, as the gateway says it")
    func observers() {
        var scenario = Self.form()
        scenario.skip(.assistance(.observers(["alice", "bob"], change: "bob is watching")))
        #expect(scenario.state.assistance?.observers == ["alice", "bob"] && scenario.state.assistance?.presence == "bob is watching")
        scenario.skip(.assistance(.observers([], change: "alice stopped watching")))
        #expect(scenario.state.assistance?.observers == [] && scenario.state.assistance?.presence == "alice stopped watching")
    }

    @Test("the operator's keys: one list the attach screen acts on and shows; no key does two things while watching")
    func operatorKeys() {
        typealias Keys = Wizard.OperatorKeys
        #expect(Keys.action(for: .character("n")) == .note && Keys.action(for: .character("x")) == .end)
        #expect([Key.character("q"), .control("c"), .control("d")].allSatisfy { Keys.action(for: $0) == .detach })
        #expect(Keys.action(for: .character("a")) == nil && Keys.action(for: .enter) == nil)
        let all = Keys.watching.flatMap(\.keys)
        #expect(all.enumerated().allSatisfy { index, key in !all[..<index].contains(key) }, "a key bound twice")
        #expect(Keys.watching.map { $0.keys.first?.name ?? "" } == ["n", "x", "q"])
        #expect(!Keys.send.contains { Keys.cancel.contains($0) })
    }
}
