/// Step 3: the review page; nothing is sent before Enter here.
extension Wizard {
    /// What to do about accounts the user already has on the auth config.
    package enum ExistingChoice: Equatable, Sendable {
        /// Keep them and connect one more.
        case addAnother
        /// Delete them once the new account is ACTIVE (never before).
        case replace
        /// Give the newest of them the values entered, in place: it keeps its id, nothing is
        /// created or deleted.
        case update

        /// What an invite lets its session do with existing accounts (`invite create
        /// --existing`): `add` only adds; `update` may also change the newest in place;
        /// `replace` may also delete them. Each level allows the ones before it.
        package static func allowed(upTo policy: ExistingChoice) -> Set<ExistingChoice> {
            switch policy {
            case .addAnother: [.addAnother]
            case .update: [.addAnother, .update]
            case .replace: [.addAnother, .update, .replace]
            }
        }
    }

    /// Step 3: everything about to be sent, secrets masked, and the user's existing accounts.
    package struct Review: Equatable, Sendable {
        package var form: Credentials
        /// Ask the server to check the credentials (API_KEY only).
        package var validateCredentials: Bool
        /// The user's accounts on this auth config already.
        package var existing: Loadable<[ConnectedAccount]>
        /// Required before connecting when `existing` is not empty.
        package var choice: ExistingChoice?
        /// Enter was pressed while the existing accounts were still loading: connect as soon
        /// as they are in, if none stand in the way.
        package var connectRequested: Bool
        /// The choices this run may make (a gateway session: what its invite allows).
        package var allowed: Set<ExistingChoice>

        package init(
            form: Credentials, validateCredentials: Bool = false, existing: Loadable<[ConnectedAccount]> = .idle,
            choice: ExistingChoice? = nil, connectRequested: Bool = false, allowed: Set<ExistingChoice> = [.addAnother, .update, .replace]
        ) {
            self.allowed = allowed
            self.form = form
            self.validateCredentials = validateCredentials
            self.existing = existing
            self.choice = choice
            self.connectRequested = connectRequested
        }

        /// Redirect-based schemes connect through a hosted link instead of sent credentials.
        package var isLink: Bool { form.config.authScheme?.isRedirectBased ?? false }

        /// For an OAuth config: an enabled BEARER_TOKEN config on the same toolkit, through which
        /// an existing access token can be imported instead of approving a link.
        package var bearerAlternative: AuthConfigSummary? {
            guard isLink else { return nil }
            return form.list.configs.value?.first {
                $0.toolkitSlug == form.config.toolkitSlug && $0.authScheme == .bearerToken && $0.isEnabled && $0.id != form.config.id
            }
        }

        /// The account "update its credentials" would change: the user's newest one, when the
        /// scheme takes new credentials in place.
        package var updatableAccount: ConnectedAccount? {
            guard form.config.authScheme?.takesCredentialsInPlace == true else { return nil }
            return existing.value?.first
        }

        /// Whether Enter may connect now.
        package var canConnect: Bool {
            switch existing {
            case .idle, .failed: true
            case .loading: false
            case .loaded(let accounts): accounts.isEmpty || choice != nil
            }
        }
    }

    /// Sends the create request, or asks for a hosted link for redirect-based schemes.
    static func connect(_ review: Review) -> Transition {
        let connecting = Step.connecting(Connecting(review: review))
        if review.isLink {
            return .go(connecting, [.createLink(authConfigId: review.form.config.id, userId: review.form.userId.text.trimmingCharacters(in: .whitespaces))])
        }
        let request = review.form.connectionRequest(validateCredentials: review.validateCredentials)
        if review.choice == .update, let account = review.updatableAccount {
            return .go(connecting, [.updateConnection(id: account.id, request)])
        }
        return .go(connecting, [.createConnection(request)])
    }
}

extension Wizard.Review {
    /// What a person can want on the review page.
    package enum Intent: Equatable, Sendable {
        /// Send it (or wait for the existing accounts, then send it if none stand in the way).
        case connect
        /// Decide what happens to the user's existing accounts.
        case decide(Wizard.ExistingChoice)
        /// Ask the server to check the credentials first, or not.
        case toggleValidation
        /// Back to the form, values kept.
        case edit
        case quit
    }

    package var keyMap: [Wizard.Binding] {
        let enter = isLink ? "create link" : choice == .update ? "update" : "connect"
        var keys = [Wizard.Binding([.enter], enter, .review(.connect), shown: canConnect)]
        if !(existing.value ?? []).isEmpty {
            if allowed.contains(.addAnother) { keys.append(Wizard.Binding([.character("a")], "add another", .review(.decide(.addAnother)))) }
            if allowed.contains(.replace) { keys.append(Wizard.Binding([.character("x")], "replace", .review(.decide(.replace)))) }
        }
        if updatableAccount != nil, allowed.contains(.update) { keys.append(Wizard.Binding([.character("u")], "update it", .review(.decide(.update)))) }
        if offersValidation { keys.append(Wizard.Binding([.character("v")], "validate on/off", .review(.toggleValidation))) }
        keys.append(Wizard.Binding([.escape, .backTab], "edit", .review(.edit)))
        keys.append(Wizard.Binding([.character("q")], "quit", .review(.quit)))
        return keys
    }

    /// The user's accounts on the config came back; an Enter that waited for them connects now
    /// if none stand in the way.
    mutating func accountsLoaded(_ result: Result<[ConnectedAccount], ServiceFailure>) -> Wizard.Transition {
        guard existing == .loading else { return .stay() }
        switch result {
        case .success(let accounts): existing = .loaded(accounts)
        case .failure(let failure): existing = .failed(failure)
        }
        let connectNow = connectRequested && canConnect && existing.value?.isEmpty == true
        connectRequested = false
        return connectNow ? Wizard.connect(self) : .stay()
    }

    mutating func perform(_ intent: Intent) -> Wizard.Transition {
        switch intent {
        case .connect:
            guard canConnect else {
                if existing == .loading { connectRequested = true }
                return .stay()
            }
            return Wizard.connect(self)
        case .decide(let decision):
            // Only what the run allows: a locked session's invite may forbid updating or replacing.
            let possible = decision == .update ? updatableAccount != nil : !(existing.value ?? []).isEmpty
            if possible, allowed.contains(decision) { choice = decision }
        case .toggleValidation:
            if offersValidation { validateCredentials.toggle() }
        case .edit:
            return .go(.credentials(form))
        case .quit:
            return .finish(1)
        }
        return .stay()
    }

    /// The server can check credentials before answering only for API-key schemes.
    package var offersValidation: Bool { form.config.authScheme == .apiKey }
}
