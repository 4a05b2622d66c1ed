extension Wizard {
    /// Applies one event to the state and returns what the runtime must do next.
    ///
    /// Switches on the event first, then on the step; each step's rules are in its own file.
    package static func reduce(_ state: inout State, _ event: Event) -> [Effect] {
        switch event {
        case .started:
            // A key to ask for first: the list loads once it is accepted.
            if case .keyPrompt = state.step { return [] }
            state.step = .configList(ConfigList(configs: .loading))
            return [.loadSession, .loadAuthConfigs(cursor: nil)]
        case .keyChecked(let result):
            if case .success(let project) = result, case .keyPrompt(let prompt) = state.step, prompt.checking { state.project = project }
            return onKeyPrompt(&state) { $0.checked(result) }
        case .clockTicked(let now):
            state.now = now
            if let notice = state.retryNotice, notice.until <= now { state.retryNotice = nil }
            return []
        case .retryScheduled(let notice):
            state.retryNotice = notice
            return []
        case .sessionLoaded(let result):
            // A failure here shows where it matters: the list load fails the same way.
            if case .success(let project) = result { state.project = project }
            return []
        case .existingAccountsLoaded(let result):
            return onReview(&state) { $0.accountsLoaded(result) }
        case .linkCreated(let result):
            return onConnecting(&state) { $0.linkCreated(result) }
        case .accountsDeleted(let result):
            return onOutcome(&state) { $0.replaced(result) }
        case .secretFileRead(let field, let result):
            let context = state
            return onCredentials(&state) { $0.fileRead(field: field, result, in: context) }
        case .interrupted:
            return interrupt(&state)
        case .assistance(let event):
            return assistance(&state, event)
        case .keyPressed(let key):
            if holds(key, in: state) {
                hold(.key(key), in: &state)
                return []
            }
            // A bound key acting on a loading page (Esc) takes the person elsewhere: what they
            // typed ahead was for the page they left.
            if state.waitsForContent, key != interruptKey { state.typeAhead = [] }
            guard let intent = intent(for: key, in: state) else {
                state.quitArmed = false
                return []
            }
            return perform(&state, intent)
        case .intent(let intent):
            return perform(&state, intent)
        case .pasted(let text):
            state.quitArmed = false
            if state.waitsForContent {
                hold(.paste(text), in: &state)
                return []
            }
            return pasted(&state, text)
        case .pasteCutOff:
            return pasteCutOff(&state)
        case .tick:
            if state.isWaiting { state.spinnerFrame &+= 1 }
            return []
        case .typingPaused:
            if case .keyPrompt = state.step {
                return onKeyPrompt(&state) {
                    $0.input.settle()
                    return .stay()
                }
            }
            return onCredentials(&state) {
                $0.settleSecretCounts()
                return .stay()
            }
        case .authConfigsLoaded(let cursor, let result):
            let effects = authConfigsLoaded(&state, cursor: cursor, result)
            return effects + releaseTypeAhead(&state)
        case .fieldsLoaded(let result):
            let preset = state.presetUserId
            let effects = onCredentials(&state) { $0.fieldsLoaded(result, presetUserId: preset) }
            return effects + releaseTypeAhead(&state)
        case .connectionCreated(let result):
            return onConnecting(&state) { $0.created(result, updating: false) }
        case .connectionUpdated(let result):
            return onConnecting(&state) { $0.created(result, updating: true) }
        case .connectionPolled(let result):
            return onConnecting(&state) { $0.polled(result) }
        }
    }

    /// A paste goes, whole, into whatever input has focus.
    static func pasted(_ state: inout State, _ text: String) -> [Effect] {
        let locked = state.locked
        switch state.step {
        case .keyPrompt: return onKeyPrompt(&state) { $0.paste(text) }
        case .configList:
            return onConfigList(&state) {
                if locked { return .stay() }
                $0.filter.insert(text)
                $0.highlighted = 0
                return .stay()
            }
        case .credentials: return onCredentials(&state) { $0.paste(text, locked: locked) }
        case .review, .connecting, .outcome, .unsupportedScheme: return []
        }
    }

    /// A paste that did not arrive whole is not half-entered: the focused input says so and
    /// keeps what it had.
    static func pasteCutOff(_ state: inout State) -> [Effect] {
        let message = "That paste did not arrive whole (cut off, or over 1 MiB); nothing of it was kept. Paste again, or type @ and a file's path."
        switch state.step {
        case .keyPrompt:
            return onKeyPrompt(&state) {
                $0.problem = "That paste did not arrive whole; nothing of it was kept. Paste the key again."
                return .stay()
            }
        case .configList:
            return onConfigList(&state) {
                $0.notice = message
                return .stay()
            }
        case .credentials:
            return onCredentials(&state) {
                $0.reportOnFocused(message)
                return .stay()
            }
        case .review, .connecting, .outcome, .unsupportedScheme: return []
        }
    }

    /// First Ctrl-C arms, the second quits with 130, as shells and the best prompt tools do.
    static func interrupt(_ state: inout State) -> [Effect] {
        if state.quitArmed { return finish(&state, exitCode: 130) }
        state.quitArmed = true
        return []
    }

    /// Ends the wizard: the `.quit` effect is the one way out, taken by the runtime's loop.
    static func finish(_ state: inout State, exitCode: Int32) -> [Effect] {
        [.quit(exitCode: exitCode)]
    }
}

extension Wizard.State {
    /// Whether a request the person is waiting on is in flight (the spinner turns).
    package var isWaiting: Bool {
        switch step {
        case .keyPrompt(let prompt): prompt.checking
        case .configList(let list): list.configs == .loading || list.pendingCursor != nil
        case .credentials(let form): form.entries == .loading
        case .connecting: true
        case .review(let review): review.existing == .loading
        case .outcome(let outcome): outcome.replacement == .loading
        case .unsupportedScheme: false
        }
    }
}
