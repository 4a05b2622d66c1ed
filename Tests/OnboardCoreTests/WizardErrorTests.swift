import Foundation
import OnboardCore
import OnboardTestSupport
import Testing

@Suite("Wizard: errors and ways out")
struct WizardErrorTests {
    @Test("a 401 on the first page shows the failure; r retries")
    func unauthorizedList() {
        var scenario = WizardScenario()
        scenario.skip(.started)
        scenario.send(.authConfigsLoaded(cursor: nil, .failure(Fixtures.unauthorized))) {
            $0.step = .configList(Wizard.ConfigList(configs: .failed(Fixtures.unauthorized)))
        }
        scenario.send(.keyPressed(.character("r")), effects: [.loadAuthConfigs(cursor: nil)]) {
            $0.step = .configList(Wizard.ConfigList(configs: .loading))
        }
    }

    @Test("a later page that fails keeps the rows already loaded and says so; ctrl-r asks for that page again")
    func laterPageFails() {
        var list = Wizard.ConfigList(configs: .loaded([Fixtures.sendgrid]))
        list.pendingCursor = "c2"
        var scenario = WizardScenario(Wizard.State(step: .configList(list)))
        var failed = Wizard.ConfigList(configs: .loaded([Fixtures.sendgrid]))
        failed.nextCursor = "c2"
        failed.pageFailure = Fixtures.serverDown
        scenario.send(.authConfigsLoaded(cursor: "c2", .failure(Fixtures.serverDown))) { $0.step = .configList(failed) }
        // Moving does not hammer a failing server.
        scenario.send(.keyPressed(.down))
        scenario.send(.keyPressed(.control("r")), effects: [.loadAuthConfigs(cursor: "c2")]) { $0.step = .configList(list) }
    }

    @Test("the toolkit failing to load offers retry and back")
    func fieldsFail() {
        let list = Wizard.ConfigList(configs: .loaded([Fixtures.sendgrid]))
        var scenario = WizardScenario(Wizard.State(step: .credentials(Wizard.Credentials(config: Fixtures.sendgrid, userId: "default", list: list))))
        scenario.send(.fieldsLoaded(.failure(Fixtures.serverDown))) {
            $0.step = .credentials(Wizard.Credentials(config: Fixtures.sendgrid, userId: "default", list: list, entries: .failed(Fixtures.serverDown)))
        }
        scenario.send(.keyPressed(.character("r")), effects: [.loadFields(toolkit: "sendgrid", scheme: .apiKey)]) {
            $0.step = .credentials(Wizard.Credentials(config: Fixtures.sendgrid, userId: "default", list: list))
        }
        scenario.send(.keyPressed(.escape)) { $0.step = .configList(list) }
    }

    @Test("an empty required field blocks review and says which")
    func requiredFieldBlocks() {
        let list = Wizard.ConfigList(configs: .loaded([Fixtures.sendgrid]))
        var form = Wizard.Credentials(
            config: Fixtures.sendgrid, userId: "default", list: list, entries: .loaded([Wizard.FieldEntry(field: Fixtures.apiKeyField)]))
        form.focus = 1
        var scenario = WizardScenario(Wizard.State(step: .credentials(form)))
        scenario.send(.keyPressed(.enter)) { state in
            var entry = Wizard.FieldEntry(field: Fixtures.apiKeyField)
            entry.problem = "API Key is required."
            var blocked = form
            blocked.entries = .loaded([entry])
            state.step = .credentials(blocked)
        }
        // Typing clears the problem (the shown length waits for typing to pause).
        scenario.send(.keyPressed(.character("k"))) { state in
            var entry = Wizard.FieldEntry(field: Fixtures.apiKeyField)
            var input = SecretInput()
            input.apply(.character("k"))
            entry.input = .secret(input)
            var typed = form
            typed.entries = .loaded([entry])
            state.step = .credentials(typed)
        }
    }

