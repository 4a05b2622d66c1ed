/// Step 1: loading, filtering and choosing an auth config.
extension Wizard {
    /// How far Page Up / Page Down move the highlight.
    static let pageJump = 10

    static func chooseConfigKey(_ state: inout State, _ list: inout ConfigList, _ key: Key) -> [Effect] {
        // Keys that leave the list set another step; every other key edits the list in place.
        defer { if case .chooseConfig = state.step { state.step = .chooseConfig(list) } }
        let count = list.visible.count
        switch key {
        case .up, .control("p"):
            list.highlighted = max(0, list.highlighted - 1)
        case .down, .control("n"):
            list.highlighted = max(0, min(count - 1, list.highlighted + 1))
        case .pageUp:
            list.highlighted = max(0, list.highlighted - pageJump)
        case .pageDown:
            list.highlighted = max(0, min(count - 1, list.highlighted + pageJump))
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
        return []
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

    /// Returns to the list as it was, resuming paging if a page was still owed.
    static func showList(_ state: inout State, _ list: ConfigList) -> [Effect] {
        state.step = .chooseConfig(list)
        if let cursor = list.pendingCursor { return [.loadAuthConfigs(cursor: cursor, showDisabled: list.showDisabled)] }
        if list.configs == .loading { return [.loadAuthConfigs(cursor: nil, showDisabled: list.showDisabled)] }
        return []
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
            list.pendingCursor = page.nextCursor
            list.pageFailure = nil
            if let preset = state.presetAuthConfigId {
                if let config = page.items.first(where: { $0.id == preset }) {
                    state.presetAuthConfigId = nil
                    list.pendingCursor = nil
                    state.step = .chooseConfig(list)
                    return choose(&state, config, from: list)
                }
                if page.nextCursor == nil {
                    state.presetAuthConfigId = nil
                    list.notice = "No enabled auth config has the id \(preset); choose one below."
                }
            }
            if let next = page.nextCursor { return [.loadAuthConfigs(cursor: next, showDisabled: list.showDisabled)] }
        case .failure(let failure):
            if cursor == nil {
                list.configs = .failed(failure)
            } else {
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
