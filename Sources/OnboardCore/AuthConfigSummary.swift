/// What the wizard needs to know about one auth config to list it and connect through it.
public struct AuthConfigSummary: Equatable, Sendable, Identifiable {
    public var id: String
    public var name: String
    public var toolkitSlug: String
    public var authScheme: AuthScheme?
    public var isEnabled: Bool
    public var isComposioManaged: Bool
    public var connectionCount: Int
    /// Names of fields the config supplies to every account (`shared_credentials`).
    public var sharedFieldNames: Set<String>

    public init(
        id: String, name: String, toolkitSlug: String, authScheme: AuthScheme?,
        isEnabled: Bool = true, isComposioManaged: Bool = false, connectionCount: Int = 0,
        sharedFieldNames: Set<String> = []
    ) {
        self.id = id
        self.name = name
        self.toolkitSlug = toolkitSlug
        self.authScheme = authScheme
        self.isEnabled = isEnabled
        self.isComposioManaged = isComposioManaged
        self.connectionCount = connectionCount
        self.sharedFieldNames = sharedFieldNames
    }

    /// Whether the text a person typed into the list filter matches this config.
    public func matches(filter: String) -> Bool {
        let needle = filter.trimmingCharacters(in: .whitespaces).lowercased()
        guard !needle.isEmpty else { return true }
        return [name, toolkitSlug, id, authScheme?.rawValue ?? ""]
            .contains { $0.lowercased().contains(needle) }
    }
}

/// One page of auth configs and the cursor to the next, if any.
public struct AuthConfigPage: Equatable, Sendable {
    public var items: [AuthConfigSummary]
    public var nextCursor: String?
    public var totalItems: Int?

    public init(items: [AuthConfigSummary], nextCursor: String?, totalItems: Int? = nil) {
        self.items = items
        self.nextCursor = nextCursor
        self.totalItems = totalItems
    }
}