    @Test("an empty user id is refused with what to enter")
    func emptyUserId() {
        let list = Wizard.ConfigList(configs: .loaded([Fixtures.sendgrid]))
        let form = Wizard.Credentials(config: Fixtures.sendgrid, userId: "", list: list, entries: .loaded([]))
        var scenario = WizardScenario(Wizard.State(step: .credentials(form)))
        scenario.send(.keyPressed(.enter)) { state in
            var blocked = form
            blocked.userIdProblem = "Enter a user id: any string that identifies this user in your system."
            state.step = .credentials(blocked)
        }
    }

    @Test("a refused create shows why; Enter returns to the fields with every value kept")
    func createFailsThenBackToFields() {
        let review = WizardHappyPathTests.review
        var scenario = WizardScenario(Wizard.State(step: .connecting(Wizard.Connecting(review: review))))
        scenario.send(.connectionCreated(.failure(Fixtures.unauthorized))) {
            $0.step = .outcome(Wizard.Outcome(review: review, result: .failed(Fixtures.unauthorized)))
        }
        scenario.send(.keyPressed(.enter)) { $0.step = .credentials(review.form) }
    }

    @Test("a FAILED account shows its reason and offers only editing, since the same values would fail again")
    func failedAccountNoRetry() {
        let review = WizardHappyPathTests.review
        let failed = Fixtures.account("ca_2", .failed, reason: "Credential validation failed")
        var scenario = WizardScenario(Wizard.State(step: .connecting(Wizard.Connecting(review: review))))
        scenario.send(.connectionCreated(.success(failed))) {
            $0.step = .outcome(Wizard.Outcome(review: review, result: .settled(failed)))
        }
        scenario.send(.keyPressed(.character("r")))
        scenario.send(.keyPressed(.character("e"))) { $0.step = .credentials(review.form) }
    }

    @Test("a server failure on create offers r, which sends the same request again")
    func serverFailureRetry() {
        let review = WizardHappyPathTests.review
        var scenario = WizardScenario(Wizard.State(step: .outcome(Wizard.Outcome(review: review, result: .failed(Fixtures.serverDown)))))
        scenario.send(.keyPressed(.character("r")), effects: [.createConnection(review.form.connectionRequestForTest)]) {
            $0.step = .connecting(Wizard.Connecting(review: review))
        }
    }

    @Test("a config without a scheme is explained, not sent; Esc goes back to the list")
    func noSchemeIsExplained() {
        var config = Fixtures.github
        config.authScheme = nil
        let list = Wizard.ConfigList(configs: .loaded([config]))
        var scenario = WizardScenario(Wizard.State(step: .configList(list)))
        scenario.send(.keyPressed(.enter)) {
            $0.step = .unsupportedScheme(Wizard.UnsupportedScheme(config: config, list: list))
        }
        scenario.send(.keyPressed(.escape)) { $0.step = .configList(list) }
    }

    @Test("Ctrl-C once arms, any key disarms, twice quits with 130")
    func controlCTwice() {
        var scenario = WizardScenario(WizardHappyPathTests.reviewing())
        scenario.send(.keyPressed(.control("c"))) { $0.quitArmed = true }
        scenario.send(.keyPressed(.character("x"))) { $0.quitArmed = false }
        scenario.send(.interrupted) { $0.quitArmed = true }
        scenario.send(.keyPressed(.control("c")), effects: [.quit(exitCode: 130)])
    }

    @Test("results that arrive after the person moved on are ignored")
    func staleResultsIgnored() {
        let list = Wizard.ConfigList(configs: .loaded([Fixtures.sendgrid]))
        var scenario = WizardScenario(Wizard.State(step: .configList(list)))
        scenario.send(.fieldsLoaded(.success([Fixtures.apiKeyField])))
        scenario.send(.connectionCreated(.success(Fixtures.account("ca_1", .active))))
        scenario.send(.connectionPolled(.success(Fixtures.account("ca_1", .active))))
    }

