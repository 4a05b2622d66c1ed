import Foundation

/// Who an API key belongs to, for the header and for checking a key before using it.
package struct ProjectInfo: Equatable, Sendable {
    package var id: String
    package var name: String
    package var organisationName: String?

    package init(id: String, name: String, organisationName: String? = nil) {
        self.id = id
        self.name = name
        self.organisationName = organisationName
    }
}

/// A hosted connect link: where the person completes the connection, and the account it makes.
package struct HostedLink: Equatable, Sendable {
    package var connectedAccountId: String
    package var redirectURL: String
    /// When the link stops working, if the service said.
    package var expiresAt: Date?

    package init(connectedAccountId: String, redirectURL: String, expiresAt: Date?) {
        self.connectedAccountId = connectedAccountId
        self.redirectURL = redirectURL
        self.expiresAt = expiresAt
    }
}

/// One page of connected accounts and the cursor to the next.
package struct ConnectedAccountPage: Equatable, Sendable {
    package var items: [ConnectedAccount]
    package var nextCursor: String?
    package var totalItems: Int?

    package init(items: [ConnectedAccount], nextCursor: String?, totalItems: Int? = nil) {
        self.items = items
        self.nextCursor = nextCursor
        self.totalItems = totalItems
    }
}
