import Foundation
import OnboardCore
import Testing

/// The key map is the one place a key gets its meaning: every key in it does exactly what its
/// intent does, and every key the key bar shows does what its label says, on every page.
@Suite("Wizard: one key map per page")
struct KeyMapTests {
    /// A page of every kind, in the variants that change its keys.
    static let pages: [(String, Wizard.State)] = {
        let configs = [Fixtures.sendgrid, Fixtures.freshdesk, Fixtures.github, Fixtures.jira]
        var list = Wizard.ConfigList(configs: .loaded(configs), highlighted: 1)
        list.nextCursor = nil
        var filtered = list
        filtered.filter = TextInput("d")
        var pageFailed = list
        pageFailed.nextCursor = "page2"
        pageFailed.pageFailure = Fixtures.serverDown
        let failedList = Wizard.ConfigList(configs: .failed(Fixtures.serverDown))

        var entries = [Fixtures.apiKeyField, Fixtures.subdomainField, Fixtures.regionField].map(Wizard.FieldEntry.init(field:))
        entries[0].input = .secret(SecretInput(Secret("fd_live_key")))
        entries[1].input = .text(TextInput("acme"))
        var form = Wizard.Credentials(config: Fixtures.freshdesk, userId: "alice", list: list, entries: .loaded(entries))
        form.focus = 1
        var filled = form
        filled.focus = 3
        var failedForm = form
        failedForm.entries = .failed(Fixtures.serverDown)

        let review = Wizard.Review(form: filled, existing: .loaded([]))
        let withExisting = Wizard.Review(form: filled, existing: .loaded([Fixtures.account("ca_old", .active)]))
        let linkForm = Wizard.Credentials(config: Fixtures.github, userId: "alice", list: list, entries: .loaded([]))
        let linkReview = Wizard.Review(form: linkForm, existing: .loaded([]))

        let active = Wizard.Outcome(review: review, result: .settled(Fixtures.account("ca_new", .active)))
        let failed = Wizard.Outcome(review: review, result: .failed(Fixtures.serverDown))
        let timedOut = Wizard.Outcome(review: review, result: .timedOut(Fixtures.account("ca_new", .initiated)))
        let linkExpired = Wizard.Outcome(review: linkReview, result: .settled(Fixtures.account("ca_link", .expired)))
        let unsupported = Wizard.UnsupportedScheme(config: Fixtures.jira, list: list)

        func state(_ step: Wizard.Step, locked: Bool = false) -> Wizard.State {
            Wizard.State(step: step, presetUserId: locked ? "alice" : nil, presetAuthConfigId: locked ? "ac_fresh" : nil, locked: locked)
        }
        var prompt = Wizard.KeyPrompt(host: "backend.example")
        prompt.input.insert("ak_typed")
        return [
            ("key prompt", state(.keyPrompt(prompt))),
            ("list loading", state(.configList(Wizard.ConfigList(configs: .loading)))),
            ("list", state(.configList(list))),
            ("list filtered", state(.configList(filtered))),
            ("list with a failed page", state(.configList(pageFailed))),
            ("list failed", state(.configList(failedList))),
            ("list locked", state(.configList(Wizard.ConfigList(configs: .loading)), locked: true)),
            ("list locked failed", state(.configList(failedList), locked: true)),
            ("fields loading", state(.credentials(Wizard.Credentials(config: Fixtures.freshdesk, userId: "alice", list: list)))),
            ("fields failed", state(.credentials(failedForm))),
            ("fields on a secret", state(.credentials(form))),
            ("fields on the last", state(.credentials(filled))),
            ("fields locked", state(.credentials(form), locked: true)),
            ("review", state(.review(review))),
            ("review with an account", state(.review(withExisting))),
            ("review of a link", state(.review(linkReview))),
            ("review waiting for accounts", state(.review(Wizard.Review(form: filled, existing: .loading)))),
            ("connecting", state(.connecting(Wizard.Connecting(review: review)))),
            ("active", state(.outcome(active))),
            ("active locked", state(.outcome(active), locked: true)),
            ("failed", state(.outcome(failed))),
            ("timed out", state(.outcome(timedOut))),
            ("link expired", state(.outcome(linkExpired))),
            ("unsupported", state(.unsupportedScheme(unsupported))),
            ("unsupported locked", state(.unsupportedScheme(unsupported), locked: true)),
        ]
    }()

    @Test("every key in a page's map does exactly what its intent does", arguments: pages.map(\.0))
    func keysAreTheirIntents(page: String) throws {
        let state = try #require(Self.pages.first { $0.0 == page }?.1)
        for binding in Wizard.keyMap(for: state) {
            guard let intent = binding.intent else { continue }
            for key in binding.keys {
                var byKey = state
                var byIntent = state
                let keyEffects = Wizard.reduce(&byKey, .keyPressed(key))
                let intentEffects = Wizard.reduce(&byIntent, .intent(intent))
                let same = byKey == byIntent && keyEffects == intentEffects
                #expect(same, "\(page): \(key.name) is not \(binding.label)")
            }
        }
    }

