/// One value a person must (or may) provide to connect an account, as the toolkit declares it.
public struct CredentialField: Equatable, Sendable, Identifiable {
    /// The key in `connection.state.val`.
    public var name: String
    public var displayName: String
    public var description: String
    public var isRequired: Bool
    public var defaultValue: String?
    public var isSecret: Bool

    public var id: String { name }

    public init(
        name: String, displayName: String, description: String = "", isRequired: Bool,
        defaultValue: String? = nil, isSecret: Bool
    ) {
        self.name = name
        self.displayName = displayName
        self.description = description
        self.isRequired = isRequired
        self.defaultValue = defaultValue
        self.isSecret = isSecret
    }

    /// The contract's rule for servers that omit `is_secret`: names that look like keys,
    /// secrets, tokens or passwords are masked.
    public static func looksSecret(name: String) -> Bool {
        let lowered = name.lowercased()
        return ["key", "secret", "token", "password"].contains { lowered.contains($0) }
    }
}
