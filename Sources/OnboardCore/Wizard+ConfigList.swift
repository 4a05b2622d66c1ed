/// Step 1: loading, filtering and choosing an auth config.
extension Wizard {
    /// Step 1: the filterable list of auth configs.
    package struct ConfigList: Equatable, Sendable {
        /// Everything loaded so far; later pages are appended as the person scrolls or filters.
        package var configs: Loadable<[AuthConfigSummary]>
        /// The cursor of the next page, not asked for yet: pages are fetched only when the
        /// highlight comes near the end of what is loaded, so a project with thousands of
        /// configs costs one request to open.
        package var nextCursor: String?
        /// The cursor of a page asked for and still on its way.
        package var pendingCursor: String?
        /// How many configs the project has in all, as the server last said.
        package var totalItems: Int?
        /// Why a later page did not load; the rows already here stay usable.
        package var pageFailure: ServiceFailure?
        /// Something to tell about the list (e.g. a preset auth config that was not found).
        package var notice: String?
        /// Whether disabled configs are listed too (Ctrl-D); they cannot be chosen.
        package var showDisabled: Bool
        package var filter: TextInput
        /// Index into ``visible`` of the highlighted row.
        package var highlighted: Int

        package init(configs: Loadable<[AuthConfigSummary]> = .idle, filter: TextInput = TextInput(), highlighted: Int = 0, showDisabled: Bool = false) {
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
        package var visible: [AuthConfigSummary] {
            visibleRows(0..<Int.max)
        }

        /// How many configs match the filter; counts without copying (10,000 rows per keystroke).
        package var visibleCount: Int {
            let needle = AuthConfigSummary.needle(filter.text)
            let all = configs.value ?? []
            return needle.isEmpty ? all.count : all.reduce(0) { $0 + ($1.matches(needle: needle) ? 1 : 0) }
        }

        /// The matching configs at positions `range` (what a screen shows), stopping once past it.
        package func visibleRows(_ range: Range<Int>) -> [AuthConfigSummary] {
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
        package var hasMore: Bool { nextCursor != nil || pendingCursor != nil }

        /// The highlighted config, if any row is visible.
        package var selection: AuthConfigSummary? {
            guard highlighted >= 0 else { return nil }
            return visibleRows(highlighted..<highlighted + 1).first
        }
    }

    /// How far Page Up / Page Down move the highlight.
    static let pageJump = 10

    /// The next page is fetched once the highlight is this close to the last matching row
    /// (a filter that matches little keeps fetching until enough rows match or none are left).
    static let rowsAhead = 20

    /// Asks for the next page when the highlight nears the end of the matching rows, or while
    /// a preset auth config has not been found yet; at most one page is in flight.
    static func loadMoreIfNeeded(_ state: State, _ list: inout ConfigList) -> [Effect] {
        guard let next = list.nextCursor, list.pendingCursor == nil, list.pageFailure == nil else { return [] }
        let nearEnd = list.visibleCount - list.highlighted <= rowsAhead
        guard nearEnd || state.presetAuthConfigId != nil else { return [] }
        list.nextCursor = nil
        list.pendingCursor = next
        return [.loadAuthConfigs(cursor: next, showDisabled: list.showDisabled)]
    }

    /// Moves on from the list to the config's fields (or explains why it cannot).
    static func choose(_ config: AuthConfigSummary, from list: ConfigList, in state: State) -> Transition {
        guard let scheme = config.authScheme else {
            return .go(.unsupportedScheme(UnsupportedScheme(config: config, list: list)))
        }
        let userId = state.presetUserId ?? defaultUserId
        if scheme.isRedirectBased {
            // Tokens cannot be imported: only the user id is asked; a hosted link does the rest.
            return .go(.credentials(Credentials(config: config, userId: userId, list: list, entries: .loaded([]))))
        }
        return .go(.credentials(Credentials(config: config, userId: userId, list: list)), [.loadFields(toolkit: config.toolkitSlug, scheme: scheme)])
    }

    /// Returns to the list as it was; a page that was on its way when the person left is
    /// asked for again (its answer was dropped while another step showed).
    static func backToList(_ list: ConfigList, in state: State) -> Transition {
        // Locked to one config, there is no list to go back to: leaving ends the session.
        if state.locked { return .finish(1) }
        var list = list
        if list.configs == .loading { return .go(.configList(list), [.loadAuthConfigs(cursor: nil, showDisabled: list.showDisabled)]) }
        if let cursor = list.pendingCursor {
            list.pendingCursor = nil
            list.nextCursor = cursor
        }
        let effects = loadMoreIfNeeded(state, &list)
        return .go(.configList(list), effects)
    }

    static func authConfigsLoaded(
        _ state: inout State, cursor: String?, _ result: Result<AuthConfigPage, ServiceFailure>
    ) -> [Effect] {
        guard case .configList(var list) = state.step else { return [] }
        let expected = cursor == nil ? list.configs == .loading : cursor == list.pendingCursor
        guard expected else { return [] }
        // A preset auth config moves on to its fields; otherwise the list is updated in place.
        defer { if case .configList = state.step { state.step = .configList(list) } }
        switch result {
        case .success(let page):
            list.configs = .loaded((list.configs.value ?? []) + page.items)
            list.pendingCursor = nil
            list.nextCursor = page.nextCursor
            list.totalItems = page.totalItems
            list.pageFailure = nil
            if let preset = state.presetAuthConfigId {
                if let config = page.items.first(where: { $0.id == preset }) {
                    if !state.locked { state.presetAuthConfigId = nil }
                    return apply(choose(config, from: list, in: state), to: &state, staying: .configList(list))
                }
                if page.nextCursor == nil, state.locked {
                    // Never the other configs: the invite names one, and it is gone.
                    list.configs = .failed(
                        ServiceFailure(
                            kind: .notFound,
                            message:
                                "The auth config this invite is for (\(preset)) is not available: it was deleted or disabled. Ask the person who sent the invite for a new one."
                        ))
                    return []
                }
                if page.nextCursor == nil {
                    state.presetAuthConfigId = nil
                    list.notice = "No enabled auth config has the id \(preset); choose one below."
                }
            }
            return loadMoreIfNeeded(state, &list)
        case .failure(let failure):
            if cursor == nil {
                list.configs = .failed(failure)
            } else {
                // The cursor is kept: Ctrl-R reloads from the start, and nothing is lost.
                list.nextCursor = list.pendingCursor
                list.pendingCursor = nil
                list.pageFailure = failure
            }
        }
        return []
    }
}

extension Wizard.ConfigList {
    /// What a person can want on the list.
    package enum Intent: Equatable, Sendable {
        /// Move the highlight by this many rows (negative is up).
        case move(by: Int)
        /// Choose the highlighted config.
        case chooseHighlighted
        /// Choose the config with this id (the plain mode's numbered answer).
        case choose(id: String)
        /// Replace the filter with this text (empty clears it).
        case setFilter(String)
        case clearFilter
        /// An editing key for the filter, which always has focus.
        case type(Key)
        /// List disabled configs too, or stop listing them.
        case toggleDisabled
        /// Load again: the page that failed, or the whole list.
        case reload
        case quit
    }

    /// The list's keys. Locked to an invite, the list is only the way to its config: nothing
    /// on it can be chosen.
    package func keyMap(locked: Bool) -> [Wizard.Binding] {
        let retry = Wizard.Binding([.character("r"), .control("r")], "retry", .configList(.reload))
        let quit = Wizard.Binding([.escape], "quit", .configList(.quit))
        // A failed list takes no typing, so q quits there as on the other pages.
        let quitFailed = Wizard.Binding([.escape, .character("q")], "quit", .configList(.quit))
        if locked { return configs.isFailed ? [retry, quitFailed] : [quit] }
        if configs.isFailed { return [retry, quitFailed] }
        let shown = configs.value != nil
        return [
            Wizard.Binding([.up, .control("p")], "move", .configList(.move(by: -1)), shown: shown, name: "↑↓"),
            Wizard.Binding([.down, .control("n")], "move", .configList(.move(by: 1)), shown: false),
            Wizard.Binding([.pageUp], "move", .configList(.move(by: -Wizard.pageJump)), shown: false),
            Wizard.Binding([.pageDown], "move", .configList(.move(by: Wizard.pageJump)), shown: false),
            Wizard.Binding([.enter], "choose", .configList(.chooseHighlighted), shown: shown),
            Wizard.Binding([], "filter", nil, shown: shown, name: "type"),
            Wizard.Binding([.control("d")], showDisabled ? "hide disabled" : "show disabled", .configList(.toggleDisabled), shown: shown),
            Wizard.Binding([.control("r")], "reload", .configList(.reload), shown: false),
            filter.text.isEmpty ? quit : Wizard.Binding([.escape], "clear filter", .configList(.clearFilter)),
        ]
    }

    /// Applies an intent; every change that stays on the list may fetch the next page.
    mutating func perform(_ intent: Intent, in state: Wizard.State) -> Wizard.Transition {
        switch intent {
        case .move(let rows):
            highlighted = max(0, min(visibleCount - 1, highlighted + rows))
        case .reload where state.locked:
            self = Wizard.ConfigList(configs: .loading)
            return .stay([.loadAuthConfigs(cursor: nil, showDisabled: false)])
        case .reload where pageFailure != nil && nextCursor != nil:
            // Only the page that failed is asked for again; the rows already here stay.
            pageFailure = nil
            pendingCursor = nextCursor
            nextCursor = nil
            return .stay([.loadAuthConfigs(cursor: pendingCursor, showDisabled: showDisabled)])
        case .reload:
            self = Wizard.ConfigList(configs: .loading, filter: filter, showDisabled: showDisabled)
            return .stay([.loadAuthConfigs(cursor: nil, showDisabled: showDisabled)])
        case .toggleDisabled:
            self = Wizard.ConfigList(configs: .loading, filter: filter, showDisabled: !showDisabled)
            return .stay([.loadAuthConfigs(cursor: nil, showDisabled: showDisabled)])
        case .quit:
            return .finish(1)
        case .clearFilter:
            filter.clear()
            highlighted = 0
        case .setFilter(let text):
            filter = TextInput()
            filter.insert(text)
            highlighted = 0
        case .type(.character("/")) where filter.text.isEmpty:
            // The filter always has focus; `/` is accepted as the usual "search" key, not text.
            break
        case .type(let key):
            let before = filter.text
            filter.apply(key)
            if filter.text != before { highlighted = 0 }
        case .chooseHighlighted:
            guard let config = selection else { return .stay() }
            return choose(config, in: state)
        case .choose(let id):
            guard let config = configs.value?.first(where: { $0.id == id }) else { return .stay() }
            return choose(config, in: state)
        }
        return .stay(Wizard.loadMoreIfNeeded(state, &self))
    }

    private mutating func choose(_ config: AuthConfigSummary, in state: Wizard.State) -> Wizard.Transition {
        guard config.isEnabled else {
            notice = "\(config.name) is disabled; enable it in the dashboard to connect accounts."
            return .stay()
        }
        return Wizard.choose(config, from: self, in: state)
    }
}

extension Loadable {
    /// Whether the last attempt failed.
    package var isFailed: Bool {
        if case .failed = self { return true }
        return false
    }
}
