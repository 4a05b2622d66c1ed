import Foundation
import OnboardCore
import OnboardTUI
import OnboardTestSupport
import Testing

/// Every screen at 80x24 and 100x30, as text. `RECORD_SNAPSHOTS=1 swift test` re-records.
@Suite("Screens")
struct ScreenSnapshotTests {
    static let sizes = [(80, 24), (100, 30)]
    static let context = ScreenContext(backendLabel: "sandbox 127.0.0.1:9900")

    static let configs = [
        AuthConfigSummary(id: "ac_sendgrid01", name: "SendGrid (API key)", toolkitSlug: "sendgrid", authScheme: .apiKey, connectionCount: 12),
        AuthConfigSummary(id: "ac_fresh00001", name: "Freshdesk support desk", toolkitSlug: "freshdesk", authScheme: .apiKey),
        AuthConfigSummary(id: "ac_jira000001", name: "Jira Cloud", toolkitSlug: "jira", authScheme: .basic, connectionCount: 3),
        AuthConfigSummary(id: "ac_github0001", name: "GitHub", toolkitSlug: "github", authScheme: .oauth2),
    ]

    static var list: Wizard.ConfigList { Wizard.ConfigList(configs: .loaded(configs), highlighted: 1) }

    static var form: Wizard.Credentials {
        var subdomain = Wizard.FieldEntry(
            field: CredentialField(
                name: "subdomain", displayName: "Subdomain", description: "The part before .freshdesk.com.", isRequired: true, isSecret: false))
        subdomain.input = .text(TextInput("acme"))
        var key = Wizard.FieldEntry(
            field: CredentialField(
                name: "generic_api_key", displayName: "API Key", description: "Profile settings > View API key.", isRequired: true, isSecret: true))
        key.input = .secret(SecretInput(Secret("fd-SNAPSHOT-CANARY-9876")))
        var form = Wizard.Credentials(config: configs[1], userId: "alice", list: list, entries: .loaded([subdomain, key]))
        form.focus = 2
        return form
    }

