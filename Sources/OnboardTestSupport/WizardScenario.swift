import OnboardCore
import Testing

/// Drives the reducer one event at a time and checks the whole new state and the exact effects,
/// so a test says everything an event changes and nothing changes unnoticed.
package struct WizardScenario {
    package private(set) var state: Wizard.State

    package init(_ state: Wizard.State = Wizard.State()) {
        self.state = state
    }

    /// Sends `event`; expects the state to become what `update` makes of the previous one and
    /// the effects to be exactly `effects`.
    package mutating func send(
        _ event: Wizard.Event,
        effects: [Wizard.Effect] = [],
        sourceLocation: SourceLocation = #_sourceLocation,
        _ update: (inout Wizard.State) -> Void = { _ in }
    ) {
        var expected = state
        update(&expected)
        let produced = Wizard.reduce(&state, event)
        #expect(state == expected, "state after \(event)", sourceLocation: sourceLocation)
        #expect(produced == effects, "effects of \(event)", sourceLocation: sourceLocation)
    }

    /// Sends each character of `text` as a key press, then the pause that follows typing (so
    /// masked lengths are up to date), with the state changes left to the caller's next assertion.
    package mutating func type(_ text: String) {
        for character in text { _ = Wizard.reduce(&state, .keyPressed(.character(character))) }
        _ = Wizard.reduce(&state, .typingPaused)
    }

    /// Sends an event and returns its effects, for a test that checks them itself.
    package mutating func reduce(_ event: Wizard.Event) -> [Wizard.Effect] {
        Wizard.reduce(&state, event)
    }

    /// Sends an event without checking, for setting up a later step.
    package mutating func skip(_ event: Wizard.Event) {
        _ = Wizard.reduce(&state, event)
    }
}
