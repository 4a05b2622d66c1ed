import Foundation

/// Who an API key belongs to, for the header and for checking a key before using it.
public struct ProjectInfo: Equatable, Sendable {
    public var id: String
    public var name: String
    public var organisationName: String?

    public init(id: String, name: String, organisationName: String? = nil) {
        self.id = id
        self.name = name
        self.organisationName = organisationName
    }
}

/// A hosted connect link: where the person completes the connection, and the account it makes.
public struct HostedLink: Equatable, Sendable {
    public var connectedAccountId: String
    public var redirectURL: String
    /// When the link stops working, if the service said.
    public var expiresAt: Date?

    public init(connectedAccountId: String, redirectURL: String, expiresAt: Date?) {
        self.connectedAccountId = connectedAccountId
        self.redirectURL = redirectURL
        self.expiresAt = expiresAt
    }
}

/// One page of connected accounts and the cursor to the next.
public struct ConnectedAccountPage: Equatable, Sendable {
    public var items: [ConnectedAccount]
    public var nextCursor: String?
    public var totalItems: Int?

    public init(items: [ConnectedAccount], nextCursor: String?, totalItems: Int? = nil) {
        self.items = items
        self.nextCursor = nextCursor
        self.totalItems = totalItems
    }
}
