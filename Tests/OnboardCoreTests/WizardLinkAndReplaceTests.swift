import Foundation
import OnboardCore
import OnboardTestSupport
import Testing

@Suite("Wizard: hosted links and existing connections")
struct WizardLinkAndReplaceTests {
    static let list = Wizard.ConfigList(configs: .loaded([Fixtures.github]))

    @Test("an OAuth config asks only the user id, creates a link, polls it to ACTIVE, with a countdown clock")
    func oauthLinkFlow() {
        var scenario = WizardScenario(Wizard.State(step: .configList(Self.list)))
        let form = Wizard.Credentials(config: Fixtures.github, userId: "default", list: Self.list, entries: .loaded([]))
        scenario.send(.keyPressed(.enter)) { $0.step = .credentials(form) }
        scenario.send(.keyPressed(.enter), effects: [.loadExistingAccounts(userId: "default", authConfigId: "ac_github")]) {
            $0.step = .review(Wizard.Review(form: form, existing: .loading))
        }
        let review = Wizard.Review(form: form, existing: .loaded([]))
        scenario.send(.existingAccountsLoaded(.success([]))) { $0.step = .review(review) }
        #expect(review.isLink)
        #expect(!review.offersValidation)
        scenario.send(.keyPressed(.enter), effects: [.createLink(authConfigId: "ac_github", userId: "default")]) {
            $0.step = .connecting(Wizard.Connecting(review: review))
        }
        guard case .connecting(let waiting) = scenario.state.step else {
            Issue.record("expected the connecting step")
            return
        }
        #expect(waiting.pollsLeft == Wizard.maximumLinkPolls)
        let expiry = Date(timeIntervalSince1970: 1_800_000_600)
        let link = HostedLink(connectedAccountId: "ca_link", redirectURL: "http://127.0.0.1:9900/link/lt_1", expiresAt: expiry)
        let initiated = ConnectedAccount(
            id: "ca_link", status: .initiated, toolkitSlug: "github", authConfigId: "ac_github", userId: "default", redirectURL: link.redirectURL)
        scenario.send(.linkCreated(.success(link)), effects: [.pollConnection(id: "ca_link", after: .seconds(1))]) {
            $0.step = .connecting(Wizard.Connecting(review: review, account: initiated, link: link))
        }
        scenario.send(.clockTicked(Date(timeIntervalSince1970: 1_800_000_000))) { $0.now = Date(timeIntervalSince1970: 1_800_000_000) }
        let active = ConnectedAccount(id: "ca_link", status: .active, toolkitSlug: "github", authConfigId: "ac_github", userId: "default")
        scenario.send(.connectionPolled(.success(active))) {
            $0.step = .outcome(Wizard.Outcome(review: review, result: .settled(active)))
        }
    }

    @Test("an EXPIRED link offers a new one with r")
    func expiredLink() {
        let form = Wizard.Credentials(config: Fixtures.github, userId: "default", list: Self.list, entries: .loaded([]))
        let review = Wizard.Review(form: form, existing: .loaded([]))
        let expired = ConnectedAccount(
            id: "ca_link", status: .expired, statusReason: "Connection initiation did not complete within 10 minutes", toolkitSlug: "github",
            authConfigId: "ac_github")
        var scenario = WizardScenario(Wizard.State(step: .outcome(Wizard.Outcome(review: review, result: .settled(expired)))))
        scenario.send(.keyPressed(.character("r")), effects: [.createLink(authConfigId: "ac_github", userId: "default")]) {
            $0.step = .connecting(Wizard.Connecting(review: review))
        }
    }

    @Test("existing accounts must be answered: add another, or replace, deleting the old only after ACTIVE")
    func replaceExisting() {
        let review = WizardHappyPathTests.review
        var loading = review
        loading.existing = .loading
        let old = Fixtures.account("ca_old", .active)
        var scenario = WizardScenario(Wizard.State(step: .review(loading)))
        scenario.send(.existingAccountsLoaded(.success([old]))) {
            var loaded = review
            loaded.existing = .loaded([old])
            $0.step = .review(loaded)
        }
        // Enter waits for a choice.
        scenario.send(.keyPressed(.enter))
        var chosen = review
        chosen.existing = .loaded([old])
        chosen.choice = .replace
        scenario.send(.keyPressed(.character("x"))) { $0.step = .review(chosen) }
        scenario.send(.keyPressed(.enter), effects: [.createConnection(review.form.connectionRequestForTest)]) {
            $0.step = .connecting(Wizard.Connecting(review: chosen))
        }
        let new = Fixtures.account("ca_new", .active)
        scenario.send(.connectionCreated(.success(new)), effects: [.deleteAccounts(ids: ["ca_old"])]) {
            $0.step = .outcome(Wizard.Outcome(review: chosen, result: .settled(new), replacement: .loading))
        }
        scenario.send(.accountsDeleted(.success(["ca_old"]))) {
            $0.step = .outcome(Wizard.Outcome(review: chosen, result: .settled(new), replacement: .loaded(["ca_old"])))
        }
    }

