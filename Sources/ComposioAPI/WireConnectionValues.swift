import OnboardCore

/// `connection.state.val` of a create request: the status the SDKs send plus one entry per
/// field. Every value is a ``Secret`` and is read only here, while encoding.
package struct WireConnectionValues: Codable, Sendable, Equatable {
    package var status: String
    package var values: [String: Secret]

    package init(status: String, values: [String: Secret]) {
        self.status = status
        self.values = values
    }

    package struct Key: CodingKey {
        package var stringValue: String
        package var intValue: Int? { nil }
        package init(stringValue: String) { self.stringValue = stringValue }
        package init?(intValue: Int) { nil }
    }

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Key.self)
        try container.encode(status, forKey: Key(stringValue: "status"))
        for (name, secret) in values.sorted(by: { $0.key < $1.key }) where name != "status" {
            try secret.withRevealedValue { try container.encode($0, forKey: Key(stringValue: name)) }
        }
    }

    /// Decodes every non-status entry as a secret; numbers and booleans become their text.
    package init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Key.self)
        status = try container.decodeIfPresent(String.self, forKey: Key(stringValue: "status")) ?? ""
        var values: [String: Secret] = [:]
        for key in container.allKeys where key.stringValue != "status" {
            if let text = try container.decode(JSONValue.self, forKey: key).text {
                values[key.stringValue] = Secret(text)
            }
        }
        self.values = values
    }
}

/// The body of `POST /connected_accounts`, as the official SDKs send it.
package struct WireCreateConnectedAccountRequest: Codable, Sendable {
    package struct AuthConfigRef: Codable, Sendable {
        package var id: String
    }

    package struct State: Codable, Sendable {
        package var authScheme: String
        package var val: WireConnectionValues
    }

    package struct Connection: Codable, Sendable {
        package var userId: String?
        package var callbackUrl: String?
        package var alias: String?
        package var state: State?
        enum CodingKeys: String, CodingKey {
            case alias, state
            case userId = "user_id"
            case callbackUrl = "callback_url"
        }
    }

    package var authConfig: AuthConfigRef
    package var connection: Connection?
    package var validateCredentials: Bool?

    enum CodingKeys: String, CodingKey {
        case connection
        case authConfig = "auth_config"
        case validateCredentials = "validate_credentials"
    }

    /// The body for a credential scheme: `val.status` is ACTIVE, one key per field.
    package init(_ request: ConnectionRequest) {
        authConfig = AuthConfigRef(id: request.authConfigId)
        connection = Connection(
            userId: request.userId,
            callbackUrl: nil,
            alias: request.alias.flatMap { $0.isEmpty ? nil : $0 },
            state: State(
                authScheme: request.authScheme.rawValue,
                val: WireConnectionValues(status: ConnectionStatus.active.rawValue, values: request.values)
            )
        )
        validateCredentials = request.validateCredentials ? true : nil
    }
}

/// Field names only, never values.
extension WireConnectionValues: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    package var description: String { "WireConnectionValues(\(status), \(values.keys.sorted().joined(separator: ", ")): values redacted)" }
    package var debugDescription: String { description }
    package var customMirror: Mirror { Mirror(self, children: ["status": status, "fields": values.keys.sorted()], displayStyle: .struct) }
}
