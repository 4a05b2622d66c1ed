import OnboardCore
import OnboardTestSupport
import Testing

@Suite("Wizard: multi-line credentials")
struct MultilineFieldTests {
    static let keyFile = CredentialField(
        name: "credentials_json", displayName: "Service account key (JSON)", isRequired: true, isSecret: true, isMultiline: true
    )
    static let config = AuthConfigSummary(id: "ac_bq", name: "BigQuery", toolkitSlug: "google_bigquery", authScheme: .googleServiceAccount)

    static func form(_ value: String = "") -> Wizard.Credentials {
        var entry = Wizard.FieldEntry(field: keyFile)
        if case .secret(var input) = entry.input {
            input.insert(value)
            entry.input = .secret(input)
        }
        var form = Wizard.Credentials(config: config, userId: "default", list: Wizard.ConfigList(), entries: .loaded([entry]))
        form.focus = 1
        return form
    }

    @Test("typing in a masked field leaves its shown length until typing pauses or focus moves")
    func shownLengthSettles() {
        var state = Wizard.State()
        state.step = .credentials(Self.form())
        func shown() -> Int? {
            guard case .credentials(let form) = state.step, case .secret(let input) = form.entries.value?.first?.input else { return nil }
            return input.shownCount
        }
        for character in "{\"a\":1}" { _ = Wizard.reduce(&state, .keyPressed(.character(character))) }
        #expect(shown() == 0)
        #expect(Wizard.reduce(&state, .typingPaused).isEmpty)
        #expect(shown() == 7)
        _ = Wizard.reduce(&state, .keyPressed(.backspace))
        #expect(shown() == 7)
        _ = Wizard.reduce(&state, .keyPressed(.backTab))
        #expect(shown() == 6)
    }

    @Test("the name heuristic marks JSON and private-key fields multi-line")
    func heuristic() {
        #expect(CredentialField.looksMultiline(name: "credentials_json", type: "string"))
        #expect(CredentialField.looksMultiline(name: "private_key", type: nil))
        #expect(CredentialField.looksMultiline(name: "x", type: "json"))
        #expect(!CredentialField.looksMultiline(name: "generic_api_key", type: "string"))
    }

    @Test("a pasted JSON keeps its line breaks (CRLF normalised) and counts its lines")
    func pasteKeepsLines() {
        var input = SecretInput(keepsLineBreaks: true)
        input.insert("{\r\n  \"type\": \"service_account\"\r\n}\n")
        #expect(input.value == Secret("{\n  \"type\": \"service_account\"\n}\n"))
        #expect(input.lineCount == 4)
        var single = SecretInput()
        single.insert("a\nb")
        #expect(single.value == Secret("ab"))
    }

    @Test("@path on Enter asks for the file; its content replaces the value and Enter goes on to review")
    func readFromFile() {
        var scenario = WizardScenario(Wizard.State(step: .credentials(Self.form("@~/keys/sa.json"))))
        scenario.send(.keyPressed(.enter), effects: [.readSecretFile(field: "credentials_json", path: "~/keys/sa.json")])
        let content = #"{"type":"service_account","private_key":"k"}"#
        scenario.send(
            .secretFileRead(field: "credentials_json", .success(Secret(content))),
            effects: [.loadExistingAccounts(userId: "default", authConfigId: "ac_bq")]
        ) {
            $0.step = .review(Wizard.Review(form: Self.form(content), existing: .loading))
        }
    }

    @Test("an unreadable file is shown as the field's problem")
    func unreadable() {
        var scenario = WizardScenario(Wizard.State(step: .credentials(Self.form("@/nope.json"))))
        let failure = ServiceFailure(kind: .invalidRequest, message: "Cannot read /nope.json: no such file, or not readable.")
        scenario.send(.secretFileRead(field: "credentials_json", .failure(failure))) { state in
            var form = Self.form("@/nope.json")
            if var entries = form.entries.value {
                entries[0].problem = failure.message
                form.entries = .loaded(entries)
            }
            state.step = .credentials(form)
        }
    }

    @Test("a value that is not JSON is refused inline with what to do")
    func invalidJSON() {
        var scenario = WizardScenario(Wizard.State(step: .credentials(Self.form("{not json"))))
        scenario.send(.keyPressed(.enter)) { state in
            var form = Self.form("{not json")
            if var entries = form.entries.value {
                entries[0].problem = "Service account key (JSON) is not valid JSON; paste the whole file, or type @ and its path."
                form.entries = .loaded(entries)
            }
            state.step = .credentials(form)
        }
    }
}