    static let states: [(String, Wizard.State)] = {
        var filtered = list
        filtered.filter = TextInput("jir")
        filtered.highlighted = 0
        var missing = form
        if var entries = missing.entries.value {
            entries[1].input = .secret(SecretInput())
            entries[1].problem = "API Key is required."
            missing.entries = .loaded(entries)
        }
        let review = Wizard.Review(form: form, validateCredentials: true)
        let active = ConnectedAccount(id: "ca_AXeSpIl9eGZS", status: .active, toolkitSlug: "freshdesk", authConfigId: "ac_fresh00001", userId: "alice")
        let failed = ConnectedAccount(
            id: "ca_BadKey00001", status: .failed, statusReason: "Credential validation failed: API Key does not look valid for freshdesk",
            toolkitSlug: "freshdesk", authConfigId: "ac_fresh00001", userId: "alice")
        let unauthorized = ServiceFailure(
            kind: .unauthorized, message: "Invalid API key provided (key from COMPOSIO_API_KEY)",
            suggestion: "Pass a valid project API key in the x-api-key header.", httpStatus: 401, requestId: "req_42")
        var armed = Wizard.State(step: .review(review))
        armed.quitArmed = true
        let old = ConnectedAccount(id: "ca_OldOne00001", status: .active, toolkitSlug: "freshdesk", authConfigId: "ac_fresh00001", userId: "alice")
        let existing = Wizard.Review(form: form, existing: .loaded([old]))
        var named = Wizard.State(step: .configList(list))
        named.project = ProjectInfo(id: "pr_1", name: "Acme production")
        var notice = list
        notice.notice = "No enabled auth config has the id ac_nope; choose one below."
        let oauthForm = Wizard.Credentials(config: configs[3], userId: "alice", list: list, entries: .loaded([]))
        let oauthReview = Wizard.Review(form: oauthForm, existing: .loaded([]))
        let link = HostedLink(
            connectedAccountId: "ca_Link0000001", redirectURL: "http://127.0.0.1:9900/link/lt_Q2x8yVb3kLm9Pq4RsT7uWz1A",
            expiresAt: Date(timeIntervalSince1970: 1_800_000_600))
        var linking = Wizard.State(step: .connecting(Wizard.Connecting(review: oauthReview, account: nil, link: link)))
        linking.now = Date(timeIntervalSince1970: 1_800_000_000 + 75)
        var disabledShown = Wizard.State(step: .configList(list))
        if case .configList(var shown) = disabledShown.step {
            var legacy = configs[0]
            legacy.isEnabled = false
            legacy.name = "SendGrid (legacy)"
            shown.showDisabled = true
            shown.configs = .loaded(configs + [legacy])
            disabledShown.step = .configList(shown)
        }
        var replacedReview = existing
        replacedReview.choice = .replace
        return [
            ("list-loading", Wizard.State(step: .configList(Wizard.ConfigList(configs: .loading)))),
            ("list", Wizard.State(step: .configList(list))),
            ("list-filtered", Wizard.State(step: .configList(filtered))),
            ("list-unauthorized", Wizard.State(step: .configList(Wizard.ConfigList(configs: .failed(unauthorized))))),
            ("fields-loading", Wizard.State(step: .credentials(Wizard.Credentials(config: configs[1], userId: "alice", list: list)))),
            ("fields", Wizard.State(step: .credentials(form))),
            ("fields-missing", Wizard.State(step: .credentials(missing))),
            ("review", Wizard.State(step: .review(review))),
            ("connecting", Wizard.State(step: .connecting(Wizard.Connecting(review: review)))),
            ("done-active", Wizard.State(step: .outcome(Wizard.Outcome(review: review, result: .settled(active))))),
            ("done-failed", Wizard.State(step: .outcome(Wizard.Outcome(review: review, result: .settled(failed))))),
            ("done-error", Wizard.State(step: .outcome(Wizard.Outcome(review: review, result: .failed(unauthorized))))),
            ("oauth", Wizard.State(step: .unsupportedScheme(Wizard.UnsupportedScheme(config: configs[3], list: list)))),
            ("quit-armed", armed),
            ("review-existing", Wizard.State(step: .review(existing))),
            ("list-project-named", named),
            ("list-preset-missing", Wizard.State(step: .configList(notice))),
            ("oauth-review", Wizard.State(step: .review(oauthReview))),
            ("oauth-link-waiting", linking),
            ("list-disabled-shown", disabledShown),
            (
                "done-replaced",
                Wizard.State(step: .outcome(Wizard.Outcome(review: replacedReview, result: .settled(active), replacement: .loaded(["ca_OldOne00001"]))))
            ),
        ]
    }()

    @Test("each screen matches its snapshot at 80x24 and 100x30", arguments: 0..<states.count)
    func snapshot(index: Int) {
        let (name, state) = Self.states[index]
        for (width, height) in Self.sizes {
            let canvas = WizardView.render(state, context: Self.context, width: width, height: height)
            TextSnapshot.assert(canvas.text, named: "\(name)-\(width)x\(height)")
            #expect(!canvas.text.contains("SNAPSHOT-CANARY"), "\(name) shows the secret")
        }
    }

    @Test("the key prompt shows bullets and the check's failure, never the key")
    func keyPrompt() {
        var state = Wizard.State(step: .keyPrompt(Wizard.KeyPrompt(host: "backend.composio.dev")))
        _ = Wizard.reduce(&state, .pasted("ak_PROMPT_CANARY_1"))
        let typed = WizardView.render(state, context: Self.context, width: 80, height: 24)
        TextSnapshot.assert(typed.text, named: "key-prompt-80x24")
        #expect(!typed.text.contains("PROMPT_CANARY"))
        _ = Wizard.reduce(&state, .keyPressed(.enter))
        _ = Wizard.reduce(&state, .keyChecked(.failure(ServiceFailure(kind: .unauthorized, message: "Invalid API key provided"))))
        TextSnapshot.assert(WizardView.render(state, context: Self.context, width: 80, height: 24).text, named: "key-prompt-rejected-80x24")
    }

