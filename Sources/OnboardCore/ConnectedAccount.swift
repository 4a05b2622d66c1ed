/// A connected account as the wizard shows it: never its credentials.
public struct ConnectedAccount: Equatable, Sendable, Identifiable {
    public var id: String
    public var status: ConnectionStatus
    public var statusReason: String?
    public var toolkitSlug: String
    public var authConfigId: String
    public var userId: String?
    /// Where a person completes a redirect-based connection, while it is INITIATED.
    public var redirectURL: String?
    /// A name the user gave it ("work", "personal"), unique per user and toolkit.
    public var alias: String?
    /// Disabled accounts stay but cannot be used; their status is INACTIVE.
    public var isDisabled: Bool

    public init(
        id: String, status: ConnectionStatus, statusReason: String? = nil, toolkitSlug: String,
        authConfigId: String, userId: String? = nil, redirectURL: String? = nil, alias: String? = nil, isDisabled: Bool = false
    ) {
        self.alias = alias
        self.isDisabled = isDisabled
        self.id = id
        self.status = status
        self.statusReason = statusReason
        self.toolkitSlug = toolkitSlug
        self.authConfigId = authConfigId
        self.userId = userId
        self.redirectURL = redirectURL
    }
}
