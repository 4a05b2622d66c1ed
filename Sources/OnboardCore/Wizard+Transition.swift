/// How a page's rule changes the wizard: the page decides, `apply` carries it out, and the
/// `on<Page>` helpers route an event or intent to the page showing.
extension Wizard {
    /// What a page's rule decided: stay (as the rule left the page) with effects, go to another
    /// step, or end the wizard. ``apply(_:to:staying:)`` is the one place a page is written back.
    package struct Transition: Equatable, Sendable {
        enum Destination: Equatable, Sendable {
            case stay
            case go(Step)
            case finish(exitCode: Int32)
        }

        var destination: Destination
        var effects: [Effect]

        static func stay(_ effects: [Effect] = []) -> Transition { Transition(destination: .stay, effects: effects) }
        static func go(_ step: Step, _ effects: [Effect] = []) -> Transition { Transition(destination: .go(step), effects: effects) }
        static func finish(_ exitCode: Int32) -> Transition { Transition(destination: .finish(exitCode: exitCode), effects: []) }
    }

    /// Carries out a transition; `page` is the page as its rule left it.
    static func apply(_ transition: Transition, to state: inout State, staying page: @autoclosure () -> Step) -> [Effect] {
        switch transition.destination {
        case .stay: state.step = page()
        case .go(let step): state.step = step
        case .finish(let exitCode): return finish(&state, exitCode: exitCode)
        }
        return transition.effects
    }

    /// Hands an intent to the page showing; an intent for another page does nothing.
    static func perform(_ state: inout State, _ intent: Intent) -> [Effect] {
        guard intent != .interrupt else { return interrupt(&state) }
        state.quitArmed = false
        let context = state
        switch intent {
        case .keyPrompt(let intent): return onKeyPrompt(&state) { $0.perform(intent) }
        case .configList(let intent): return onConfigList(&state) { $0.perform(intent, in: context) }
        case .credentials(let intent): return onCredentials(&state) { $0.perform(intent, in: context) }
        case .review(let intent): return onReview(&state) { $0.perform(intent) }
        case .outcome(let intent): return onOutcome(&state) { $0.perform(intent, in: context) }
        case .unsupportedScheme(let intent):
            guard case .unsupportedScheme(let page) = state.step else { return [] }
            return apply(page.perform(intent, in: context), to: &state, staying: .unsupportedScheme(page))
        case .interrupt: return []  // taken above, before the arming is cleared
        case .askForHelp, .dismissNote: return assistanceIntent(&state, intent)
        }
    }

    /// Runs `rule` on the page `extract` finds showing (nothing when another shows) and carries
    /// out its transition; `embed` puts the page back as a step when it stays.
    private static func on<Page>(
        _ state: inout State, _ extract: (Step) -> Page?, _ embed: (Page) -> Step, _ rule: (inout Page) -> Transition
    ) -> [Effect] {
        guard var page = extract(state.step) else { return [] }
        let transition = rule(&page)
        return apply(transition, to: &state, staying: embed(page))
    }

    static func onConfigList(_ state: inout State, _ rule: (inout ConfigList) -> Transition) -> [Effect] {
        on(&state, { if case .configList(let page) = $0 { page } else { nil } }, Step.configList, rule)
    }

    static func onCredentials(_ state: inout State, _ rule: (inout Credentials) -> Transition) -> [Effect] {
        on(&state, { if case .credentials(let page) = $0 { page } else { nil } }, Step.credentials, rule)
    }

    static func onReview(_ state: inout State, _ rule: (inout Review) -> Transition) -> [Effect] {
        on(&state, { if case .review(let page) = $0 { page } else { nil } }, Step.review, rule)
    }

    static func onConnecting(_ state: inout State, _ rule: (inout Connecting) -> Transition) -> [Effect] {
        on(&state, { if case .connecting(let page) = $0 { page } else { nil } }, Step.connecting, rule)
    }

    static func onOutcome(_ state: inout State, _ rule: (inout Outcome) -> Transition) -> [Effect] {
        on(&state, { if case .outcome(let page) = $0 { page } else { nil } }, Step.outcome, rule)
    }
}