    @Test("a replacement that does not become ACTIVE deletes nothing")
    func failedReplacementKeepsOld() {
        var review = WizardHappyPathTests.review
        review.existing = .loaded([Fixtures.account("ca_old", .active)])
        review.choice = .replace
        var scenario = WizardScenario(Wizard.State(step: .connecting(Wizard.Connecting(review: review))))
        let failed = Fixtures.account("ca_new", .failed, reason: "bad key")
        scenario.send(.connectionCreated(.success(failed))) {
            $0.step = .outcome(Wizard.Outcome(review: review, result: .settled(failed)))
        }
    }

    @Test("adding another keeps the old account")
    func addAnother() {
        var review = WizardHappyPathTests.review
        review.existing = .loaded([Fixtures.account("ca_old", .active)])
        var scenario = WizardScenario(Wizard.State(step: .review(review)))
        var chosen = review
        chosen.choice = .addAnother
        scenario.send(.keyPressed(.character("a"))) { $0.step = .review(chosen) }
        scenario.send(.keyPressed(.enter), effects: [.createConnection(review.form.connectionRequestForTest)]) {
            $0.step = .connecting(Wizard.Connecting(review: chosen))
        }
        let new = Fixtures.account("ca_new", .active)
        scenario.send(.connectionCreated(.success(new))) {
            $0.step = .outcome(Wizard.Outcome(review: chosen, result: .settled(new)))
        }
    }

    @Test("update its credentials: the newest account takes the values in place, keeps its id, and nothing is deleted")
    func updateInPlace() {
        var review = WizardHappyPathTests.review
        let newest = Fixtures.account("ca_newest", .active)
        review.existing = .loaded([newest, Fixtures.account("ca_older", .active)])
        #expect(review.updatableAccount == newest)
        var scenario = WizardScenario(Wizard.State(step: .review(review)))
        var chosen = review
        chosen.choice = .update
        scenario.send(.keyPressed(.character("u"))) { $0.step = .review(chosen) }
        let request = review.form.connectionRequestForTest
        scenario.send(.keyPressed(.enter), effects: [.updateConnection(id: "ca_newest", request)]) {
            $0.step = .connecting(Wizard.Connecting(review: chosen))
        }
        // A create's answer cannot settle an update, nor the other way round.
        scenario.send(.connectionCreated(.success(Fixtures.account("ca_other", .active))))
        scenario.send(.connectionUpdated(.success(newest))) {
            $0.step = .outcome(Wizard.Outcome(review: chosen, result: .settled(newest)))
        }
    }

    @Test("update is not offered for OAuth configs or when the user has no account")
    func updateNotOffered() {
        var review = WizardHappyPathTests.review
        review.existing = .loaded([])
        #expect(review.updatableAccount == nil)
        var scenario = WizardScenario(Wizard.State(step: .review(review)))
        scenario.send(.keyPressed(.character("u")))
        let form = Wizard.Credentials(config: Fixtures.github, userId: "default", list: Self.list, entries: .loaded([]))
        let oauth = Wizard.Review(form: form, existing: .loaded([Fixtures.account("ca_old", .active)]))
        #expect(oauth.updatableAccount == nil)
    }

    @Test("an OAuth config whose toolkit also has a bearer-token config points to it on the review page")
    func bearerAlternative() {
        let bearer = AuthConfigSummary(id: "ac_gh_bearer", name: "GitHub (own tokens)", toolkitSlug: "github", authScheme: .bearerToken)
        let other = AuthConfigSummary(id: "ac_slack_bearer", name: "Slack tokens", toolkitSlug: "slack", authScheme: .bearerToken)
        let list = Wizard.ConfigList(configs: .loaded([Fixtures.github, other, bearer]))
        let form = Wizard.Credentials(config: Fixtures.github, userId: "default", list: list, entries: .loaded([]))
        #expect(Wizard.Review(form: form).bearerAlternative == bearer)
        let alone = Wizard.Credentials(config: Fixtures.github, userId: "default", list: Self.list, entries: .loaded([]))
        #expect(Wizard.Review(form: alone).bearerAlternative == nil)
        let bearerForm = Wizard.Credentials(config: bearer, userId: "default", list: list, entries: .loaded([]))
        #expect(Wizard.Review(form: bearerForm).bearerAlternative == nil, "only OAuth configs point elsewhere")
    }
}
