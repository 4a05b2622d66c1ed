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
        case .list(let intent): return onList(&state) { $0.perform(intent, in: context) }
        case .form(let intent): return onForm(&state) { $0.perform(intent, in: context) }
        case .review(let intent): return onReview(&state) { $0.perform(intent) }
        case .outcome(let intent): return onOutcome(&state) { $0.perform(intent, in: context) }
        case .unsupported(let intent):
            guard case .unsupportedScheme(let page) = state.step else { return [] }
            return apply(page.perform(intent, in: context), to: &state, staying: .unsupportedScheme(page))
        case .interrupt: return []  // taken above, before the arming is cleared
        }
    }

    /// Runs `rule` on the list if it is showing (nothing otherwise) and carries out its transition.
    static func onList(_ state: inout State, _ rule: (inout ConfigList) -> Transition) -> [Effect] {
        guard case .chooseConfig(var page) = state.step else { return [] }
        let transition = rule(&page)
        return apply(transition, to: &state, staying: .chooseConfig(page))
    }

    /// Runs `rule` on the form if it is showing.
    static func onForm(_ state: inout State, _ rule: (inout CredentialsForm) -> Transition) -> [Effect] {
        guard case .credentials(var page) = state.step else { return [] }
        let transition = rule(&page)
        return apply(transition, to: &state, staying: .credentials(page))
    }

    /// Runs `rule` on the review page if it is showing.
    static func onReview(_ state: inout State, _ rule: (inout Review) -> Transition) -> [Effect] {
        guard case .review(var page) = state.step else { return [] }
        let transition = rule(&page)
        return apply(transition, to: &state, staying: .review(page))
    }

    /// Runs `rule` on the connecting page if it is showing.
    static func onConnecting(_ state: inout State, _ rule: (inout Connecting) -> Transition) -> [Effect] {
        guard case .connecting(var page) = state.step else { return [] }
        let transition = rule(&page)
        return apply(transition, to: &state, staying: .connecting(page))
    }

    /// Runs `rule` on the last page if it is showing.
    static func onOutcome(_ state: inout State, _ rule: (inout Outcome) -> Transition) -> [Effect] {
        guard case .done(var page) = state.step else { return [] }
        let transition = rule(&page)
        return apply(transition, to: &state, staying: .done(page))
    }
}
