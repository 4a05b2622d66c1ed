import OnboardCore
import OnboardTUI
import Testing

@Suite("The customer's and the operator's screens in an assisted session")
struct AssistanceViewTests {
    static func state(_ assistance: Wizard.Assistance) -> Wizard.State {
        var state = Wizard.State(presetUserId: "alice", locked: true, assistance: assistance)
        let config = AuthConfigSummary(id: "ac_t", name: "Tavily", toolkitSlug: "tavily", authScheme: .apiKey)
        let field = CredentialField(name: "api_key", displayName: "API Key", isRequired: true, isSecret: true)
        state.step = .credentials(
            Wizard.Credentials(config: config, userId: "alice", list: Wizard.ConfigList(), entries: .loaded([Wizard.FieldEntry(field: field)])))
        return state
    }

    static let context = ScreenContext(backendLabel: "embedded sandbox", glyphs: .unicode)

    @Test("the greeting, the host key, the operator's note, who watches and the help line sit above the form; the form still fits")
    func customerScreen() {
        var assistance = Wizard.Assistance(greeting: "Acme Support asks you to connect your Tavily key", hostKey: "SHA256:abcdef")
        assistance.observers = ["alice"]
        assistance.note = .init(from: "alice", text: "The key is under Settings")
        assistance.helpRequested = true
        let text = WizardView.render(Self.state(assistance), context: Self.context, width: 90, height: 30).text
        for expected in [
            "Acme Support asks", "Host key SHA256:abcdef", "Note from alice: The key is under Settings", "watched by alice",
            "You asked for help", "API Key", "f1 help asked", "ctrl-x dismiss note",
        ] {
            #expect(text.contains(expected), "missing \(expected)")
        }
    }

    @Test("on the smallest window the note and the watching line keep their rows; the form is still drawn, scrolling")
    func smallWindow() {
        var assistance = Wizard.Assistance(greeting: String(repeating: "long greeting ", count: 20), hostKey: "SHA256:abcdef")
        assistance.observers = ["alice"]
        assistance.note = .init(from: "alice", text: "Check the key")
        let text = WizardView.render(Self.state(assistance), context: Self.context, width: WizardView.minimumWidth, height: WizardView.minimumHeight).text
        #expect(text.contains("Note from alice") && text.contains("watching") && text.contains("User ID") && text.contains("more below"), "\(text)")
        #expect(!text.contains("long greeting"), "the greeting gives its rows up first")
    }

    @Test("a frame travels whole: text, wide characters and roles come back as they were drawn")
    func frameRoundTrip() {
        var assistance = Wizard.Assistance(greeting: "日本語のあいさつ", hostKey: nil)
        assistance.observers = ["ops"]
        let canvas = WizardView.render(Self.state(assistance), context: Self.context, width: 80, height: 24)
        #expect(CanvasFrame(canvas).canvas?.cells == canvas.cells)
    }

    @Test("a hostile frame is rebuilt safely: escapes stripped, sizes capped, unknown roles plain, short rows padded")
    func hostileFrame() {
        let frame = CanvasFrame(
            width: 20, height: 2, rows: ["\u{1B}]52;c;cGF5bG9hZA==\u{07}hi\u{1B}[2J", "x"], roles: [[.init(role: "nonsense", count: 999)], []])
        let canvas = frame.canvas
        #expect(canvas?.text.contains("\u{1B}") == false)
        #expect(canvas?[0, 0].role == .text)
        #expect(CanvasFrame(width: 5000, height: 2, rows: ["", ""], roles: [[], []]).canvas == nil)
        #expect(CanvasFrame(width: 5, height: 3, rows: ["", ""], roles: [[], []]).canvas == nil, "rows must match the height")
    }
}