    @Test("values are trimmed and only fields with a value are sent; shared credentials are not asked")
    func requestBuilding() {
        var config = Fixtures.sendgrid
        config.sharedFieldNames = ["generic_api_key"]
        let list = Wizard.ConfigList(configs: .loaded([config]))
        var scenario = WizardScenario(Wizard.State(step: .credentials(Wizard.Credentials(config: config, userId: " bob ", list: list))))
        scenario.skip(.fieldsLoaded(.success([Fixtures.apiKeyField, Fixtures.regionField])))
        guard case .credentials(var form) = scenario.state.step else {
            Issue.record("expected the credentials step")
            return
        }
        #expect(form.entries.value?.map(\.field.name) == ["region"])
        form.focus = 1
        let request = Wizard.Review(form: form).form.connectionRequestForTest
        #expect(request.userId == "bob")
        #expect(request.values == ["region": Secret("us")])
    }
}

extension Wizard.Credentials {
    /// The request the review page would send, without validation.
    var connectionRequestForTest: ConnectionRequest {
        var values: [String: Secret] = [:]
        for entry in entries.value ?? [] where !entry.value.isEmpty { values[entry.field.name] = entry.value }
        return ConnectionRequest(
            authConfigId: config.id, userId: userId.text.trimmingCharacters(in: .whitespaces), authScheme: config.authScheme ?? .apiKey, values: values)
    }
}

@Suite("Wizard: disabled auth configs")
struct WizardDisabledConfigTests {
    @Test("Ctrl-D reloads with disabled configs shown (and again hidden); a disabled one cannot be chosen")
    func showDisabled() {
        var disabled = Fixtures.sendgrid
        disabled.isEnabled = false
        var scenario = WizardScenario(Wizard.State(step: .configList(Wizard.ConfigList(configs: .loaded([Fixtures.freshdesk])))))
        scenario.send(.keyPressed(.control("d")), effects: [.loadAuthConfigs(cursor: nil, showDisabled: true)]) {
            $0.step = .configList(Wizard.ConfigList(configs: .loading, showDisabled: true))
        }
        scenario.send(.authConfigsLoaded(cursor: nil, .success(AuthConfigPage(items: [disabled], nextCursor: nil)))) {
            $0.step = .configList(Wizard.ConfigList(configs: .loaded([disabled]), showDisabled: true))
        }
        scenario.send(.keyPressed(.enter)) {
            var list = Wizard.ConfigList(configs: .loaded([disabled]), showDisabled: true)
            list.notice = "SendGrid is disabled; enable it in the dashboard to connect accounts."
            $0.step = .configList(list)
        }
        scenario.send(.keyPressed(.control("d")), effects: [.loadAuthConfigs(cursor: nil, showDisabled: false)]) {
            $0.step = .configList(Wizard.ConfigList(configs: .loading))
        }
    }
}

@Suite("Wizard: retry countdown")
struct WizardRetryNoticeTests {
    @Test("a scheduled retry is shown until its time passes, whatever else answers meanwhile")
    func notice() {
        let start = Date(timeIntervalSince1970: 1_800_000_000)
        let notice = RetryNotice(reason: "The service is rate limiting requests", until: start.addingTimeInterval(12))
        var scenario = WizardScenario(Wizard.State(step: .configList(Wizard.ConfigList(configs: .loading))))
        scenario.send(.retryScheduled(notice)) { $0.retryNotice = notice }
        scenario.send(.clockTicked(start.addingTimeInterval(5))) { $0.now = start.addingTimeInterval(5) }
        scenario.send(.clockTicked(start.addingTimeInterval(12))) {
            $0.now = start.addingTimeInterval(12)
            $0.retryNotice = nil
        }
        scenario.send(.retryScheduled(notice)) { $0.retryNotice = notice }
        // Another request answering (session info) says nothing about the one being retried.
        let project = ProjectInfo(id: "pr_1", name: "Acme")
        scenario.send(.sessionLoaded(.success(project))) { $0.project = project }
    }
}
