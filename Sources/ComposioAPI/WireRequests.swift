import OnboardCore

/// Field name to secret value, encoded by hand through the one accessor; `nil` encodes as JSON
/// null, which the PATCH endpoints read as "remove this field".
package struct WireSecretMap: Encodable, Sendable {
    package var values: [String: Secret?]

    package init(_ values: [String: Secret?]) {
        self.values = values
    }

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: WireConnectionValues.Key.self)
        for (name, value) in values.sorted(by: { $0.key < $1.key }) {
            let key = WireConnectionValues.Key(stringValue: name)
            if let value {
                try value.withRevealedValue { try container.encode($0, forKey: key) }
            } else {
                try container.encodeNil(forKey: key)
            }
        }
    }
}

/// `PATCH /auth_configs/{id}` with new shared credentials (a flat body discriminated by `type`).
struct WirePatchAuthConfig: Encodable {
    var type: String
    var sharedCredentials: WireSecretMap
    enum CodingKeys: String, CodingKey {
        case type
        case sharedCredentials = "shared_credentials"
    }
}

/// `PATCH /connected_accounts/{id}`: some credential values (omitted kept, null removed) and/or
/// the alias ("" clears it); an absent part is left alone.
struct WirePatchConnectedAccount: Encodable {
    struct State: Encodable {
        var authScheme: String
        var val: WireSecretMap
    }
    struct Connection: Encodable {
        var state: State
    }
    var connection: Connection?
    var alias: String?
}

/// `PATCH /connected_accounts/{id}/status`.
struct WireAccountStatusChange: Encodable {
    var enabled: Bool
}

/// The 200 body of `PATCH /connected_accounts/{id}`.
struct WirePatchReply: Decodable {
    var status: ConnectionStatus?
}

/// `POST /connected_accounts/link`.
struct WireCreateLink: Encodable {
    var authConfigId: String
    var userId: String
    var callbackUrl: String?
    var alias: String?
    enum CodingKeys: String, CodingKey {
        case alias
        case authConfigId = "auth_config_id"
        case userId = "user_id"
        case callbackUrl = "callback_url"
    }
}

/// The 201 body of `POST /connected_accounts/link`.
struct WireLinkResponse: Decodable {
    var linkToken: String?
    var redirectUrl: String
    var expiresAt: String?
    var connectedAccountId: String
    enum CodingKeys: String, CodingKey {
        case linkToken = "link_token"
        case redirectUrl = "redirect_url"
        case expiresAt = "expires_at"
        case connectedAccountId = "connected_account_id"
    }
}

/// The parts of `GET /auth/session/info` onboard reads.
struct WireSessionInfo: Decodable {
    struct Project: Decodable {
        struct Org: Decodable { var name: String? }
        var id: String?
        var nanoId: String?
        var name: String?
        var org: Org?
        enum CodingKeys: String, CodingKey {
            case id, name, org
            case nanoId = "nano_id"
        }
    }
    var project: Project?
}

/// Field names only, never values.
extension WireSecretMap: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    package var description: String { "WireSecretMap(\(values.keys.sorted().joined(separator: ", ")): values redacted)" }
    package var debugDescription: String { description }
    package var customMirror: Mirror { Mirror(self, children: ["fields": values.keys.sorted()], displayStyle: .struct) }
}
