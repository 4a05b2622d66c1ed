import OnboardCore
import OnboardTestSupport
import Testing

@Suite("Wizard: the API-key happy path")
struct WizardHappyPathTests {
    @Test("start loads the first page of auth configs")
    func startLoadsConfigs() {
        var scenario = WizardScenario()
        scenario.send(.started, effects: [.loadSession, .loadAuthConfigs(cursor: nil)]) {
            $0.step = .configList(Wizard.ConfigList(configs: .loading))
        }
    }

    @Test("list, fields, review, create and ACTIVE, each step stated in full")
    func wholeFlow() {
        var scenario = WizardScenario()
        scenario.skip(.started)
        let page = AuthConfigPage(items: [Fixtures.sendgrid, Fixtures.freshdesk], nextCursor: nil)
        scenario.send(.authConfigsLoaded(cursor: nil, .success(page))) {
            $0.step = .configList(Wizard.ConfigList(configs: .loaded([Fixtures.sendgrid, Fixtures.freshdesk])))
        }
        scenario.send(.keyPressed(.down)) {
            $0.step = .configList(Wizard.ConfigList(configs: .loaded([Fixtures.sendgrid, Fixtures.freshdesk]), highlighted: 1))
        }
        let list = Wizard.ConfigList(configs: .loaded([Fixtures.sendgrid, Fixtures.freshdesk]), highlighted: 1)
        scenario.send(.keyPressed(.enter), effects: [.loadFields(toolkit: "freshdesk", scheme: .apiKey)]) {
            $0.step = .credentials(Wizard.Credentials(config: Fixtures.freshdesk, userId: "default", list: list))
        }
        scenario.send(.fieldsLoaded(.success([Fixtures.subdomainField, Fixtures.apiKeyField]))) {
            $0.step = .credentials(
                Wizard.Credentials(
                    config: Fixtures.freshdesk, userId: "default", list: list,
                    entries: .loaded([Wizard.FieldEntry(field: Fixtures.subdomainField), Wizard.FieldEntry(field: Fixtures.apiKeyField)])
                ))
        }
        // Enter accepts the prefilled user id and moves to the subdomain.
        scenario.send(.keyPressed(.enter)) { state in
            guard case .credentials(var form) = state.step else {
                Issue.record("expected the credentials step")
                return
            }
            form.focus = 1
            state.step = .credentials(form)
        }
        scenario.type("acme")
        scenario.send(.keyPressed(.enter)) { state in
            guard case .credentials(var form) = state.step else {
                Issue.record("expected the credentials step")
                return
            }
            form.focus = 2
            state.step = .credentials(form)
        }
        // The paste lands whole in the masked field; its newline is dropped, not submitted.
        scenario.send(.pasted("0123456789abcdefWXYZ\n")) { state in
            guard case .credentials(var form) = state.step, var entries = form.entries.value else {
                Issue.record("expected the credentials step")
                return
            }
            entries[1].input = .secret(SecretInput(Secret("0123456789abcdefWXYZ")))
            form.entries = .loaded(entries)
            state.step = .credentials(form)
        }
        guard case .credentials(let form) = scenario.state.step else {
            Issue.record("expected the credentials step")
            return
        }
        #expect(form.entries.value?[0].value == Secret("acme"))
        #expect(form.entries.value?[1].value == Secret("0123456789abcdefWXYZ"))
        // Review first checks whether this user already has accounts on the config.
        scenario.send(.keyPressed(.enter), effects: [.loadExistingAccounts(userId: "default", authConfigId: "ac_fresh")]) {
            $0.step = .review(Wizard.Review(form: form, existing: .loading))
        }
        // Enter waits for that answer.
        scenario.send(.keyPressed(.enter)) {
            $0.step = .review(Wizard.Review(form: form, existing: .loading, connectRequested: true))
        }
        scenario.send(.keyPressed(.escape)) { $0.step = .credentials(form) }
        scenario.send(.keyPressed(.enter), effects: [.loadExistingAccounts(userId: "default", authConfigId: "ac_fresh")]) {
            $0.step = .review(Wizard.Review(form: form, existing: .loading))
        }
        scenario.send(.existingAccountsLoaded(.success([]))) {
            $0.step = .review(Wizard.Review(form: form, existing: .loaded([])))
        }
        scenario.send(.keyPressed(.character("v"))) {
            $0.step = .review(Wizard.Review(form: form, validateCredentials: true, existing: .loaded([])))
        }
        let review = Wizard.Review(form: form, validateCredentials: true, existing: .loaded([]))
        let request = ConnectionRequest(
            authConfigId: "ac_fresh", userId: "default", authScheme: .apiKey,
            values: ["subdomain": Secret("acme"), "generic_api_key": Secret("0123456789abcdefWXYZ")],
            validateCredentials: true
        )
        scenario.send(.keyPressed(.enter), effects: [.createConnection(request)]) {
            $0.step = .connecting(Wizard.Connecting(review: review))
        }
        scenario.send(.tick) { $0.spinnerFrame = 1 }
        let active = Fixtures.account("ca_1", .active)
        scenario.send(.connectionCreated(.success(active))) {
            $0.step = .outcome(Wizard.Outcome(review: review, result: .settled(active)))
        }
        scenario.send(.tick)
        scenario.send(.keyPressed(.enter), effects: [.quit(exitCode: 0)])
    }

