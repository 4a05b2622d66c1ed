/// Step 2: the user id and the toolkit's fields.
extension Wizard {
    static func credentialsKey(_ state: inout State, _ form: inout CredentialsForm, _ key: Key) -> [Effect] {
        switch form.entries {
        case .idle, .loading:
            if key == .escape { return showList(&state, form.list) }
            return []
        case .failed:
            switch key {
            case .escape: return showList(&state, form.list)
            case .character("r"), .control("r"), .enter:
                form.entries = .loading
                state.step = .credentials(form)
                return loadFields(for: form.config)
            default: return []
            }
        case .loaded:
            break
        }
        defer { if case .credentials = state.step { state.step = .credentials(form) } }
        switch key {
        case .escape:
            return showList(&state, form.list)
        case .tab, .down:
            form.focus = min(form.inputCount - 1, form.focus + 1)
        case .backTab, .up:
            form.focus = max(0, form.focus - 1)
        case .control("r"):
            form.editFocused { _ in
            } secret: {
                $0.isRevealed.toggle()
            }
        case .enter:
            guard form.checkFocused() else { return [] }
            if form.focus < form.inputCount - 1 {
                form.focus += 1
                return []
            }
            guard form.checkAll() else { return [] }
            let userId = form.userId.text.trimmingCharacters(in: .whitespaces)
            state.step = .review(Review(form: form, existing: .loading))
            return [.loadExistingAccounts(userId: userId, authConfigId: form.config.id)]
        default:
            form.editFocused {
                $0.apply(key)
            } secret: {
                $0.apply(key)
            }
        }
        return []
    }

    static func loadFields(for config: AuthConfigSummary) -> [Effect] {
        guard let scheme = config.authScheme else { return [] }
        return [.loadFields(toolkit: config.toolkitSlug, scheme: scheme)]
    }

    static func fieldsLoaded(_ state: inout State, _ result: Result<[CredentialField], ServiceFailure>) -> [Effect] {
        guard case .credentials(var form) = state.step, form.entries == .loading else { return [] }
        switch result {
        case .success(let fields):
            let entries =
                fields
                .filter { !form.config.sharedFieldNames.contains($0.name) }
                .map(FieldEntry.init(field:))
            form.entries = .loaded(entries)
            let userIdGiven = state.presetUserId.map { Validation.problem(userId: $0) == nil } ?? false
            form.focus = userIdGiven && !entries.isEmpty ? 1 : 0
        case .failure(let failure):
            form.entries = .failed(failure)
        }
        state.step = .credentials(form)
        return []
    }
}

extension Wizard.CredentialsForm {
    /// Edits whichever input has focus; editing clears that input's problem.
    mutating func editFocused(text: (inout TextInput) -> Void, secret: (inout SecretInput) -> Void) {
        if focus == 0 {
            text(&userId)
            userIdProblem = nil
            return
        }
        guard var entries = entries.value, entries.indices.contains(focus - 1) else { return }
        switch entries[focus - 1].input {
        case .text(var input):
            text(&input)
            entries[focus - 1].input = .text(input)
        case .secret(var input):
            secret(&input)
            entries[focus - 1].input = .secret(input)
        }
        entries[focus - 1].problem = nil
        self.entries = .loaded(entries)
    }

    /// Validates the focused input; false (with the problem recorded) when it cannot be used.
    mutating func checkFocused() -> Bool {
        if focus == 0 {
            userIdProblem = Validation.problem(userId: userId.text)
            return userIdProblem == nil
        }
        guard var entries = entries.value, entries.indices.contains(focus - 1) else { return true }
        let entry = entries[focus - 1]
        entries[focus - 1].problem = Validation.problem(field: entry.field, value: entry.value)
        self.entries = .loaded(entries)
        return entries[focus - 1].problem == nil
    }

    /// Validates every input and focuses the first one with a problem.
    mutating func checkAll() -> Bool {
        for index in 0..<inputCount {
            focus = index
            if !checkFocused() { return false }
        }
        return true
    }

    /// The request these inputs make.
    func connectionRequest(validateCredentials: Bool) -> ConnectionRequest {
        var values: [String: Secret] = [:]
        for entry in entries.value ?? [] where !entry.value.isEmpty {
            values[entry.field.name] = entry.value
        }
        return ConnectionRequest(
            authConfigId: config.id,
            userId: userId.text.trimmingCharacters(in: .whitespaces),
            authScheme: config.authScheme ?? .apiKey,
            values: values,
            validateCredentials: validateCredentials
        )
    }
}
