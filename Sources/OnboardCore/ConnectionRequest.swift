/// Everything needed to create one connected account from credentials a person entered.
package struct ConnectionRequest: Equatable, Sendable {
    package var authConfigId: String
    package var userId: String
    package var authScheme: AuthScheme
    /// Field name to value. Every value is a `Secret`: `val` on the wire can echo credentials.
    package var values: [String: Secret]
    /// Ask the server to check the credentials before answering (API_KEY only, experimental).
    package var validateCredentials: Bool
    /// The user's account ids on this auth config just before, when the caller already listed
    /// them (a bulk import does): the create then skips listing them again.
    package var knownAccountIds: Set<String>?
    /// A name for the account ("work"), unique per user and toolkit.
    package var alias: String?

    package init(
        authConfigId: String, userId: String, authScheme: AuthScheme, values: [String: Secret],
        validateCredentials: Bool = false
    ) {
        self.authConfigId = authConfigId
        self.userId = userId
        self.authScheme = authScheme
        self.values = values
        self.validateCredentials = validateCredentials
        self.knownAccountIds = nil
    }
}

/// Prints which fields it carries, never their values (each is a redacted ``Secret`` anyway;
/// this keeps it so if a field ever is not).
extension ConnectionRequest: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    package var description: String {
        "ConnectionRequest(\(authConfigId), user \(userId), \(authScheme.rawValue), fields \(values.keys.sorted().joined(separator: ", ")): values redacted)"
    }
    package var debugDescription: String { description }
    package var customMirror: Mirror {
        Mirror(self, children: ["authConfigId": authConfigId, "userId": userId, "fields": values.keys.sorted()], displayStyle: .struct)
    }
}
