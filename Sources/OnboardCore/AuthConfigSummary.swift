/// What the wizard needs to know about one auth config to list it and connect through it.
package struct AuthConfigSummary: Equatable, Sendable, Identifiable {
    package var id: String { didSet { updateSearchKey() } }
    package var name: String { didSet { updateSearchKey() } }
    package var toolkitSlug: String { didSet { updateSearchKey() } }
    package var authScheme: AuthScheme? { didSet { updateSearchKey() } }
    package var isEnabled: Bool
    package var isComposioManaged: Bool
    package var connectionCount: Int
    /// Names of fields the config supplies to every account (`shared_credentials`).
    package var sharedFieldNames: Set<String>

    package init(
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
        self.searchKey = ""
        updateSearchKey()
    }

    /// Name, toolkit, id and scheme, lower-cased once, so filtering thousands of configs per
    /// keystroke allocates nothing per config.
    private(set) var searchKey: String

    private mutating func updateSearchKey() {
        searchKey = [name, toolkitSlug, id, authScheme?.rawValue ?? ""].joined(separator: "\u{0}").lowercased()
    }

    /// Whether the text a person typed into the list filter matches this config.
    package func matches(filter: String) -> Bool {
        matches(needle: Self.needle(filter))
    }

    /// `filter` as ``matches(needle:)`` takes it: trimmed and lower-cased.
    package static func needle(_ filter: String) -> String {
        filter.trimmingCharacters(in: .whitespaces).lowercased()
    }

    /// Whether a prepared needle occurs in the name, toolkit, id or scheme.
    package func matches(needle: String) -> Bool {
        needle.isEmpty || Self.contains(searchKey, needle)
    }

    /// Substring search on UTF-8 bytes: no bridging or allocation (Foundation's `contains` is
    /// slow enough on Linux to show when 10,000 configs are filtered per keystroke).
    static func contains(_ haystack: String, _ needle: String) -> Bool {
        var haystack = haystack
        var needle = needle
        return haystack.withUTF8 { hay in
            needle.withUTF8 { pin in
                guard pin.count <= hay.count, let first = pin.first else { return pin.isEmpty }
                var start = 0
                let last = hay.count - pin.count
                while start <= last {
                    if hay[start] == first {
                        var offset = 1
                        while offset < pin.count && hay[start + offset] == pin[offset] { offset += 1 }
                        if offset == pin.count { return true }
                    }
                    start += 1
                }
                return false
            }
        }
    }
}

/// One page of auth configs and the cursor to the next, if any.
package struct AuthConfigPage: Equatable, Sendable {
    package var items: [AuthConfigSummary]
    package var nextCursor: String?
    package var totalItems: Int?

    package init(items: [AuthConfigSummary], nextCursor: String?, totalItems: Int? = nil) {
        self.items = items
        self.nextCursor = nextCursor
        self.totalItems = totalItems
    }
}
