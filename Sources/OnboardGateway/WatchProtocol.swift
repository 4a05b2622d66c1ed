import Foundation

/// The lines exchanged to watch a session: between a session's program and the gateway
/// (descriptor 5), and between the gateway and an operator attached to it (the control socket).
/// A frame is the session's screen drawn for one window size from its masked state: a line
/// `frame COLUMNS ROWS JSON` whose JSON the gateway never parses (it relays frames on the loop
/// that also carries the customer's keystrokes); everything else is one small JSON object.
///
/// Every side reads the other as hostile: lines are capped (``maximumLine``), fields bounded,
/// and anything unreadable is dropped.
package enum WatchMessage: Equatable, Sendable {
    // The session's program to the gateway.
    /// The screen for a `columns`x`rows` window, encoded by the program's renderer.
    case frame(columns: Int, rows: Int, frame: String)
    /// The customer asked for help.
    case help

    // The gateway to the session's program.
    /// Who watches, at which sizes frames are wanted, and who just joined or left.
    case watchers(names: [String], sizes: [WindowSize], change: String?)
    /// An operator's note for the customer.
    case note(from: String, text: String)

    // An operator to the gateway.
    /// Watch invite `invite` on a window of this size.
    case attach(invite: String, size: WindowSize)
    case resize(WindowSize)
    /// End the session (the operator is its moderator).
    case end
    /// Drain the gateway (`onboard gateway drain`, through the control socket only).
    case drain

    // The gateway to an operator.
    /// Attached: the session's invite, its customer's address and what it connects.
    case attached(invite: String, peer: String, userId: String, authConfig: String, observers: [String])
    /// The customer asked for help at this wall time.
    case helpRequested(at: Date)
    /// The session ended, or attaching was refused: why, in words for the operator.
    case closed(String)

    package struct WindowSize: Codable, Hashable, Sendable {
        package var columns: Int
        package var rows: Int
        package init(columns: Int, rows: Int) {
            self.columns = columns
            self.rows = rows
        }
        /// Within what a session's terminal may be (1...512 columns, 1...256 rows, as its pty).
        package var isPlausible: Bool { (1...512).contains(columns) && (1...256).contains(rows) }
        /// An operator's window, cut to what a frame may be (a wider terminal sees it at 512).
        var clamped: WindowSize? {
            guard columns > 0, rows > 0 else { return nil }
            return WindowSize(columns: min(columns, 512), rows: min(rows, 256))
        }
    }

    /// The longest line read: a frame of a 512x256 window is well under it.
    package static let maximumLine = 4 << 20

    private static let framePrefix = Data("frame ".utf8)

    /// `frame COLUMNS ROWS PAYLOAD`: the two numbers read, the payload kept as it is.
    private static func frame(_ bytes: Data) -> WatchMessage? {
        let fields = bytes.split(separator: 0x20, maxSplits: 3, omittingEmptySubsequences: false)
        guard fields.count == 4, fields[1].count <= 4, fields[2].count <= 4,
            let columns = Int(String(decoding: fields[1], as: UTF8.self)), let rows = Int(String(decoding: fields[2], as: UTF8.self)),
            WindowSize(columns: columns, rows: rows).isPlausible
        else { return nil }
        return .frame(columns: columns, rows: rows, frame: String(decoding: fields[3], as: UTF8.self))
    }

    private struct Wire: Codable {
        var type: String
        var columns: Int?
        var rows: Int?
        var names: [String]?
        var sizes: [WindowSize]?
        var change: String?
        var from: String?
        var text: String?
        var invite: String?
        var peer: String?
        var userId: String?
        var authConfig: String?
        var at: Date?

        enum CodingKeys: String, CodingKey {
            case type, columns, rows, names, sizes, change, from, text, invite, peer, at
            case userId = "user_id", authConfig = "auth_config"
        }
        init(_ type: String) { self.type = type }
    }

    private static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = .sortedKeys
        return encoder
    }()
    private static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }()

    /// The message as one line, with its newline.
    package var line: Data {
        var wire: Wire
        switch self {
        case .frame(let columns, let rows, let frame):
            // Only the program's renderer writes the frame: JSON, which holds no raw newline.
            return Data("frame \(columns) \(rows) ".utf8) + Data(frame.utf8.lazy.filter { $0 != 0x0A }) + Data("\n".utf8)
        case .help: wire = Wire("help")
        case .watchers(let names, let sizes, let change):
            wire = Wire("watchers")
            wire.names = names
            wire.sizes = sizes
            wire.change = change
        case .note(let from, let text):
            wire = Wire("note")
            wire.from = from
            wire.text = text
        case .attach(let invite, let size):
            wire = Wire("attach")
            wire.invite = invite
            wire.columns = size.columns
            wire.rows = size.rows
        case .resize(let size):
            wire = Wire("resize")
            wire.columns = size.columns
            wire.rows = size.rows
        case .end: wire = Wire("end")
        case .drain: wire = Wire("drain")
        case .attached(let invite, let peer, let userId, let authConfig, let observers):
            wire = Wire("attached")
            wire.invite = invite
            wire.peer = peer
            wire.userId = userId
            wire.authConfig = authConfig
            wire.names = observers
        case .helpRequested(let at):
            wire = Wire("help_requested")
            wire.at = at
        case .closed(let text):
            wire = Wire("closed")
            wire.text = text
        }
        return ((try? Self.encoder.encode(wire)) ?? Data("{}".utf8)) + Data("\n".utf8)
    }

    /// One line (without its newline) read back; nil for anything that is not a message.
    package init?(line: some DataProtocol) {
        guard line.count <= Self.maximumLine else { return nil }
        let bytes = Data(line)
        if bytes.starts(with: Self.framePrefix) {
            guard let frame = Self.frame(bytes) else { return nil }
            self = frame
            return
        }
        guard let wire = try? Self.decoder.decode(Wire.self, from: bytes) else { return nil }
        let size = wire.columns.flatMap { columns in wire.rows.map { WindowSize(columns: columns, rows: $0) } }
        switch wire.type {
        case "help": self = .help
        case "watchers":
            self = .watchers(
                names: Array((wire.names ?? []).prefix(16)), sizes: Array((wire.sizes ?? []).filter(\.isPlausible).prefix(16)), change: wire.change)
        case "note":
            guard let text = wire.text else { return nil }
            self = .note(from: wire.from ?? "", text: text)
        case "attach":
            guard let invite = wire.invite, let size = size?.clamped else { return nil }
            self = .attach(invite: invite, size: size)
        case "resize":
            guard let size = size?.clamped else { return nil }
            self = .resize(size)
        case "end": self = .end
        case "drain": self = .drain
        case "attached":
            self = .attached(
                invite: wire.invite ?? "", peer: wire.peer ?? "", userId: wire.userId ?? "", authConfig: wire.authConfig ?? "",
                observers: wire.names ?? [])
        case "help_requested": self = .helpRequested(at: wire.at ?? Date(timeIntervalSince1970: 0))
        case "closed": self = .closed(wire.text ?? "")
        default: return nil
        }
    }
}
