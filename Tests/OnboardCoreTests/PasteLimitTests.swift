import Foundation
import OnboardCore
import Testing

@Suite("A paste that did not arrive whole")
struct PasteLimitTests {
    @Test("is not half-entered: the page says so and keeps what it had")
    func cutOffPaste() {
        var state = Wizard.State(presetUserId: nil, presetAuthConfigId: nil)
        state.step = .configList(Wizard.ConfigList(configs: .loaded([Fixtures.freshdesk])))
        _ = Wizard.reduce(&state, .pasted("fresh"))
        let effects = Wizard.reduce(&state, .pasteCutOff)
        #expect(effects.isEmpty, "nothing is submitted")
        guard case .configList(let list) = state.step else {
            Issue.record("left the page")
            return
        }
        #expect(list.filter.text == "fresh")
        #expect(list.notice?.contains("did not arrive whole") == true)
    }
}
