/// Step 2: the user id and the toolkit's fields.
extension Wizard {
    /// One input of the credentials form, with the field it is for.
    package struct FieldEntry: Equatable, Sendable {
        package var field: CredentialField
        package var input: FieldInput
        /// What is wrong with the value, shown under the field once the person tried to go on.
        package var problem: String?

        package init(field: CredentialField) {
            self.field = field
            let initial = field.defaultValue ?? ""
            self.input = field.isSecret ? .secret(SecretInput(Secret(initial), keepsLineBreaks: field.isMultiline)) : .text(TextInput(initial))
            self.problem = nil
        }

        /// A path typed as `@path` into a multi-line field: the file to read the value from.
        package var filePath: String? {
            guard field.isMultiline else { return nil }
            return value.withRevealedValue { text in
                text.hasPrefix("@") && text.count > 1 && !text.contains("\n") ? String(text.dropFirst()) : nil
            }
        }

        /// The value as it will be sent: trimmed of surrounding white space.
        package var value: Secret {
            switch input {
            case .text(let text): Secret(text.text.trimmingCharacters(in: .whitespaces))
            case .secret(let secret): secret.value.withRevealedValue { Secret($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
            }
        }
    }

    /// A plain or a masked input.
    package enum FieldInput: Equatable, Sendable {
        case text(TextInput)
        case secret(SecretInput)
    }

    /// Step 2: the user id and one input per field the scheme needs.
    package struct Credentials: Equatable, Sendable {
        package var config: AuthConfigSummary
        package var userId: TextInput
        package var userIdProblem: String?
        /// The fields, once the toolkit answered.
        package var entries: Loadable<[FieldEntry]>
        /// 0 is the user id; 1... are `entries`.
        package var focus: Int
        /// The list this config was chosen from, restored as it was on the way back.
        package var list: ConfigList

        package init(config: AuthConfigSummary, userId: String, list: ConfigList, entries: Loadable<[FieldEntry]> = .loading) {
            self.config = config
            self.list = list
            self.userId = TextInput(userId)
            self.userIdProblem = nil
            self.entries = entries
            self.focus = 0
        }

        /// How many inputs the form has (user id included).
        package var inputCount: Int { 1 + (entries.value?.count ?? 0) }
    }

    static func loadFields(for config: AuthConfigSummary) -> [Effect] {
        guard let scheme = config.authScheme else { return [] }
        return [.loadFields(toolkit: config.toolkitSlug, scheme: scheme)]
    }
}

extension Wizard.Credentials {
    /// What a person can want on the form.
    package enum Intent: Equatable, Sendable {
        /// The next input (from the last, the first).
        case next
        /// The input before (from the first, the last).
        case previous
        /// Show or mask the focused secret.
        case reveal
        /// Enter: read an `@path` file, check the focused input and go on (to the next input,
        /// or to review from the last).
        case submit
        case back
        /// Ask for the fields again after they failed to load.
        case retry
        /// Replace the focused input's value (the plain mode's answer).
        case setValue(Secret)
        /// An editing key for the focused input.
        case type(Key)
    }

    /// The form's keys; locked to an invite, "back" would be the list of other configs, so it
    /// is "quit" instead.
    package func keyMap(locked: Bool) -> [Wizard.Binding] {
        let back = Wizard.Binding([.escape], locked ? "quit" : "back", .credentials(.back))
        switch entries {
        case .failed: return [Wizard.Binding([.character("r"), .control("r"), .enter], "retry", .credentials(.retry)), back]
        case .idle, .loading: return [back]
        case .loaded: break
        }
        var keys = [
            Wizard.Binding([.enter], focus == inputCount - 1 ? "review" : "next", .credentials(.submit)),
            Wizard.Binding([.tab, .down], "move", .credentials(.next)),
            Wizard.Binding([.backTab, .up], "move back", .credentials(.previous), shown: false),
        ]
        if focusedIsSecret { keys.append(Wizard.Binding([.control("r")], "reveal", .credentials(.reveal))) }
        keys.append(back)
        return keys
    }

    /// The toolkit's fields came back; focus starts on the first field when the user id is given.
    mutating func fieldsLoaded(_ result: Result<[CredentialField], ServiceFailure>, presetUserId: String?) -> Wizard.Transition {
        guard entries == .loading else { return .stay() }
        switch result {
        case .success(let fields):
            let loaded = fields.filter { !config.sharedFieldNames.contains($0.name) }.map(Wizard.FieldEntry.init(field:))
            entries = .loaded(loaded)
            let userIdGiven = presetUserId.map { Validation.problem(userId: $0) == nil } ?? false
            focus = userIdGiven && !loaded.isEmpty ? 1 : 0
        case .failure(let failure):
            entries = .failed(failure)
        }
        return .stay()
    }

    /// A file named with `@path` was read into its field; focus moves on as Enter would.
    mutating func fileRead(field: String, _ result: Result<Secret, ServiceFailure>, in state: Wizard.State) -> Wizard.Transition {
        guard var loaded = entries.value, let index = loaded.firstIndex(where: { $0.field.name == field }),
            case .secret(var input) = loaded[index].input
        else { return .stay() }
        switch result {
        case .success(let content):
            input.replace(with: content)
            loaded[index].input = .secret(input)
            loaded[index].problem = nil
            entries = .loaded(loaded)
            // The Enter that asked for the file now goes on as Enter does: check, next, or review.
            if focus == index + 1 { return perform(.submit, in: state) }
        case .failure(let failure):
            loaded[index].problem = failure.message
            entries = .loaded(loaded)
        }
        return .stay()
    }

    /// A paste goes, whole, into the focused input (never the user id of an invite).
    mutating func paste(_ text: String, locked: Bool) -> Wizard.Transition {
        if locked, focus == 0 { return .stay() }
        editFocused {
            $0.insert(text)
        } secret: {
            $0.insert(text)
        }
        return .stay()
    }

    mutating func perform(_ intent: Intent, in state: Wizard.State) -> Wizard.Transition {
        switch entries {
        case .idle, .loading:
            return intent == .back ? Wizard.backToList(list, in: state) : .stay()
        case .failed:
            switch intent {
            case .back: return Wizard.backToList(list, in: state)
            case .retry:
                entries = .loading
                return .stay(Wizard.loadFields(for: config))
            default: return .stay()
            }
        case .loaded:
            break
        }
        if case .type(let key) = intent, key.isTyping {
            // Masked lengths catch up when typing pauses, not on every key.
        } else {
            settleSecretCounts()
        }
        switch intent {
        case .back:
            return Wizard.backToList(list, in: state)
        case .next:
            // Round from the last input to the first, so "tab move" always moves.
            focus = (focus + 1) % inputCount
        case .previous:
            focus = (focus + inputCount - 1) % inputCount
        case .reveal:
            editFocused { _ in
            } secret: {
                $0.isRevealed.toggle()
            }
        case .submit:
            if let entry = focusedEntry, let path = entry.filePath {
                // Locked to an invite, the person at the keyboard is a stranger on the gateway's
                // machine: no file of it is theirs to read. Same words for every path, so nothing
                // says whether one exists.
                guard !state.locked else {
                    reportOnFocused(Self.noFilesHere)
                    return .stay()
                }
                return .stay([.readSecretFile(field: entry.field.name, path: path)])
            }
            guard checkFocused() else { return .stay() }
            if focus < inputCount - 1 {
                focus += 1
                return .stay()
            }
            guard checkAll() else { return .stay() }
            let userId = userId.text.trimmingCharacters(in: .whitespaces)
            return .go(
                .review(Wizard.Review(form: self, existing: .loading, allowed: state.existingAllowed)),
                [.loadExistingAccounts(userId: userId, authConfigId: config.id)])
        case .retry:
            break
        case .setValue(let value):
            // Locked, the user id is the invite's: shown, never edited.
            if state.locked, focus == 0 { return .stay() }
            value.withRevealedValue { text in
                editFocused {
                    $0.clear()
                    $0.insert(text)
                } secret: {
                    $0.clear()
                    $0.insert(text)
                }
            }
        case .type(let key):
            if state.locked, focus == 0 { return .stay() }
            editFocused {
                $0.apply(key)
            } secret: {
                $0.apply(key)
            }
        }
        return .stay()
    }
}

extension Wizard.Credentials {
    /// Why `@path` does nothing in a gateway session.
    package static let noFilesHere = "Files cannot be read in this session: paste the file's contents into the field instead."

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

    /// Whether the focused input is masked (the reveal key applies).
    package var focusedIsSecret: Bool {
        if case .secret = focusedEntry?.input { return true }
        return false
    }

    /// The focused field's entry (nil on the user id).
    package var focusedEntry: Wizard.FieldEntry? {
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
