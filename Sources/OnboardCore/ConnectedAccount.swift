import Foundation

/// A connected account as the wizard shows it: never its credentials.
package struct ConnectedAccount: Equatable, Sendable, Identifiable {
    package var id: String
    package var status: ConnectionStatus
    package var statusReason: String?
    package var toolkitSlug: String
    package var authConfigId: String
    package var userId: String?
    /// Where a person completes a redirect-based connection, while it is INITIATED.
    package var redirectURL: String?
    /// A name the user gave it ("work", "personal"), unique per user and toolkit.
    package var alias: String?
    /// Disabled accounts stay but cannot be used; their status is INACTIVE.
    package var isDisabled: Bool
    /// When the person on the link's page asked for help (onboard's sandbox page only).
    package var helpRequestedAt: Date?

    package init(
        id: String, status: ConnectionStatus, statusReason: String? = nil, toolkitSlug: String,
        authConfigId: String, userId: String? = nil, redirectURL: String? = nil, alias: String? = nil, isDisabled: Bool = false,
        helpRequestedAt: Date? = nil
    ) {
        self.helpRequestedAt = helpRequestedAt
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
