import Foundation

/// One value a person must (or may) provide to connect an account, as the toolkit declares it.
package struct CredentialField: Equatable, Sendable, Identifiable {
    /// The key in `connection.state.val`.
    package var name: String
    package var displayName: String
    package var description: String
    package var isRequired: Bool
    package var defaultValue: String?
    package var isSecret: Bool
    /// A value of several lines (a service-account JSON, a PEM key): pasted whole with its line
    /// breaks, or read from a file by typing `@path`.
    package var isMultiline: Bool

    package var id: String { name }

    package init(
        name: String, displayName: String, description: String = "", isRequired: Bool,
        defaultValue: String? = nil, isSecret: Bool, isMultiline: Bool = false
    ) {
        self.isMultiline = isMultiline
        self.name = name
        self.displayName = displayName
        self.description = description
        self.isRequired = isRequired
        self.defaultValue = defaultValue
        // The client decides too: a server cannot unmask a field whose name says it is secret.
        self.isSecret = isSecret || Self.looksSecret(name: name)
    }

    /// Whether the value is a password or the like: its masked form never shows a character.
    package var isPassword: Bool {
        let lowered = name.lowercased()
        let words = lowered.split(whereSeparator: { !$0.isLetter && !$0.isNumber })
        return ["password", "passwd", "passphrase"].contains { lowered.contains($0) } || words.contains("pin")
    }

    /// How the value shows on the review page and in prompts: plain fields as they are;
    /// secrets as bullets with the last four characters of long keys, never of a password.
    package func masked(_ value: Secret) -> String {
        value.maskedTail(visibleTail: isPassword ? 0 : 4)
    }

    /// Fields whose values span lines: JSON documents and private keys.
    package static func looksMultiline(name: String, type: String?) -> Bool {
        let lowered = name.lowercased()
        return lowered.contains("json") || lowered.contains("private_key") || ["json", "text", "textarea"].contains(type?.lowercased() ?? "")
    }

    /// The value to send for this field, the same for `connect` and `import`: `given` trimmed of
    /// surrounding white space, or the field's default when that leaves nothing (a blank cell is
    /// not a value); nil when neither has anything.
    package func resolvedValue(_ given: Secret?) -> Secret? {
        if let trimmed = given?.withRevealedValue({ Secret($0.trimmingCharacters(in: .whitespacesAndNewlines)) }), !trimmed.isEmpty {
            return trimmed
        }
        if let fallback = defaultValue, !fallback.isEmpty { return Secret(fallback) }
        return nil
    }

    /// Whether a multi-line value should be read as JSON and is not.
    package func jsonProblem(_ value: String) -> String? {
        guard isMultiline, name.lowercased().contains("json"), !value.isEmpty, !value.hasPrefix("@") else { return nil }
        guard let data = value.data(using: .utf8), (try? JSONSerialization.jsonObject(with: data)) != nil else {
            return "\(displayName) is not valid JSON; paste the whole file, or type @ and its path."
        }
        return nil
    }

    /// Names that look like keys, secrets, tokens or passwords are masked whatever the server
    /// says (the contract's rule for servers that omit `is_secret`, kept for all of them).
    package static func looksSecret(name: String) -> Bool {
        let lowered = name.lowercased()
        return ["key", "secret", "token", "password", "passwd", "passphrase", "credential", "private", "cookie", "signature"].contains {
            lowered.contains($0)
        }
    }
}
