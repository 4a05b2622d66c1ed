import OnboardCore

/// `connection.state.val` of a create request: the status the SDKs send plus one entry per
/// field. Every value is a ``Secret`` and is read only here, while encoding.
public struct WireConnectionValues: Codable, Sendable, Equatable {
    public var status: String
    public var values: [String: Secret]

    public init(status: String, values: [String: Secret]) {
        self.status = status
        self.values = values
    }

    public struct Key: CodingKey {
        public var stringValue: String
        public var intValue: Int? { nil }
        public init(stringValue: String) { self.stringValue = stringValue }
        public init?(intValue: Int) { nil }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Key.self)
        try container.encode(status, forKey: Key(stringValue: "status"))
        for (name, secret) in values.sorted(by: { $0.key < $1.key }) where name != "status" {
            try secret.withRevealedValue { try container.encode($0, forKey: Key(stringValue: name)) }
        }
    }

    /// Decodes every non-status entry as a secret; numbers and booleans become their text.
    public init(from decoder: any Decoder) throws {
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
public struct WireCreateConnectedAccountRequest: Codable, Sendable {
    public struct AuthConfigRef: Codable, Sendable {
        public var id: String
    }

    public struct State: Codable, Sendable {
        public var authScheme: String
        public var val: WireConnectionValues
    }

    public struct Connection: Codable, Sendable {
        public var userId: String?
        public var callbackUrl: String?
        public var alias: String?
        public var state: State?
        enum CodingKeys: String, CodingKey {
            case alias, state
            case userId = "user_id"
            case callbackUrl = "callback_url"
        }
    }

    public var authConfig: AuthConfigRef
    public var connection: Connection?
    public var validateCredentials: Bool?

    enum CodingKeys: String, CodingKey {
        case connection
        case authConfig = "auth_config"
        case validateCredentials = "validate_credentials"
    }

    /// The body for a credential scheme: `val.status` is ACTIVE, one key per field.
    public init(_ request: ConnectionRequest) {
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
    public var description: String { "WireConnectionValues(\(status), \(values.keys.sorted().joined(separator: ", ")): values redacted)" }
    public var debugDescription: String { description }
    public var customMirror: Mirror { Mirror(self, children: ["status": status, "fields": values.keys.sorted()], displayStyle: .struct) }
}
