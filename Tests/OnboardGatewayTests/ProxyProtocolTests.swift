import OnboardGateway
import Testing

/// The PROXY header a load balancer sends, attacked as a stranger would send it.
@Suite("PROXY protocol headers")
struct ProxyProtocolTests {
    static func v2(command: UInt8 = 0x21, family: UInt8, body: [UInt8], declaredLength: Int? = nil) -> [UInt8] {
        let length = declaredLength ?? body.count
        return ProxyProtocol.v2Signature + [command, family, UInt8(length >> 8), UInt8(length & 0xFF)] + body
    }

    @Test("version 1: TCP4, TCP6 and UNKNOWN; the bytes after it are not part of it")
    func version1() {
        let header = Array("PROXY TCP4 203.0.113.7 192.0.2.1 51234 22\r\n".utf8)
        let line = header + Array("SSH-2.0-OpenSSH".utf8)
        #expect(ProxyProtocol.parse(line) == .header(source: .init(ip: "203.0.113.7", port: 51234), length: header.count))
        let six = Array("PROXY TCP6 2001:db8::7 2001:db8::1 4000 22\r\n".utf8)
        #expect(ProxyProtocol.parse(six) == .header(source: .init(ip: "2001:db8::7", port: 4000), length: six.count))
        #expect(ProxyProtocol.parse(Array("PROXY UNKNOWN\r\n".utf8)) == .header(source: nil, length: 15))
        #expect(ProxyProtocol.parse(Array("PROXY TCP4 203.0.113.7 192.0".utf8)) == .needMore)
        #expect(ProxyProtocol.parse(Array("PRO".utf8)) == .needMore)
    }

    @Test("version 1 lies: a wrong family, a bad address or port, no CRLF within 107 bytes, not a header at all")
    func version1Refused() {
        for text in [
            "PROXY TCP4 2001:db8::7 192.0.2.1 1 22\r\n", "PROXY TCP4 203.0.113.300 192.0.2.1 1 22\r\n", "PROXY TCP4 203.0.113.7 192.0.2.1 65536 22\r\n",
            "PROXY TCP4 203.0.113.7 192.0.2.1 -1 22\r\n", "PROXY TCP4 203.0.113.7 192.0.2.1 0042 22\r\n", "PROXY TCP4 203.0.113.7 192.0.2.1 1\r\n",
            "PROXY UDP4 203.0.113.7 192.0.2.1 1 22\r\n", "PROXY TCP4 203.0.113.7 192.0.2.1 1 22\n", "SSH-2.0-OpenSSH_9.2\r\n",
        ] {
            guard case .invalid = ProxyProtocol.parse(Array(text.utf8)) else {
                Issue.record("accepted \(text.debugDescription)")
                continue
            }
        }
        let endless = Array(("PROXY TCP4 " + String(repeating: "1", count: 200)).utf8)
        guard case .invalid = ProxyProtocol.parse(endless) else {
            Issue.record("kept reading a version 1 header past 107 bytes")
            return
        }
    }

    @Test("version 2: TCP over IPv4 and IPv6, TLVs skipped; LOCAL is the balancer's own connection")
    func version2() {
        let v4 = Self.v2(family: 0x11, body: [203, 0, 113, 7, 192, 0, 2, 1, 0xC8, 0x22, 0x00, 0x16] + [0x04, 0x00, 0x01, 0xAB])
        #expect(ProxyProtocol.parse(v4 + Array("SSH-2.0".utf8)) == .header(source: .init(ip: "203.0.113.7", port: 51234), length: v4.count))
        var six = [UInt8](repeating: 0, count: 36)
        six[0] = 0x20
        six[1] = 0x01
        six[2] = 0x0D
        six[3] = 0xB8
        six[15] = 7
        six[32] = 0x0F
        six[33] = 0xA0
        #expect(ProxyProtocol.parse(Self.v2(family: 0x21, body: six)) == .header(source: .init(ip: "2001:db8::7", port: 4000), length: 52))
        let local = Self.v2(command: 0x20, family: 0x00, body: [])
        #expect(ProxyProtocol.parse(local) == .header(source: nil, length: 16))
        #expect(ProxyProtocol.parse(Array(v4.prefix(20))) == .needMore)
        #expect(ProxyProtocol.parse(Array(ProxyProtocol.v2Signature.prefix(7))) == .needMore)
    }

    @Test("version 2 lies: another version, an unknown command or family, addresses shorter than their family, a huge length")
    func version2Refused() {
        let cases: [[UInt8]] = [
            Self.v2(command: 0x11, family: 0x11, body: [UInt8](repeating: 1, count: 12)),
            Self.v2(command: 0x2F, family: 0x11, body: [UInt8](repeating: 1, count: 12)),
            Self.v2(family: 0x12, body: [UInt8](repeating: 1, count: 12)),
            Self.v2(family: 0x11, body: [1, 2, 3, 4]),
            Self.v2(family: 0x21, body: [UInt8](repeating: 1, count: 20)),
            Self.v2(family: 0x11, body: [], declaredLength: 65535),
        ]
        for bytes in cases {
            guard case .invalid = ProxyProtocol.parse(bytes) else {
                Issue.record("accepted \(bytes)")
                continue
            }
        }
    }

    @Test("a header from an untrusted address is told from SSH by its first bytes")
    func sniffing() {
        #expect(ProxyProtocol.looksLikeHeader(Array("PROXY TCP4".utf8)) == true)
        #expect(ProxyProtocol.looksLikeHeader(ProxyProtocol.v2Signature) == true)
        #expect(ProxyProtocol.looksLikeHeader(Array("PRO".utf8)) == nil)
        #expect(ProxyProtocol.looksLikeHeader(Array("SSH-2.0-OpenSSH".utf8)) == false)
        #expect(ProxyProtocol.looksLikeHeader([0x0D, 0x0A, 0x0D]) == nil)
    }

    @Test("trusted networks: IPv4 and IPv6 prefixes, single hosts, IPv4 mapped into IPv6; bad lists are refused with an example")
    func networks() throws {
        let trusted = try TrustedProxies(parsing: "10.0.0.0/8, 127.0.0.1, fd00::/8")
        #expect(trusted.contains("10.200.3.4") && trusted.contains("127.0.0.1") && trusted.contains("fd12::1"))
        #expect(trusted.contains("::ffff:10.1.2.3"))
        #expect(!trusted.contains("11.0.0.1") && !trusted.contains("127.0.0.2") && !trusted.contains("fe80::1") && !trusted.contains("unknown"))
        #expect(try TrustedProxies(parsing: "0.0.0.0/0").contains("198.51.100.9"))
        #expect(try TrustedProxies(parsing: "192.168.1.128/25").contains("192.168.1.200"))
        #expect(try !TrustedProxies(parsing: "192.168.1.128/25").contains("192.168.1.100"))
        for bad in ["10.0.0.0/33", "10.0.0.0/-1", "example.com", "10.0.0.0/8x", "::1/129"] {
            #expect(throws: TrustedProxiesError.self, "\(bad)") { try TrustedProxies(parsing: bad) }
        }
        #expect(try TrustedProxies(parsing: "").isEmpty)
    }
}
