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
        if !key.isTyping { form.settleSecretCounts() }
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
            if let entry = form.focusedEntry, let path = entry.filePath {
                return [.readSecretFile(field: entry.field.name, path: path)]
            }
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
            // Locked, the user id is the invite's: shown, never edited.
            if state.locked, form.focus == 0 { return [] }
            form.editFocused {
                $0.apply(key)
            } secret: {
                $0.apply(key)
            }
        }
        return []
    }

    /// A file named with `@path` was read into its field; focus moves on as Enter would.
    static func secretFileRead(_ state: inout State, field: String, _ result: Result<Secret, ServiceFailure>) -> [Effect] {
        guard case .credentials(var form) = state.step, var entries = form.entries.value,
            let index = entries.firstIndex(where: { $0.field.name == field }), case .secret(var input) = entries[index].input
        else { return [] }
        switch result {
        case .success(let content):
            input.replace(with: content)
            entries[index].input = .secret(input)
            entries[index].problem = nil
            form.entries = .loaded(entries)
            // The Enter that asked for the file now goes on as Enter does: check, next, or review.
            if form.focus == index + 1 {
                state.step = .credentials(form)
                return credentialsKey(&state, &form, .enter)
            }
        case .failure(let failure):
            entries[index].problem = failure.message
            form.entries = .loaded(entries)
        }
        state.step = .credentials(form)
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
    /// Shows every masked field's current length (typing paused, or a key other than typing).
    mutating func settleSecretCounts() {
        guard var entries = entries.value else { return }
        for index in entries.indices {
            if case .secret(var input) = entries[index].input, input.shownCount != input.count {
                input.settle()
                entries[index].input = .secret(input)
            }
        }
        self.entries = .loaded(entries)
    }

    /// The focused field's entry (nil on the user id).
    var focusedEntry: Wizard.FieldEntry? {
        guard focus > 0, let entries = entries.value, entries.indices.contains(focus - 1) else { return nil }
        return entries[focus - 1]
    }

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

    /// Shows `message` under the focused input without changing its value.
    mutating func reportOnFocused(_ message: String) {
        if focus == 0 {
            userIdProblem = message
            return
        }
        guard var entries = entries.value, entries.indices.contains(focus - 1) else { return }
        entries[focus - 1].problem = message
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
        entries[focus - 1].problem =
            Validation.problem(field: entry.field, value: entry.value)
            ?? entry.value.withRevealedValue { entry.field.jsonProblem($0) }
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
