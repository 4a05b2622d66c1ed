/// Step 1: loading, filtering and choosing an auth config.
extension Wizard {
    /// How far Page Up / Page Down move the highlight.
    static let pageJump = 10

    /// The next page is fetched once the highlight is this close to the last matching row
    /// (a filter that matches little keeps fetching until enough rows match or none are left).
    static let rowsAhead = 20

    static func chooseConfigKey(_ state: inout State, _ list: inout ConfigList, _ key: Key) -> [Effect] {
        // Keys that leave the list set another step; every other key edits the list in place.
        defer { if case .chooseConfig = state.step { state.step = .chooseConfig(list) } }
        if state.locked {
            // The list is only the way to the invite's config: nothing on it can be chosen.
            switch key {
            case .escape: return finish(&state, exitCode: 1)
            case .character("r") where list.configs.isFailed, .control("r") where list.configs.isFailed:
                list = ConfigList(configs: .loading)
                return [.loadAuthConfigs(cursor: nil, showDisabled: false)]
            default: return []
            }
        }
        let count = list.visibleCount
        switch key {
        case .up, .control("p"):
            list.highlighted = max(0, list.highlighted - 1)
        case .down, .control("n"):
            list.highlighted = max(0, min(count - 1, list.highlighted + 1))
        case .pageUp:
            list.highlighted = max(0, list.highlighted - pageJump)
        case .pageDown:
            list.highlighted = max(0, min(count - 1, list.highlighted + pageJump))
        case .control("r") where list.pageFailure != nil && list.nextCursor != nil:
            // Only the page that failed is asked for again; the rows already here stay.
            list.pageFailure = nil
            list.pendingCursor = list.nextCursor
            list.nextCursor = nil
            return [.loadAuthConfigs(cursor: list.pendingCursor, showDisabled: list.showDisabled)]
        case .control("r"):
            list = ConfigList(configs: .loading, filter: list.filter, showDisabled: list.showDisabled)
            return [.loadAuthConfigs(cursor: nil, showDisabled: list.showDisabled)]
        case .character("r") where list.configs.isFailed:
            list = ConfigList(configs: .loading, filter: list.filter, showDisabled: list.showDisabled)
            return [.loadAuthConfigs(cursor: nil, showDisabled: list.showDisabled)]
        case .control("d"):
            list = ConfigList(configs: .loading, filter: list.filter, showDisabled: !list.showDisabled)
            return [.loadAuthConfigs(cursor: nil, showDisabled: list.showDisabled)]
        case .escape:
            if list.filter.text.isEmpty { return finish(&state, exitCode: 1) }
            list.filter.clear()
            list.highlighted = 0
        case .character("/") where list.filter.text.isEmpty:
            // The filter always has focus; `/` is accepted as the usual "search" key, not text.
            break
        case .enter:
            guard let config = list.selection else { return [] }
            guard config.isEnabled else {
                list.notice = "\(config.name) is disabled; enable it in the dashboard to connect accounts."
                return []
            }
            return choose(&state, config, from: list)
        default:
            let before = list.filter.text
            list.filter.apply(key)
            if list.filter.text != before { list.highlighted = 0 }
        }
        return loadMoreIfNeeded(state, &list)
    }

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
    static func choose(_ state: inout State, _ config: AuthConfigSummary, from list: ConfigList) -> [Effect] {
        guard let scheme = config.authScheme else {
            state.step = .unsupportedScheme(UnsupportedScheme(config: config, list: list))
            return []
        }
        let userId = state.presetUserId ?? defaultUserId
        if scheme.isRedirectBased {
            // Tokens cannot be imported: only the user id is asked; a hosted link does the rest.
            state.step = .credentials(CredentialsForm(config: config, userId: userId, list: list, entries: .loaded([])))
            return []
        }
        state.step = .credentials(CredentialsForm(config: config, userId: userId, list: list))
        return [.loadFields(toolkit: config.toolkitSlug, scheme: scheme)]
    }

    /// Returns to the list as it was; a page that was on its way when the person left is
    /// asked for again (its answer was dropped while another step showed).
    static func showList(_ state: inout State, _ list: ConfigList) -> [Effect] {
        // Locked to one config, there is no list to go back to: leaving ends the session.
        if state.locked { return finish(&state, exitCode: 1) }
        var list = list
        defer { state.step = .chooseConfig(list) }
        if list.configs == .loading { return [.loadAuthConfigs(cursor: nil, showDisabled: list.showDisabled)] }
        if let cursor = list.pendingCursor {
            list.pendingCursor = nil
            list.nextCursor = cursor
        }
        return loadMoreIfNeeded(state, &list)
    }

    static func authConfigsLoaded(
        _ state: inout State, cursor: String?, _ result: Result<AuthConfigPage, ServiceFailure>
    ) -> [Effect] {
        guard case .chooseConfig(var list) = state.step else { return [] }
        let expected = cursor == nil ? list.configs == .loading : cursor == list.pendingCursor
        guard expected else { return [] }
        // A preset auth config moves on to its fields; otherwise the list is updated in place.
        defer { if case .chooseConfig = state.step { state.step = .chooseConfig(list) } }
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
                    state.step = .chooseConfig(list)
                    return choose(&state, config, from: list)
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

extension Loadable {
    /// Whether the last attempt failed.
    public var isFailed: Bool {
        if case .failed = self { return true }
        return false
    }
}