    @Test("Enter pressed while existing accounts load connects once they are in and there are none")
    func enterWhileChecking() {
        let form = Self.form
        var scenario = WizardScenario(Wizard.State(step: .review(Wizard.Review(form: form, existing: .loading))))
        scenario.send(.keyPressed(.enter)) {
            $0.step = .review(Wizard.Review(form: form, existing: .loading, connectRequested: true))
        }
        let review = Wizard.Review(form: form, existing: .loaded([]))
        scenario.send(.existingAccountsLoaded(.success([])), effects: [.createConnection(form.connectionRequestForTest)]) {
            $0.step = .connecting(Wizard.Connecting(review: review))
        }
        // With accounts in the way, the request waits for a choice instead.
        var blocked = WizardScenario(Wizard.State(step: .review(Wizard.Review(form: form, existing: .loading, connectRequested: true))))
        let old = Fixtures.account("ca_old", .active)
        blocked.send(.existingAccountsLoaded(.success([old]))) {
            $0.step = .review(Wizard.Review(form: form, existing: .loaded([old])))
        }
    }

    @Test("session info names the project for the header; a failure leaves it unnamed")
    func session() {
        var scenario = WizardScenario()
        let project = ProjectInfo(id: "pr_1", name: "Acme")
        scenario.send(.sessionLoaded(.success(project))) { $0.project = project }
        scenario.send(.sessionLoaded(.failure(Fixtures.unauthorized)))
    }

    @Test("--auth-config chooses the config as soon as it is listed; an unknown id is said and the list shown")
    func presetAuthConfig() {
        var scenario = WizardScenario(Wizard.State(step: .configList(Wizard.ConfigList(configs: .loading)), presetAuthConfigId: "ac_fresh"))
        scenario.send(
            .authConfigsLoaded(cursor: nil, .success(AuthConfigPage(items: [Fixtures.sendgrid, Fixtures.freshdesk], nextCursor: "c2"))),
            effects: [.loadFields(toolkit: "freshdesk", scheme: .apiKey)]
        ) {
            $0.presetAuthConfigId = nil
            // The list remembers that more pages exist, for when the person goes back to it.
            var list = Wizard.ConfigList(configs: .loaded([Fixtures.sendgrid, Fixtures.freshdesk]))
            list.nextCursor = "c2"
            $0.step = .credentials(Wizard.Credentials(config: Fixtures.freshdesk, userId: "default", list: list))
        }
        var missing = WizardScenario(Wizard.State(step: .configList(Wizard.ConfigList(configs: .loading)), presetAuthConfigId: "ac_nope"))
        missing.send(.authConfigsLoaded(cursor: nil, .success(AuthConfigPage(items: [Fixtures.sendgrid], nextCursor: nil)))) {
            $0.presetAuthConfigId = nil
            var list = Wizard.ConfigList(configs: .loaded([Fixtures.sendgrid]))
            list.notice = "No enabled auth config has the id ac_nope; choose one below."
            $0.step = .configList(list)
        }
    }

