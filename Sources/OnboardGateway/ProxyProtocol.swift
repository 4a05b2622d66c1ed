import Foundation
import NIOCore

/// The PROXY protocol header (HAProxy's, versions 1 and 2) that a TCP load balancer sends before
/// the client's bytes, saying whose connection it is. Parsed as a value: bytes in, the client's
/// address (or "none: a local connection, such as a health check") out. Every byte comes from
/// the network, so each field is checked and the header's length is capped.
package enum ProxyProtocol {
    /// The client's address as the balancer saw it.
    package struct Source: Equatable, Sendable {
        package var ip: String
        package var port: Int

        package init(ip: String, port: Int) {
            self.ip = ip
            self.port = port
        }

        /// `ip:port`, IPv6 in brackets, as the gateway writes addresses.
        package var description: String { ip.contains(":") ? "[\(ip)]:\(port)" : "\(ip):\(port)" }
    }

    package enum Parsed: Equatable, Sendable {
        /// Not enough bytes yet.
        case needMore
        /// A whole header of `length` bytes; `source` is nil for a LOCAL (v2) or UNKNOWN (v1)
        /// connection, which is the balancer's own (a health check).
        case header(source: Source?, length: Int)
        /// Not a header, or a malformed one: the connection is closed.
        case invalid(String)
    }

    /// The 12 bytes every version 2 header starts with.
    package static let v2Signature: [UInt8] = [0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A]
    /// A version 1 header is at most 107 bytes, CRLF included (the specification's bound).
    static let v1MaximumLength = 107
    /// Version 2 headers longer than this are refused: the addresses take 36 bytes at most, and
    /// the gateway reads no TLV, so a long header is only a way to make it buffer.
    static let v2MaximumLength = 16 + 512

    /// Whether `bytes` could be the start of a header (of either version): for a connection from
    /// an address whose headers are not trusted, so one can be refused rather than read as SSH.
    package static func looksLikeHeader(_ bytes: [UInt8]) -> Bool? {
        let v1 = Array("PROXY ".utf8)
        let candidates = [v1, v2Signature]
        if candidates.contains(where: { bytes.starts(with: $0) }) { return true }
        if candidates.contains(where: { $0.starts(with: bytes) }) { return nil }  // too few bytes to tell
        return false
    }

    package static func parse(_ bytes: [UInt8]) -> Parsed {
        if bytes.starts(with: v2Signature) { return parseV2(bytes) }
        if v2Signature.starts(with: bytes.prefix(v2Signature.count)), bytes.count < v2Signature.count { return .needMore }
        let v1 = Array("PROXY ".utf8)
        guard bytes.starts(with: v1.prefix(min(bytes.count, v1.count))) else { return .invalid("no PROXY header") }
        return parseV1(bytes)
    }

    // MARK: version 1: "PROXY TCP4 203.0.113.7 192.0.2.1 51234 22\r\n"

    private static func parseV1(_ bytes: [UInt8]) -> Parsed {
        guard let end = bytes.firstIndex(of: 0x0A) else {
            return bytes.count >= v1MaximumLength ? .invalid("a version 1 header longer than 107 bytes") : .needMore
        }
        guard end + 1 <= v1MaximumLength, end > 0, bytes[end - 1] == 0x0D else { return .invalid("a version 1 header not ended by CRLF within 107 bytes") }
        guard let line = String(bytes: bytes[..<(end - 1)], encoding: .ascii) else { return .invalid("a version 1 header that is not ASCII") }
        let fields = line.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
        guard fields.first == "PROXY", fields.count >= 2 else { return .invalid("a malformed version 1 header") }
        switch fields[1] {
        case "UNKNOWN":
            return .header(source: nil, length: end + 1)
        case "TCP4", "TCP6":
            guard fields.count == 6, let sourcePort = port(fields[4]), port(fields[5]) != nil else {
                return .invalid("a malformed version 1 header")
            }
            let family: Int32 = fields[1] == "TCP4" ? AF_INET : AF_INET6
            guard let source = canonical(fields[2], family: family), canonical(fields[3], family: family) != nil else {
                return .invalid("a version 1 header with an address that is not \(fields[1] == "TCP4" ? "IPv4" : "IPv6")")
            }
            return .header(source: Source(ip: source, port: sourcePort), length: end + 1)
        default:
            return .invalid("a version 1 header for an unknown protocol")
        }
    }

    /// A port as version 1 writes it: decimal, no sign, no leading zero, at most 65535.
    private static func port(_ text: String) -> Int? {
        guard !text.isEmpty, text.count <= 5, text.allSatisfy(\.isASCII), text.allSatisfy(\.isNumber), text == "0" || !text.hasPrefix("0"),
            let value = Int(text), value <= 65535
        else { return nil }
        return value
    }

    // MARK: version 2: the signature, version and command, family, length, addresses, TLVs

    private static func parseV2(_ bytes: [UInt8]) -> Parsed {
        guard bytes.count >= 16 else { return .needMore }
        let versionCommand = bytes[12]
        guard versionCommand >> 4 == 2 else { return .invalid("a version 2 header of another version") }
        let length = 16 + (Int(bytes[14]) << 8 | Int(bytes[15]))
        guard length <= v2MaximumLength else { return .invalid("a version 2 header of \(length) bytes") }
        guard bytes.count >= length else { return .needMore }
        switch versionCommand & 0x0F {
        case 0x0:
            // LOCAL: the balancer's own connection (a health check); the addresses are ignored.
            return .header(source: nil, length: length)
        case 0x1:
            break
        default:
            return .invalid("a version 2 header with an unknown command")
        }
        let family = bytes[13]
        let body = Array(bytes[16..<length])
        switch family {
        case 0x11:  // TCP over IPv4
            guard body.count >= 12 else { return .invalid("a version 2 header too short for IPv4 addresses") }
            let ip = body[0..<4].map(String.init).joined(separator: ".")
            return .header(source: Source(ip: ip, port: Int(body[8]) << 8 | Int(body[9])), length: length)
        case 0x21:  // TCP over IPv6
            guard body.count >= 36 else { return .invalid("a version 2 header too short for IPv6 addresses") }
            guard let ip = ipv6Text(Array(body[0..<16])) else { return .invalid("a version 2 header with an unreadable IPv6 address") }
            return .header(source: Source(ip: ip, port: Int(body[32]) << 8 | Int(body[33])), length: length)
        case 0x00:  // UNSPEC
            return .header(source: nil, length: length)
        default:
            return .invalid("a version 2 header for a family other than TCP over IPv4 or IPv6")
        }
    }

    private static func ipv6Text(_ bytes: [UInt8]) -> String? {
        var address = in6_addr()
        withUnsafeMutableBytes(of: &address) { $0.copyBytes(from: bytes) }
        var text = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        guard inet_ntop(AF_INET6, &address, &text, socklen_t(text.count)) != nil else { return nil }
        return String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// The address in its canonical form, or nil when `text` is not one of `family`.
    static func canonical(_ text: String, family: Int32) -> String? {
        guard text.utf8.count < 64 else { return nil }
        if family == AF_INET {
            var address = in_addr()
            guard inet_pton(AF_INET, text, &address) == 1 else { return nil }
            var out = [CChar](repeating: 0, count: Int(INET_ADDRSTRLEN))
            guard inet_ntop(AF_INET, &address, &out, socklen_t(out.count)) != nil else { return nil }
            return String(decoding: out.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        }
        var address = in6_addr()
        guard inet_pton(AF_INET6, text, &address) == 1 else { return nil }
        return ipv6Text(withUnsafeBytes(of: &address) { Array($0) })
    }
}

/// The addresses a PROXY header is trusted from (`--proxy-protocol-from 10.0.0.0/8,::1`): the
/// load balancers. A connection from one of them must start with a header; from anywhere else a
/// header is refused, so no client can name an address of its choosing.
package struct TrustedProxies: Equatable, Sendable {
    struct Network: Equatable, Sendable {
        var bytes: [UInt8]
        var prefix: Int
    }
    private var networks: [Network]
    /// The networks as given, for the gateway's start-up line.
    package private(set) var listed: [String] = []

    package var isEmpty: Bool { networks.isEmpty }

    package init() { networks = [] }

    /// Parses `a.b.c.d/n` and `x::y/n` (a bare address is one host), separated by commas.
    package init(parsing text: String) throws {
        networks = []
        for part in text.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) where !part.isEmpty {
            let pieces = part.split(separator: "/", maxSplits: 1).map(String.init)
            guard let bytes = Self.bytes(pieces[0]) else {
                throw TrustedProxiesError("\u{201C}\(part)\u{201D} is not an IPv4 or IPv6 address or network (e.g. 10.0.0.0/8, 127.0.0.1, fd00::/8).")
            }
            let bits = bytes.count * 8
            var prefix = bits
            if pieces.count == 2 {
                guard let value = Int(pieces[1]), (0...bits).contains(value), pieces[1].allSatisfy(\.isNumber) else {
                    throw TrustedProxiesError("\u{201C}\(part)\u{201D}: the prefix length must be 0 to \(bits).")
                }
                prefix = value
            }
            networks.append(Network(bytes: bytes, prefix: prefix))
            listed.append(part)
        }
    }

    /// Whether `ip` (as the socket reports it) is in one of the networks. An IPv4 address mapped
    /// into IPv6 (`::ffff:10.0.0.1`) counts as the IPv4 address.
    package func contains(_ ip: String) -> Bool {
        guard var address = Self.bytes(ip) else { return false }
        if address.count == 16, address[0..<10].allSatisfy({ $0 == 0 }), address[10] == 0xFF, address[11] == 0xFF {
            address = Array(address[12..<16])
        }
        return networks.contains { network in
            guard network.bytes.count == address.count else { return false }
            var left = network.prefix
            for index in address.indices where left > 0 {
                let bits = min(8, left)
                let mask = UInt8(truncatingIfNeeded: 0xFF << (8 - bits))
                if address[index] & mask != network.bytes[index] & mask { return false }
                left -= bits
            }
            return true
        }
    }

    private static func bytes(_ text: String) -> [UInt8]? {
        guard text.utf8.count < 64 else { return nil }
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 { return withUnsafeBytes(of: &v4) { Array($0) } }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, text, &v6) == 1 { return withUnsafeBytes(of: &v6) { Array($0) } }
        return nil
    }
}

