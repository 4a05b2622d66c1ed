extension Wizard {
    /// Step 1: the filterable list of auth configs.
    public struct ConfigList: Equatable, Sendable {
        /// Everything loaded so far; later pages are appended as the person scrolls or filters.
        public var configs: Loadable<[AuthConfigSummary]>
        /// The cursor of the next page, not asked for yet: pages are fetched only when the
        /// highlight comes near the end of what is loaded, so a project with thousands of
        /// configs costs one request to open.
        public var nextCursor: String?
        /// The cursor of a page asked for and still on its way.
        public var pendingCursor: String?
        /// How many configs the project has in all, as the server last said.
        public var totalItems: Int?
        /// Why a later page did not load; the rows already here stay usable.
        public var pageFailure: ServiceFailure?
        /// Something to tell about the list (e.g. a preset auth config that was not found).
        public var notice: String?
        /// Whether disabled configs are listed too (Ctrl-D); they cannot be chosen.
        public var showDisabled: Bool
        public var filter: TextInput
        /// Index into ``visible`` of the highlighted row.
        public var highlighted: Int

        public init(configs: Loadable<[AuthConfigSummary]> = .idle, filter: TextInput = TextInput(), highlighted: Int = 0, showDisabled: Bool = false) {
            self.showDisabled = showDisabled
            self.configs = configs
            self.nextCursor = nil
            self.pendingCursor = nil
            self.totalItems = nil
            self.pageFailure = nil
            self.notice = nil
            self.filter = filter
            self.highlighted = highlighted
        }

        /// The configs that match the filter, in server order.
        public var visible: [AuthConfigSummary] {
            visibleRows(0..<Int.max)
        }

        /// How many configs match the filter; counts without copying (10,000 rows per keystroke).
        public var visibleCount: Int {
            let needle = AuthConfigSummary.needle(filter.text)
            let all = configs.value ?? []
            return needle.isEmpty ? all.count : all.reduce(0) { $0 + ($1.matches(needle: needle) ? 1 : 0) }
        }

        /// The matching configs at positions `range` (what a screen shows), stopping once past it.
        public func visibleRows(_ range: Range<Int>) -> [AuthConfigSummary] {
            let all = configs.value ?? []
            let needle = AuthConfigSummary.needle(filter.text)
            if needle.isEmpty { return Array(all[min(range.lowerBound, all.count)..<min(range.upperBound, all.count)]) }
            var rows: [AuthConfigSummary] = []
            var position = 0
            for config in all where config.matches(needle: needle) {
                if position >= range.upperBound { break }
                if position >= range.lowerBound { rows.append(config) }
                position += 1
            }
            return rows
        }

        /// Whether pages remain on the server, asked for or not.
        public var hasMore: Bool { nextCursor != nil || pendingCursor != nil }

        /// The highlighted config, if any row is visible.
        public var selection: AuthConfigSummary? {
            guard highlighted >= 0 else { return nil }
            return visibleRows(highlighted..<highlighted + 1).first
        }
    }

    /// One input of the credentials form, with the field it is for.
    public struct FieldEntry: Equatable, Sendable {
        public var field: CredentialField
        public var input: FieldInput
        /// What is wrong with the value, shown under the field once the person tried to go on.
        public var problem: String?

        public init(field: CredentialField) {
            self.field = field
            let initial = field.defaultValue ?? ""
            self.input = field.isSecret ? .secret(SecretInput(Secret(initial), keepsLineBreaks: field.isMultiline)) : .text(TextInput(initial))
            self.problem = nil
        }

        /// A path typed as `@path` into a multi-line field: the file to read the value from.
        public var filePath: String? {
            guard field.isMultiline else { return nil }
            return value.withRevealedValue { text in
                text.hasPrefix("@") && text.count > 1 && !text.contains("\n") ? String(text.dropFirst()) : nil
            }
        }

        /// The value as it will be sent: trimmed of surrounding white space.
        public var value: Secret {
            switch input {
            case .text(let text): Secret(text.text.trimmingCharacters(in: .whitespaces))
            case .secret(let secret): secret.value.withRevealedValue { Secret($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
            }
        }
    }

    /// A plain or a masked input.
    public enum FieldInput: Equatable, Sendable {
        case text(TextInput)
        case secret(SecretInput)
    }

    /// Step 2: the user id and one input per field the scheme needs.
    public struct CredentialsForm: Equatable, Sendable {
        public var config: AuthConfigSummary
        public var userId: TextInput
        public var userIdProblem: String?
        /// The fields, once the toolkit answered.
        public var entries: Loadable<[FieldEntry]>
        /// 0 is the user id; 1... are `entries`.
        public var focus: Int
        /// The list this config was chosen from, restored as it was on the way back.
        public var list: ConfigList

        public init(config: AuthConfigSummary, userId: String, list: ConfigList, entries: Loadable<[FieldEntry]> = .loading) {
            self.config = config
            self.list = list
            self.userId = TextInput(userId)
            self.userIdProblem = nil
            self.entries = entries
            self.focus = 0
        }

        /// How many inputs the form has (user id included).
        public var inputCount: Int { 1 + (entries.value?.count ?? 0) }
    }

    /// What to do about accounts the user already has on the auth config.
    public enum ExistingChoice: Equatable, Sendable {
        /// Keep them and connect one more.
        case addAnother
        /// Delete them once the new account is ACTIVE (never before).
        case replace
        /// Give the newest of them the values entered, in place: it keeps its id, nothing is
        /// created or deleted.
        case update
    }

    /// Step 3: everything about to be sent, secrets masked, and the user's existing accounts.
    public struct Review: Equatable, Sendable {
        public var form: CredentialsForm
        /// Ask the server to check the credentials (API_KEY only).
        public var validateCredentials: Bool
        /// The user's accounts on this auth config already.
        public var existing: Loadable<[ConnectedAccount]>
        /// Required before connecting when `existing` is not empty.
        public var choice: ExistingChoice?
        /// Enter was pressed while the existing accounts were still loading: connect as soon
        /// as they are in, if none stand in the way.
        public var connectRequested: Bool

        public init(
            form: CredentialsForm, validateCredentials: Bool = false, existing: Loadable<[ConnectedAccount]> = .idle,
            choice: ExistingChoice? = nil, connectRequested: Bool = false
        ) {
            self.form = form
            self.validateCredentials = validateCredentials
            self.existing = existing
            self.choice = choice
            self.connectRequested = connectRequested
        }

        /// Redirect-based schemes connect through a hosted link instead of sent credentials.
        public var isLink: Bool { form.config.authScheme?.isRedirectBased ?? false }

        /// For an OAuth config: an enabled BEARER_TOKEN config on the same toolkit, through which
        /// an existing access token can be imported instead of approving a link.
        public var bearerAlternative: AuthConfigSummary? {
            guard isLink else { return nil }
            return form.list.configs.value?.first {
                $0.toolkitSlug == form.config.toolkitSlug && $0.authScheme == .bearerToken && $0.isEnabled && $0.id != form.config.id
            }
        }

        /// The account "update its credentials" would change: the user's newest one, when the
        /// scheme takes new credentials in place.
        public var updatableAccount: ConnectedAccount? {
            guard form.config.authScheme?.takesCredentialsInPlace == true else { return nil }
            return existing.value?.first
        }

        /// Whether Enter may connect now.
        public var canConnect: Bool {
            switch existing {
            case .idle, .failed: true
            case .loading: false
            case .loaded(let accounts): accounts.isEmpty || choice != nil
            }
        }
    }

    /// Step 4 in progress: created or being created (or a link waiting for its person),
    /// polled until settled.
    public struct Connecting: Equatable, Sendable {
        public var review: Review
        /// Known once the create call (or the link) answered.
        public var account: ConnectedAccount?
        /// The hosted link, for redirect-based schemes.
        public var link: HostedLink?
        public var pollsLeft: Int

        public init(review: Review, account: ConnectedAccount? = nil, link: HostedLink? = nil, pollsLeft: Int? = nil) {
            self.review = review
            self.account = account
            self.link = link
            self.pollsLeft = pollsLeft ?? (review.isLink ? Wizard.maximumLinkPolls : Wizard.maximumPolls)
        }
    }

    /// Step 4 finished: an account in a settled status, or the failure that stopped it.
    public struct Outcome: Equatable, Sendable {
        public enum Result: Equatable, Sendable {
            /// The account settled; ACTIVE is success, anything else says why not.
            case settled(ConnectedAccount)
            /// Polling stopped before the account settled.
            case timedOut(ConnectedAccount)
            /// The service refused or could not be reached.
            case failed(ServiceFailure)
        }

        public var review: Review
        public var result: Result
        /// Old accounts being deleted after this one became ACTIVE (`.idle` when not replacing).
        public var replacement: Loadable<[String]>

        public init(review: Review, result: Result, replacement: Loadable<[String]> = .idle) {
            self.review = review
            self.result = result
            self.replacement = replacement
        }

        /// The account is ACTIVE.
        public var succeeded: Bool {
            if case .settled(let account) = result { return account.status == .active }
            return false
        }
    }

    /// A config the wizard cannot fill in from the keyboard (redirect-based OAuth).
    public struct UnsupportedScheme: Equatable, Sendable {
        public var config: AuthConfigSummary
        /// The list to go back to, as it was.
        public var list: ConfigList

        public init(config: AuthConfigSummary, list: ConfigList) {
            self.config = config
            self.list = list
        }
    }
}