    @Test("an account that starts INITIATED is polled once a second until ACTIVE")
    func pollsUntilActive() {
        var scenario = WizardScenario(Self.reviewing())
        let review = Self.review
        scenario.skip(.keyPressed(.enter))
        let initiated = Fixtures.account("ca_9", .initiated)
        scenario.send(.connectionCreated(.success(initiated)), effects: [.pollConnection(id: "ca_9", after: .seconds(1))]) {
            $0.step = .connecting(Wizard.Connecting(review: review, account: initiated))
        }
        scenario.send(.connectionPolled(.success(initiated)), effects: [.pollConnection(id: "ca_9", after: .seconds(1))]) {
            $0.step = .connecting(Wizard.Connecting(review: review, account: initiated, pollsLeft: Wizard.maximumPolls - 1))
        }
        scenario.send(.connectionPolled(.failure(Fixtures.serverDown)), effects: [.pollConnection(id: "ca_9", after: .seconds(1))]) {
            $0.step = .connecting(Wizard.Connecting(review: review, account: initiated, pollsLeft: Wizard.maximumPolls - 2))
        }
        let active = Fixtures.account("ca_9", .active)
        scenario.send(.connectionPolled(.success(active))) {
            $0.step = .outcome(Wizard.Outcome(review: review, result: .settled(active)))
        }
    }

    @Test("a poll answered 429 with Retry-After waits that long before the next")
    func pollHonoursRetryAfter() {
        var scenario = WizardScenario(Self.reviewing())
        scenario.skip(.keyPressed(.enter))
        scenario.skip(.connectionCreated(.success(Fixtures.account("ca_9", .initiated))))
        let limited = ServiceFailure(kind: .rateLimited(retryAfterSeconds: 7), message: "Too many requests.")
        scenario.send(.connectionPolled(.failure(limited)), effects: [.pollConnection(id: "ca_9", after: .seconds(7))]) { state in
            guard case .connecting(var connecting) = state.step else {
                Issue.record("expected the connecting step")
                return
            }
            connecting.pollsLeft -= 1
            state.step = .connecting(connecting)
        }
    }

    @Test("polling gives up after the limit and offers to keep waiting")
    func pollingTimesOut() {
        let initiated = Fixtures.account("ca_9", .initiated)
        var scenario = WizardScenario(Wizard.State(step: .connecting(Wizard.Connecting(review: Self.review, account: initiated, pollsLeft: 1))))
        scenario.send(.connectionPolled(.success(initiated))) {
            $0.step = .outcome(Wizard.Outcome(review: Self.review, result: .timedOut(initiated)))
        }
        scenario.send(.keyPressed(.character("w")), effects: [.pollConnection(id: "ca_9", after: .zero)]) {
            $0.step = .connecting(Wizard.Connecting(review: Self.review, account: initiated))
        }
    }

    @Test("the next page is fetched only when the highlight nears the end, and appended")
    func pagesLazily() {
        let first = (0..<30).map { Fixtures.config("ac_\($0)", name: "Config \($0)") }
        var scenario = WizardScenario()
        scenario.skip(.started)
        scenario.send(.authConfigsLoaded(cursor: nil, .success(AuthConfigPage(items: first, nextCursor: "c2", totalItems: 31)))) {
            var list = Wizard.ConfigList(configs: .loaded(first))
            list.nextCursor = "c2"
            list.totalItems = 31
            $0.step = .configList(list)
        }
        // Nine rows down, 21 rows remain below the highlight: nothing is fetched yet.
        for _ in 0..<9 { scenario.skip(.keyPressed(.down)) }
        scenario.send(.keyPressed(.down), effects: [.loadAuthConfigs(cursor: "c2")]) {
            var list = Wizard.ConfigList(configs: .loaded(first), highlighted: 10)
            list.pendingCursor = "c2"
            list.totalItems = 31
            $0.step = .configList(list)
        }
        // One page at a time; a stale page for a cursor nobody asked for is ignored.
        scenario.send(.keyPressed(.down)) {
            var list = Wizard.ConfigList(configs: .loaded(first), highlighted: 11)
            list.pendingCursor = "c2"
            list.totalItems = 31
            $0.step = .configList(list)
        }
        scenario.send(.authConfigsLoaded(cursor: "zz", .success(AuthConfigPage(items: [Fixtures.jira], nextCursor: nil))))
        scenario.send(.authConfigsLoaded(cursor: "c2", .success(AuthConfigPage(items: [Fixtures.freshdesk], nextCursor: nil, totalItems: 31)))) {
            var list = Wizard.ConfigList(configs: .loaded(first + [Fixtures.freshdesk]), highlighted: 11)
            list.totalItems = 31
            $0.step = .configList(list)
        }
    }