package struct TrustedProxiesError: Error, CustomStringConvertible {
    package let description: String
    init(_ description: String) { self.description = description }
}

/// Reads a trusted balancer's PROXY header before anything else on its connection, then hands
/// the connection on (with the client's address) and gets out of the way, passing on what came
/// after the header. A missing, malformed or slow header closes the connection.
final class ProxyHeaderReader: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    private var pending: [UInt8] = []
    /// Sets up the rest of the pipeline for the client's address (nil: the balancer's own
    /// connection), on the event loop; a throw closes the connection.
    private let proceed: (ProxyProtocol.Source?) throws -> Void
    private let refuse: @Sendable (String) -> Void
    private var timeout: Scheduled<Void>?

    /// How long a trusted balancer has to send the header (it sends it at once).
    static let deadline: TimeAmount = .seconds(5)

    init(proceed: @escaping (ProxyProtocol.Source?) throws -> Void, refuse: @escaping @Sendable (String) -> Void) {
        self.proceed = proceed
        self.refuse = refuse
    }

    func handlerAdded(context: ChannelHandlerContext) {
        let channel = context.channel
        let refuse = self.refuse
        timeout = context.eventLoop.scheduleTask(in: Self.deadline) {
            refuse("no PROXY header within 5 seconds")
            channel.close(promise: nil)
        }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var buffer = unwrapInboundIn(data)
        pending += buffer.readBytes(length: buffer.readableBytes) ?? []
        switch ProxyProtocol.parse(pending) {
        case .needMore:
            return
        case .invalid(let why):
            timeout?.cancel()
            refuse(why)
            context.close(promise: nil)
        case .header(let source, let length):
            timeout?.cancel()
            let rest = Array(pending[length...])
            pending = []
            do {
                try proceed(source)
            } catch {
                return context.close(promise: nil)
            }
            // What followed the header (the client's SSH version) goes on to SSH.
            if !rest.isEmpty {
                var remaining = context.channel.allocator.buffer(capacity: rest.count)
                remaining.writeBytes(rest)
                context.fireChannelRead(wrapInboundOut(remaining))
            }
            context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
        }
    }
}

/// On a connection from an address whose headers are not trusted, refuses one that starts with
/// a PROXY header (a client naming an address of its choosing) instead of reading it as SSH;
/// anything else passes untouched, and the guard leaves at its first verdict.
final class ProxyHeaderGuard: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    private var seen: [UInt8] = []
    private var held: [ByteBuffer] = []
    private let refuse: () -> Void

    init(refuse: @escaping () -> Void) { self.refuse = refuse }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let buffer = unwrapInboundIn(data)
        held.append(buffer)
        seen += buffer.getBytes(at: buffer.readerIndex, length: min(buffer.readableBytes, 12 - seen.count)) ?? []
        switch ProxyProtocol.looksLikeHeader(seen) {
        case nil:
            return  // too few bytes to tell
        case true?:
            held = []
            refuse()
            context.close(promise: nil)
        case false?:
            for buffer in held { context.fireChannelRead(wrapInboundOut(buffer)) }
            held = []
            context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
        }
    }
}
