/// Checks on what a person typed, phrased as what to do about it.
package enum Validation {
    /// The most characters a user id may have; longer ones are almost certainly a paste mistake.
    package static let maximumUserIdLength = 256

    /// Why `userId` cannot be used, or nil when it can.
    package static func problem(userId: String) -> String? {
        let trimmed = userId.trimmingCharacters(in: .whitespaces)
        if trimmed.isEmpty { return "Enter a user id: any string that identifies this user in your system." }
        if trimmed.count > maximumUserIdLength { return "A user id has at most \(maximumUserIdLength) characters." }
        return nil
    }

    /// Why the value for `field` cannot be used, or nil when it can.
    package static func problem(field: CredentialField, value: Secret) -> String? {
        if field.isRequired && value.isEmpty { return "\(field.displayName) is required." }
        return nil
    }
}
