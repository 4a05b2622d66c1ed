import OnboardCore
import OnboardTestSupport
import Testing

/// A gateway session: the wizard locked to one invite's auth config and user id.
@Suite("Wizard: locked to an invite")
struct WizardLockedTests {
    static func locked() -> WizardScenario {
        WizardScenario(Wizard.State(presetUserId: "alice", presetAuthConfigId: "ac_fresh", locked: true))
    }

    @Test("pages of the list are read until the config is found, and no key on them chooses another")
    func listNeverUsable() {
        var scenario = Self.locked()
        scenario.skip(.started)
        let first = AuthConfigPage(items: [Fixtures.sendgrid], nextCursor: "page2")
        scenario.skip(.authConfigsLoaded(cursor: nil, .success(first)))
        guard case .chooseConfig = scenario.state.step else {
            Issue.record("expected the list, still waiting")
            return
        }
        let before = scenario.state
        for key: Key in [.enter, .down, .character("s"), .control("d"), .control("r")] {
            scenario.skip(.keyPressed(key))
        }
        scenario.skip(.pasted("sendgrid"))
        #expect(scenario.state == before, "nothing on the list moves a locked wizard")
        scenario.skip(.authConfigsLoaded(cursor: "page2", .success(AuthConfigPage(items: [Fixtures.freshdesk], nextCursor: nil))))
        guard case .credentials(let form) = scenario.state.step else {
            Issue.record("expected the invite's config's fields")
            return
        }
        #expect(form.config.id == "ac_fresh" && form.userId.text == "alice")
    }

    @Test("a config that is gone is said so, with retry, never the others")
    func configGone() {
        var scenario = Self.locked()
        scenario.skip(.started)
        scenario.skip(.authConfigsLoaded(cursor: nil, .success(AuthConfigPage(items: [Fixtures.sendgrid], nextCursor: nil))))
        guard case .chooseConfig(let list) = scenario.state.step, case .failed(let failure) = list.configs else {
            Issue.record("expected a failed list")
            return
        }
        #expect(failure.message.contains("ac_fresh") && failure.message.contains("new one"))
        scenario.send(.keyPressed(.character("r")), effects: [.loadAuthConfigs(cursor: nil, showDisabled: false)]) {
            $0.step = .chooseConfig(Wizard.ConfigList(configs: .loading))
        }
    }

    @Test("the user id takes no keys and no paste; Esc quits instead of showing the list")
    func userIdFixedAndNoWayBack() {
        var scenario = Self.locked()
        scenario.skip(.started)
        scenario.skip(.authConfigsLoaded(cursor: nil, .success(AuthConfigPage(items: [Fixtures.freshdesk], nextCursor: nil))))
        scenario.skip(.fieldsLoaded(.success([Fixtures.apiKeyField])))
        scenario.skip(.keyPressed(.backTab))
        scenario.type("mallory")
        scenario.skip(.keyPressed(.backspace))
        scenario.skip(.pasted("mallory"))
        guard case .credentials(let form) = scenario.state.step else {
            Issue.record("expected the form")
            return
        }
        #expect(form.userId.text == "alice")
        scenario.send(.keyPressed(.escape), effects: [.quit(exitCode: 1)])
    }
}
