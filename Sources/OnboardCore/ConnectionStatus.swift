/// A connected account's lifecycle status (the contract's ConnectionStatus enum).
///
/// Raw-string backed so an unknown future status is shown and treated as "keep waiting"
/// rather than crashing the decoder.
public struct ConnectionStatus: RawRepresentable, Hashable, Sendable, Codable, CustomStringConvertible {
    public let rawValue: String

    public init(rawValue: String) { self.rawValue = rawValue.uppercased() }

    public static let initializing = ConnectionStatus(rawValue: "INITIALIZING")
    public static let initiated = ConnectionStatus(rawValue: "INITIATED")
    public static let active = ConnectionStatus(rawValue: "ACTIVE")
    public static let failed = ConnectionStatus(rawValue: "FAILED")
    public static let expired = ConnectionStatus(rawValue: "EXPIRED")
    public static let inactive = ConnectionStatus(rawValue: "INACTIVE")
    public static let revoked = ConnectionStatus(rawValue: "REVOKED")

    /// FAILED, EXPIRED and REVOKED end a connection attempt without success.
    public var isTerminalFailure: Bool {
        self == .failed || self == .expired || self == .revoked
    }

    /// Whether polling should stop: done, failed, or disabled.
    public var isSettled: Bool {
        self == .active || self == .inactive || isTerminalFailure
    }

    public var description: String { rawValue }

    public init(from decoder: any Decoder) throws {
        self.init(rawValue: try decoder.singleValueContainer().decode(String.self))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}