    @Test("below 60x18 a message asks for a larger window instead of a broken layout")
    func tooSmall() {
        let canvas = WizardView.render(Self.states[1].1, context: Self.context, width: 50, height: 12)
        TextSnapshot.assert(canvas.text, named: "too-small-50x12")
        #expect(canvas.text.contains("onboard needs at least 60x18."))
    }

    @Test("the minimum size still shows the whole form for three inputs")
    func minimumSize() {
        let canvas = WizardView.render(Self.states[5].1, context: Self.context, width: 60, height: 18)
        TextSnapshot.assert(canvas.text, named: "fields-60x18")
    }

    @Test("the focused secret puts the cursor after its bullets, and the masked tail shows on review")
    func secretPresentation() {
        let canvas = WizardView.render(Self.states[5].1, context: Self.context, width: 80, height: 24)
        let row = canvas.text.split(separator: "\n", omittingEmptySubsequences: false)[canvas.cursor!.y]
        #expect(row.contains(String(repeating: "•", count: 23)))
        #expect(canvas.cursor?.x == 4 + 23)
        let review = WizardView.render(Self.states[7].1, context: Self.context, width: 80, height: 24)
        #expect(review.text.contains("••••••••9876"))
    }

    @Test("revealing a secret shows it only while revealed")
    func reveal() {
        var state = Self.states[5].1
        _ = Wizard.reduce(&state, .keyPressed(.control("r")))
        let shown = WizardView.render(state, context: Self.context, width: 80, height: 24)
        #expect(shown.text.contains("fd-SNAPSHOT-CANARY-9876"))
        _ = Wizard.reduce(&state, .keyPressed(.control("r")))
        let hidden = WizardView.render(state, context: Self.context, width: 80, height: 24)
        #expect(!hidden.text.contains("SNAPSHOT-CANARY"))
    }

    @Test("the hosted link's URL is marked as a hyperlink on every row it wraps onto")
    func linkIsHyperlink() throws {
        let state = try #require(Self.states.first { $0.0 == "oauth-link-waiting" }).1
        let url = "http://127.0.0.1:9900/link/lt_Q2x8yVb3kLm9Pq4RsT7uWz1A"
        let wide = WizardView.render(state, context: Self.context, width: 80, height: 24)
        #expect(wide.links.map(\.url) == [url])
        var long = state
        let longURL = "https://connect.example.com/link/" + String(repeating: "a1b2c3d4", count: 12)
        if case .connecting(var connecting) = long.step {
            connecting.link?.redirectURL = longURL
            long.step = .connecting(connecting)
        }
        let narrow = WizardView.render(long, context: Self.context, width: 60, height: 18)
        #expect(narrow.links.count == 3)
        #expect(narrow.links.allSatisfy { $0.url == longURL })
        #expect(narrow.links.map(\.width).reduce(0, +) == longURL.count)
    }
}

@Suite("Screens locked to an invite")
struct LockedScreenTests {
    @Test("the review of an OAuth config points to its bearer-token sibling only when another config may be chosen")
    func bearerHintOnlyUnlocked() {
        let bearer = AuthConfigSummary(id: "ac_gh_bearer", name: "GitHub (own tokens)", toolkitSlug: "github", authScheme: .bearerToken)
        let github = AuthConfigSummary(id: "ac_github0001", name: "GitHub", toolkitSlug: "github", authScheme: .oauth2)
        let list = Wizard.ConfigList(configs: .loaded([github, bearer]))
        let form = Wizard.Credentials(config: github, userId: "alice", list: list, entries: .loaded([]))
        var state = Wizard.State(step: .review(Wizard.Review(form: form, existing: .loaded([]))))
        let open = WizardView.render(state, context: ScreenSnapshotTests.context, width: 100, height: 30).text
        #expect(open.contains("ac_gh_bearer"), "\(open)")
        state.locked = true
        let locked = WizardView.render(state, context: ScreenSnapshotTests.context, width: 100, height: 30).text
        #expect(!locked.contains("ac_gh_bearer"), "a locked session cannot choose another config:\n\(locked)")
    }
}
