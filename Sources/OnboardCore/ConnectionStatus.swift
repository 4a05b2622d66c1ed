/// A connected account's lifecycle status (the contract's ConnectionStatus enum).
///
/// Raw-string backed so an unknown future status is shown and treated as "keep waiting"
/// rather than crashing the decoder.
package struct ConnectionStatus: RawRepresentable, Hashable, Sendable, Codable, CustomStringConvertible {
    package let rawValue: String

    package init(rawValue: String) { self.rawValue = rawValue.uppercased() }

    package static let initializing = ConnectionStatus(rawValue: "INITIALIZING")
    package static let initiated = ConnectionStatus(rawValue: "INITIATED")
    package static let active = ConnectionStatus(rawValue: "ACTIVE")
    package static let failed = ConnectionStatus(rawValue: "FAILED")
    package static let expired = ConnectionStatus(rawValue: "EXPIRED")
    package static let inactive = ConnectionStatus(rawValue: "INACTIVE")
    package static let revoked = ConnectionStatus(rawValue: "REVOKED")

    /// FAILED, EXPIRED and REVOKED end a connection attempt without success.
    package var isTerminalFailure: Bool {
        self == .failed || self == .expired || self == .revoked
    }

    /// Whether polling should stop: done, failed, or disabled.
    package var isSettled: Bool {
        self == .active || self == .inactive || isTerminalFailure
    }

    package var description: String { rawValue }

    package init(from decoder: any Decoder) throws {
        self.init(rawValue: try decoder.singleValueContainer().decode(String.self))
    }

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}
