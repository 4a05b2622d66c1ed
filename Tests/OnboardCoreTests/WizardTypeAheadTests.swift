import OnboardCore
import OnboardTestSupport
import Testing

/// What is typed while a page loads reaches the page it lands on, whole and in order.
@Suite("Wizard: type-ahead")
struct WizardTypeAheadTests {
    /// The focused field's value, revealed for the check.
    static func focusedValue(_ state: Wizard.State) -> String? {
        guard case .credentials(let form) = state.step else { return nil }
        guard let entry = form.focusedEntry else { return form.userId.text }
        return entry.value.withRevealedValue { $0 }
    }

    @Test("keys typed while the fields load land in the field focused once they are there, none lost")
    func fieldsLoading() {
        var scenario = WizardScenario(Wizard.State(presetUserId: "alice", presetAuthConfigId: "ac_fresh"))
        scenario.skip(.started)
        scenario.skip(.authConfigsLoaded(cursor: nil, .success(AuthConfigPage(items: [Fixtures.freshdesk], nextCursor: nil))))
        guard case .credentials(let loading) = scenario.state.step, loading.entries == .loading else {
            Issue.record("expected the form, loading its fields")
            return
        }
        for character in "acmesite" { scenario.skip(.keyPressed(.character(character))) }
        #expect(scenario.state.typeAhead.count == 8, "held, not dropped")
        scenario.skip(.fieldsLoaded(.success([Fixtures.subdomainField, Fixtures.apiKeyField])))
        #expect(Self.focusedValue(scenario.state) == "acmesite")
        #expect(scenario.state.typeAhead.isEmpty)
    }

    @Test("Tab and a paste typed ahead keep their order: the second field gets what followed the Tab")
    func orderKept() {
        var scenario = WizardScenario(Wizard.State(presetUserId: "alice", presetAuthConfigId: "ac_fresh"))
        scenario.skip(.started)
        scenario.skip(.authConfigsLoaded(cursor: nil, .success(AuthConfigPage(items: [Fixtures.freshdesk], nextCursor: nil))))
        for character in "acme" { scenario.skip(.keyPressed(.character(character))) }
        scenario.skip(.keyPressed(.tab))
        scenario.skip(.pasted("sk-live-123"))
        scenario.skip(.fieldsLoaded(.success([Fixtures.subdomainField, Fixtures.apiKeyField])))
        guard case .credentials(let form) = scenario.state.step, let entries = form.entries.value else {
            Issue.record("expected the loaded form")
            return
        }
        #expect(entries[0].value.withRevealedValue { $0 } == "acme")
        #expect(entries[1].value.withRevealedValue { $0 } == "sk-live-123")
        #expect(form.focus == 2)
    }

    @Test("keys typed before the list arrives (preset config) are carried through to the form's fields")
    func acrossTwoLoads() {
        var scenario = WizardScenario(Wizard.State(presetUserId: "alice", presetAuthConfigId: "ac_fresh", locked: true))
        scenario.skip(.started)
        for character in "acm" { scenario.skip(.keyPressed(.character(character))) }
        scenario.skip(.authConfigsLoaded(cursor: nil, .success(AuthConfigPage(items: [Fixtures.sendgrid], nextCursor: "p2"))))
        scenario.skip(.keyPressed(.character("e")))
        scenario.skip(.authConfigsLoaded(cursor: "p2", .success(AuthConfigPage(items: [Fixtures.freshdesk], nextCursor: nil))))
        #expect(scenario.state.typeAhead.count == 4, "still held: the form's fields are loading")
        scenario.skip(.fieldsLoaded(.success([Fixtures.subdomainField])))
        #expect(Self.focusedValue(scenario.state) == "acme")
    }

    @Test("a list typed ahead is filtered once it arrives")
    func listFilter() {
        var scenario = WizardScenario()
        scenario.skip(.started)
        for character in "fresh" { scenario.skip(.keyPressed(.character(character))) }
        scenario.skip(.authConfigsLoaded(cursor: nil, .success(AuthConfigPage(items: [Fixtures.sendgrid, Fixtures.freshdesk], nextCursor: nil))))
        guard case .configList(let list) = scenario.state.step else {
            Issue.record("expected the list")
            return
        }
        #expect(list.filter.text == "fresh")
    }

    @Test("held keys are dropped, not replayed, when the fields fail to load: an r there would mean retry")
    func failureDrops() {
        var scenario = WizardScenario(Wizard.State(presetUserId: "alice", presetAuthConfigId: "ac_fresh"))
        scenario.skip(.started)
        scenario.skip(.authConfigsLoaded(cursor: nil, .success(AuthConfigPage(items: [Fixtures.freshdesk], nextCursor: nil))))
        scenario.skip(.keyPressed(.character("r")))
        scenario.send(.fieldsLoaded(.failure(Fixtures.serverDown))) {
            guard case .credentials(var form) = $0.step else {
                Issue.record("expected the credentials step")
                return
            }
            form.entries = .failed(Fixtures.serverDown)
            $0.step = .credentials(form)
            $0.typeAhead = []
        }
    }

    @Test("Esc on a loading page acts at once and forgets what was typed for that page; Ctrl-C is never held")
    func boundKeysAct() {
        var scenario = WizardScenario(Wizard.State(presetUserId: "alice"))
        scenario.skip(.started)
        scenario.skip(.authConfigsLoaded(cursor: nil, .success(AuthConfigPage(items: [Fixtures.freshdesk], nextCursor: nil))))
        scenario.skip(.keyPressed(.enter))
        scenario.skip(.keyPressed(.character("x")))
        scenario.skip(.keyPressed(.control("c")))
        #expect(scenario.state.quitArmed && scenario.state.typeAhead == [.key(.character("x"))])
        scenario.skip(.keyPressed(.escape))
        guard case .configList = scenario.state.step else {
            Issue.record("expected Esc to go back to the list")
            return
        }
        #expect(scenario.state.typeAhead.isEmpty)
    }

    @Test("no more than the limit is held")
    func bounded() {
        var scenario = WizardScenario(Wizard.State(presetAuthConfigId: "ac_fresh"))
        scenario.skip(.started)
        for _ in 0..<(Wizard.typeAheadLimit + 50) { scenario.skip(.keyPressed(.character("a"))) }
        #expect(scenario.state.typeAhead.count == Wizard.typeAheadLimit)
    }
}