    @Test("every key the bar shows does what its label says", arguments: pages.map(\.0))
    func shownKeysDoWhatTheySay(page: String) throws {
        let state = try #require(Self.pages.first { $0.0 == page }?.1)
        let shown = Wizard.keyMap(for: state).filter(\.isShown)
        #expect(!shown.isEmpty, "\(page) shows no key")
        for binding in shown {
            if binding.intent == nil {
                // The "type" hint: typed text goes to the focused input.
                var after = state
                _ = Wizard.reduce(&after, .keyPressed(.character("z")))
                #expect(Self.filterText(after) == Self.filterText(state) + "z", "\(page): typing does not \(binding.label)")
                continue
            }
            for key in binding.keys {
                var after = state
                let effects = Wizard.reduce(&after, .keyPressed(key))
                let does = Self.does(binding.label, before: state, after: after, effects: effects)
                #expect(does, "\(page): \(key.name) does not \(binding.label)")
            }
        }
    }

    @Test("no key means two things on one page", arguments: pages.map(\.0))
    func noKeyTwice(page: String) throws {
        let state = try #require(Self.pages.first { $0.0 == page }?.1)
        let keys = Wizard.keyMap(for: state).flatMap(\.keys).map(\.name)
        #expect(Set(keys).count == keys.count, "\(page): \(keys)")
    }

    @Test("a key outside the map types into the focused input, or does nothing where there is none")
    func unboundKeys() throws {
        let connecting = try #require(Self.pages.first { $0.0 == "connecting" }?.1)
        var after = connecting
        #expect(Wizard.reduce(&after, .keyPressed(.character("x"))) == [] && after == connecting)
        let locked = try #require(Self.pages.first { $0.0 == "fields locked" }?.1)
        #expect(Wizard.intent(for: .character("x"), in: locked) == .credentials(.type(.character("x"))))
    }

    /// Whether the change a key made is what `label` promises.
    static func does(_ label: String, before: Wizard.State, after: Wizard.State, effects: [Wizard.Effect]) -> Bool {
        let quits = effects.contains { if case .quit = $0 { true } else { false } }
        switch label {
        case "move", "move back":
            return position(after) != position(before)
        case "choose":
            if case .credentials = after.step { return true }
            if case .unsupportedScheme = after.step { return true }
            return false
        case "show disabled", "hide disabled":
            guard case .configList(let was) = before.step else { return false }
            return effects == [.loadAuthConfigs(cursor: nil, showDisabled: !was.showDisabled)]
        case "retry", "reload":
            return effects.contains {
                switch $0 {
                case .loadAuthConfigs, .loadFields: true
                default: false
                }
            }
        case "quit" where before.step.isConnecting:
            // Ctrl-C asks first; the second quits.
            var again = after
            return after.quitArmed && Wizard.reduce(&again, .keyPressed(.control("c"))) == [.quit(exitCode: 130)]
        case "quit":
            return quits
        case "clear filter":
            return filterText(after).isEmpty && !filterText(before).isEmpty
        case "next":
            return position(after) == position(before) + 1
        case "review":
            guard case .review = after.step else { return false }
            return effects.contains { if case .loadExistingAccounts = $0 { true } else { false } }
        case "check key":
            return effects == [.checkKey(Secret("ak_typed"))]
        case "reveal":
            if case .keyPrompt(let was) = before.step, case .keyPrompt(let now) = after.step { return now.input.isRevealed != was.input.isRevealed }
            guard case .credentials(let was) = before.step, case .credentials(let now) = after.step,
                case .secret(let old) = was.focusedEntry?.input, case .secret(let new) = now.focusedEntry?.input
            else { return false }
            return new.isRevealed != old.isRevealed
        case "back":
            return after.step.number < before.step.number && !quits
        case "edit", "edit values":
            if case .credentials = after.step { return true }
            return false
        case "connect", "try again":
            return after.step.isConnecting && effects.contains { if case .createConnection = $0 { true } else { false } }
        case "create link", "new link":
            return after.step.isConnecting && effects.contains { if case .createLink = $0 { true } else { false } }
        case "update":
            return after.step.isConnecting && effects.contains { if case .updateConnection = $0 { true } else { false } }
        case "add another": return choice(after) == .addAnother
        case "replace": return choice(after) == .replace
        case "update it": return choice(after) == .update
        case "validate on/off":
            guard case .review(let was) = before.step, case .review(let now) = after.step else { return false }
            return now.validateCredentials != was.validateCredentials
        case "connect another":
            guard case .configList(let list) = after.step else { return false }
            return list.configs == .loading && effects == [.loadAuthConfigs(cursor: nil)]
        case "keep waiting":
            return after.step.isConnecting && effects.contains { if case .pollConnection = $0 { true } else { false } }
        default:
            Issue.record("no expectation for the label \"\(label)\": say here what it must do")
            return false
        }
    }

    static func position(_ state: Wizard.State) -> Int {
        switch state.step {
        case .configList(let list): list.highlighted
        case .credentials(let form): form.focus
        default: -1
        }
    }

    static func filterText(_ state: Wizard.State) -> String {
        if case .configList(let list) = state.step { return list.filter.text }
        return ""
    }

    static func choice(_ state: Wizard.State) -> Wizard.ExistingChoice? {
        if case .review(let review) = state.step { return review.choice }
        return nil
    }
}

extension Wizard.Step {
    fileprivate var isConnecting: Bool {
        if case .connecting = self { return true }
        return false
    }
}