    @Test("with the highlight at the end, each page that arrives asks for the next")
    func pagesChainAtTheEnd() {
        let first = (0..<50).map { Fixtures.config("ac_\($0)", name: "Config \($0)") }
        var list = Wizard.ConfigList(configs: .loaded(first), highlighted: 49)
        list.pendingCursor = "c2"
        var scenario = WizardScenario(Wizard.State(step: .configList(list)))
        let second = (50..<60).map { Fixtures.config("ac_\($0)", name: "Config \($0)") }
        scenario.send(.authConfigsLoaded(cursor: "c2", .success(AuthConfigPage(items: second, nextCursor: "c3"))), effects: [.loadAuthConfigs(cursor: "c3")]) {
            var after = Wizard.ConfigList(configs: .loaded(first + second), highlighted: 49)
            after.pendingCursor = "c3"
            $0.step = .configList(after)
        }
    }

    @Test("a filter that matches few loaded rows keeps fetching pages until enough match")
    func filterFetchesMore() {
        let first = (0..<30).map { Fixtures.config("ac_\($0)", name: "Config \($0)") }
        var list = Wizard.ConfigList(configs: .loaded(first))
        list.nextCursor = "c2"
        var scenario = WizardScenario(Wizard.State(step: .configList(list)))
        scenario.send(.keyPressed(.character("j")), effects: [.loadAuthConfigs(cursor: "c2")]) {
            var filtered = Wizard.ConfigList(configs: .loaded(first), filter: TextInput("j"))
            filtered.pendingCursor = "c2"
            $0.step = .configList(filtered)
        }
        scenario.send(
            .authConfigsLoaded(cursor: "c2", .success(AuthConfigPage(items: [Fixtures.jira], nextCursor: "c3"))), effects: [.loadAuthConfigs(cursor: "c3")]
        ) {
            var filtered = Wizard.ConfigList(configs: .loaded(first + [Fixtures.jira]), filter: TextInput("j"))
            filtered.pendingCursor = "c3"
            $0.step = .configList(filtered)
        }
    }

    @Test("a preset auth config not on the first page keeps pages coming until it is found")
    func presetOnLaterPage() {
        let first = (0..<30).map { Fixtures.config("ac_\($0)", name: "Config \($0)") }
        var scenario = WizardScenario(Wizard.State(step: .configList(Wizard.ConfigList(configs: .loading)), presetAuthConfigId: "ac_jira"))
        scenario.send(.authConfigsLoaded(cursor: nil, .success(AuthConfigPage(items: first, nextCursor: "c2"))), effects: [.loadAuthConfigs(cursor: "c2")]) {
            var list = Wizard.ConfigList(configs: .loaded(first))
            list.pendingCursor = "c2"
            $0.step = .configList(list)
        }
        scenario.send(
            .authConfigsLoaded(cursor: "c2", .success(AuthConfigPage(items: [Fixtures.jira], nextCursor: nil))),
            effects: [.loadFields(toolkit: "jira", scheme: .basic)]
        ) {
            $0.presetAuthConfigId = nil
            let list = Wizard.ConfigList(configs: .loaded(first + [Fixtures.jira]))
            $0.step = .credentials(Wizard.Credentials(config: Fixtures.jira, userId: "default", list: list))
        }
    }

