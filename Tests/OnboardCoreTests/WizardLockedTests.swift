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
        guard case .configList = scenario.state.step else {
            Issue.record("expected the list, still waiting")
            return
        }
        let before = scenario.state.step
        for key: Key in [.enter, .down, .character("s"), .control("d"), .control("r")] {
            scenario.skip(.keyPressed(key))
        }
        scenario.skip(.pasted("sendgrid"))
        #expect(scenario.state.step == before, "nothing on the list moves a locked wizard (keys are held for the form)")
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
        guard case .configList(let list) = scenario.state.step, case .failed(let failure) = list.configs else {
            Issue.record("expected a failed list")
            return
        }
        #expect(failure.message.contains("ac_fresh") && failure.message.contains("new one"))
        scenario.send(.keyPressed(.character("r")), effects: [.loadAuthConfigs(cursor: nil, showDisabled: false)]) {
            $0.step = .configList(Wizard.ConfigList(configs: .loading))
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

extension WizardLockedTests {
    static let keyFileField = CredentialField(
        name: "credentials_json", displayName: "Service account key (JSON)", isRequired: true, isSecret: true, isMultiline: true)

    /// A locked wizard on Freshdesk's form with `fields`, focus on the first field.
    static func lockedForm(_ fields: [CredentialField], existing: Set<Wizard.ExistingChoice> = [.addAnother]) -> WizardScenario {
        var scenario = WizardScenario(Wizard.State(presetUserId: "alice", presetAuthConfigId: "ac_fresh", locked: true, existingAllowed: existing))
        scenario.skip(.started)
        scenario.skip(.authConfigsLoaded(cursor: nil, .success(AuthConfigPage(items: [Fixtures.freshdesk], nextCursor: nil))))
        scenario.skip(.fieldsLoaded(.success(fields)))
        return scenario
    }

    @Test("@path reads no file when locked: no effect, the same words for any path, the value kept as typed")
    func noFileReads() {
        var messages: Set<String> = []
        for path in ["/home/ops/.local/share/onboard/gateway_ed25519_key", "/etc/passwd", "/does/not/exist"] {
            var scenario = Self.lockedForm([Self.keyFileField])
            scenario.type("@" + path)
            var state = scenario.state
            let effects = Wizard.reduce(&state, .keyPressed(.enter))
            #expect(effects.isEmpty, "no .readSecretFile for \(path)")
            guard case .credentials(let form) = state.step, let entry = form.entries.value?.first else {
                Issue.record("expected the form")
                return
            }
            #expect(entry.value.withRevealedValue { $0 } == "@" + path)
            messages.insert(entry.problem ?? "")
        }
        #expect(messages == [Wizard.Credentials.noFilesHere])
        // Unlocked, the same Enter reads the file.
        var free = WizardScenario(Wizard.State(presetUserId: "alice", presetAuthConfigId: "ac_fresh"))
        free.skip(.started)
        free.skip(.authConfigsLoaded(cursor: nil, .success(AuthConfigPage(items: [Fixtures.freshdesk], nextCursor: nil))))
        free.skip(.fieldsLoaded(.success([Self.keyFileField])))
        free.type("@/tmp/key.json")
        var state = free.state
        #expect(Wizard.reduce(&state, .keyPressed(.enter)) == [.readSecretFile(field: "credentials_json", path: "/tmp/key.json")])
    }

    @Test("existing accounts: only what the invite allows is offered and taken; the rest of the keys do nothing")
    func existingAsAllowed() {
        var scenario = Self.lockedForm([Fixtures.apiKeyField])
        scenario.type("fd-key")
        scenario.skip(.keyPressed(.enter))
        scenario.skip(.existingAccountsLoaded(.success([Fixtures.account("ca_1", .active)])))
        guard case .review(let review) = scenario.state.step else {
            Issue.record("expected the review page")
            return
        }
        #expect(review.allowed == [.addAnother])
        let labels = Wizard.keyMap(for: scenario.state).map(\.label)
        #expect(labels.contains("add another") && !labels.contains("replace") && !labels.contains("update it"))
        let before = scenario.state
        scenario.skip(.keyPressed(.character("x")))
        scenario.skip(.keyPressed(.character("u")))
        #expect(scenario.state == before, "x and u change nothing")
        var waiting = scenario.state
        #expect(Wizard.reduce(&waiting, .keyPressed(.enter)).isEmpty, "no choice yet: nothing is sent")
        scenario.skip(.keyPressed(.character("a")))
        guard case .review(let chosen) = scenario.state.step else {
            Issue.record("expected the review page")
            return
        }
        #expect(chosen.choice == .addAnother)
        #expect(Wizard.ExistingChoice.allowed(upTo: .update) == [.addAnother, .update])
        #expect(Wizard.ExistingChoice.allowed(upTo: .replace) == [.addAnother, .update, .replace])
    }
}