    @Test("/ on an empty filter is the search key, not text")
    func slashStartsSearch() {
        let list = Wizard.ConfigList(configs: .loaded([Fixtures.sendgrid, Fixtures.jira]), highlighted: 1)
        var scenario = WizardScenario(Wizard.State(step: .configList(list)))
        scenario.send(.keyPressed(.character("/")))
        scenario.send(.keyPressed(.character("j"))) {
            $0.step = .configList(Wizard.ConfigList(configs: .loaded([Fixtures.sendgrid, Fixtures.jira]), filter: TextInput("j")))
        }
        scenario.send(.keyPressed(.character("/"))) {
            $0.step = .configList(Wizard.ConfigList(configs: .loaded([Fixtures.sendgrid, Fixtures.jira]), filter: TextInput("j/")))
        }
    }

    @Test("typing filters the list and resets the highlight; Esc clears, then quits")
    func filtering() {
        var scenario = WizardScenario(
            Wizard.State(step: .configList(Wizard.ConfigList(configs: .loaded([Fixtures.sendgrid, Fixtures.jira]), highlighted: 1))))
        scenario.send(.keyPressed(.character("j"))) {
            $0.step = .configList(Wizard.ConfigList(configs: .loaded([Fixtures.sendgrid, Fixtures.jira]), filter: TextInput("j")))
        }
        guard case .configList(let list) = scenario.state.step else {
            Issue.record("expected the configList step")
            return
        }
        #expect(list.visible == [Fixtures.jira])
        scenario.send(.keyPressed(.escape)) {
            $0.step = .configList(Wizard.ConfigList(configs: .loaded([Fixtures.sendgrid, Fixtures.jira])))
        }
        scenario.send(.keyPressed(.escape), effects: [.quit(exitCode: 1)])
    }

    @Test("a preset user id is prefilled and focus starts on the first field")
    func presetUserId() {
        let list = Wizard.ConfigList(configs: .loaded([Fixtures.sendgrid]))
        var scenario = WizardScenario(Wizard.State(step: .configList(list), presetUserId: "alice"))
        scenario.send(.keyPressed(.enter), effects: [.loadFields(toolkit: "sendgrid", scheme: .apiKey)]) {
            $0.step = .credentials(Wizard.Credentials(config: Fixtures.sendgrid, userId: "alice", list: list))
        }
        scenario.send(.fieldsLoaded(.success([Fixtures.apiKeyField]))) {
            var form = Wizard.Credentials(
                config: Fixtures.sendgrid, userId: "alice", list: list, entries: .loaded([Wizard.FieldEntry(field: Fixtures.apiKeyField)]))
            form.focus = 1
            $0.step = .credentials(form)
        }
    }

    @Test("Esc walks back one step from review and from the fields, values kept")
    func escapeGoesBack() {
        var scenario = WizardScenario(Self.reviewing())
        scenario.send(.keyPressed(.escape)) { $0.step = .credentials(Self.form) }
        scenario.send(.keyPressed(.escape)) { $0.step = .configList(Self.form.list) }
        scenario.send(.keyPressed(.escape), effects: [.quit(exitCode: 1)])
    }

    @Test("after ACTIVE, n connects another from a freshly loaded list and Enter quits with 0")
    func connectAnother() {
        let outcome = Wizard.Outcome(review: Self.review, result: .settled(Fixtures.account("ca_1", .active)))
        var scenario = WizardScenario(Wizard.State(step: .outcome(outcome)))
        scenario.send(.keyPressed(.character("x")))
        scenario.send(.keyPressed(.character("n")), effects: [.loadAuthConfigs(cursor: nil)]) {
            $0.step = .configList(Wizard.ConfigList(configs: .loading))
        }
        var finishing = WizardScenario(Wizard.State(step: .outcome(outcome)))
        finishing.send(.keyPressed(.enter), effects: [.quit(exitCode: 0)])
    }

    // MARK: helpers

    static let form: Wizard.Credentials = {
        var entry = Wizard.FieldEntry(field: Fixtures.apiKeyField)
        entry.input = .secret(SecretInput(Secret("key-123456789")))
        var form = Wizard.Credentials(
            config: Fixtures.freshdesk, userId: "default", list: Wizard.ConfigList(configs: .loaded([Fixtures.freshdesk])),
            entries: .loaded([entry])
        )
        form.focus = 1
        return form
    }()

    static let review = Wizard.Review(form: form)

    static func reviewing() -> Wizard.State {
        Wizard.State(step: .review(review))
    }
}
