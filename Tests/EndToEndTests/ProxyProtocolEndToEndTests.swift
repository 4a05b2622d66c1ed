import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// A TCP client from a chosen loopback address (127.0.0.x), for the tests that need clients the
/// gateway can tell apart.
enum LoopbackClient {
    /// Connects from `source` to 127.0.0.1:`port`, sends `sending`, and reads until the other end
    /// closes or `timeout` passes. Returns what was read and whether the other end closed.
    static func exchange(from source: String, port: Int, sending: [UInt8] = [], timeout: Double = 3) throws -> (bytes: [UInt8], closed: Bool) {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(descriptor) }
        var local = sockaddr_in()
        local.sin_family = sa_family_t(AF_INET)
        local.sin_addr.s_addr = inet_addr(source)
        let bound = withUnsafePointer(to: &local) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0 else { throw E2EError.missing("cannot bind \(source): errno \(errno)") }
        var remote = sockaddr_in()
        remote.sin_family = sa_family_t(AF_INET)
        remote.sin_port = in_port_t(UInt16(port).bigEndian)
        remote.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &remote) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { return ([], true) }
        if !sending.isEmpty { _ = sending.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) } }
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        let start = Date()
        while Date().timeIntervalSince(start) < timeout {
            var entry = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            guard poll(&entry, 1, 100) > 0 else { continue }
            let count = read(descriptor, &buffer, buffer.count)
            if count <= 0 { return (received, true) }
            received += buffer[0..<count]
        }
        return (received, false)
    }

    /// A free TCP port on 127.0.0.1 (bound, read, released).
    static func freePort() throws -> Int {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let ok = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                bind(descriptor, pointer, length) == 0 && getsockname(descriptor, pointer, &length) == 0
            }
        }
        guard ok else { throw E2EError.missing("no free port") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

/// The gateway behind HAProxy (Debian's, started here on loopback) with `send-proxy-v2`: the
/// customer's own address reaches limits, the invite and the trail; headers from anyone else are
/// refused.
@Suite("The SSH gateway behind HAProxy", .serialized)
struct ProxyProtocolEndToEndTests {
    @Test("clients through HAProxy are seen at their own addresses, limited one by one; headers from elsewhere, or none from HAProxy, are refused")
    func behindHAProxy() async throws {
        let data = try TemporaryDirectory()
        // Two connections a minute per client, so the third from one client is refused.
        let gateway = try await GatewayProcess(["--proxy-protocol-from", "127.0.0.1/32", "--connections-per-minute", "2"], data: data)
        #expect(gateway.logText.contains("PROXY protocol headers are trusted from 127.0.0.1/32 only"))
        let front = try LoopbackClient.freePort()
        let config = data.path + "/haproxy.cfg"
        try """
        global
            maxconn 200
        defaults
            mode tcp
            timeout connect 5s
            timeout client 60s
            timeout server 60s
        frontend ssh
            bind 127.0.0.1:\(front)
            default_backend gateways
        backend gateways
            server gw1 127.0.0.1:\(gateway.port) send-proxy-v2

        """.write(toFile: config, atomically: true, encoding: .utf8)
        try "".write(toFile: data.path + "/haproxy.in", atomically: true, encoding: .utf8)
        let haproxy = try ChildProcess.spawn(
            ["/usr/sbin/haproxy", "-f", config, "-db"], environment: ProcessInfo.processInfo.environment, stdin: data.path + "/haproxy.in",
            stdout: data.path + "/haproxy.out", stderr: data.path + "/haproxy.err")
        defer {
            kill(haproxy, SIGTERM)
            ChildProcess.wait(haproxy)
        }
        var banner: [UInt8] = []
        var failure = ""
        for _ in 0..<50 where !String(decoding: banner, as: UTF8.self).hasPrefix("SSH-2.0-") {
            do {
                banner = try LoopbackClient.exchange(from: "127.0.0.9", port: front, timeout: 0.3).bytes
            } catch {
                failure = "\(error)"
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        let haproxyErrors = (try? String(contentsOfFile: data.path + "/haproxy.err", encoding: .utf8)) ?? ""
        #expect(
            String(decoding: banner, as: UTF8.self).hasPrefix("SSH-2.0-"),
            "HAProxy did not come up in front of the gateway: \(failure) \(haproxyErrors)\n\(gateway.logText)")

        // The real OpenSSH client through HAProxy, from 127.0.0.2: the invite and the trail say 127.0.0.2.
        let (token, id, _) = try gateway.invite()
        let known = data.path + "/known_hosts_front"
        let key = try String(contentsOfFile: gateway.knownHosts, encoding: .utf8).split(separator: " ", maxSplits: 1).last ?? ""
        try "[127.0.0.1]:\(front) \(key)".write(toFile: known, atomically: true, encoding: .utf8)
        let pane = try TmuxSession(
            command:
                "ssh -F /dev/null -o UserKnownHostsFile=\(known) -o StrictHostKeyChecking=yes -o BatchMode=yes -b 127.0.0.2 -p \(front) \(token)@127.0.0.1; echo SSH-EXIT=$?; sleep 60"
        )
        try await pane.waitFor("API Key")
        let invite = try #require(try gateway.invites().first { $0["id"] as? String == id })
        #expect((invite["claimed_from"] as? String)?.hasPrefix("127.0.0.2:") == true, "claimed from \(invite["claimed_from"] ?? "?")")
        let claimed = try #require(try gateway.auditEvents().first { $0["event"] as? String == "invite.claimed" })
        let actor = try #require(claimed["actor"] as? [String: Any])
        #expect((actor["address"] as? String)?.hasPrefix("127.0.0.2:") == true)

        // The per-address limit hits one client (127.0.0.4), not everyone behind HAProxy.
        for _ in 0..<2 { _ = try LoopbackClient.exchange(from: "127.0.0.4", port: front, timeout: 0.5) }
        let third = try LoopbackClient.exchange(from: "127.0.0.4", port: front, timeout: 2)
        #expect(!String(decoding: third.bytes, as: UTF8.self).hasPrefix("SSH-2.0-") && third.closed, "the third connection in a minute was let in")
        let other = try LoopbackClient.exchange(from: "127.0.0.5", port: front, timeout: 2)
        #expect(String(decoding: other.bytes, as: UTF8.self).hasPrefix("SSH-2.0-"), "another client was refused with the first")
        #expect(gateway.logText.contains("Connections from 127.0.0.4:"))
        #expect(!gateway.logText.contains("Connections from 127.0.0.1:"), "the limit counted HAProxy's address")

        // A PROXY header straight from a client is refused: it could name anyone.
        let forged = try LoopbackClient.exchange(
            from: "127.0.0.3", port: gateway.port, sending: Array("PROXY TCP4 203.0.113.7 127.0.0.1 5555 22\r\n".utf8), timeout: 3)
        #expect(forged.closed)
        // And HAProxy's own address without a header (a balancer set up without send-proxy) too.
        let bare = try LoopbackClient.exchange(from: "127.0.0.1", port: gateway.port, sending: Array("SSH-2.0-OpenSSH_9.2\r\n".utf8), timeout: 3)
        #expect(bare.closed)
        for _ in 0..<40 where !gateway.logText.contains("not in --proxy-protocol-from") { try await Task.sleep(for: .milliseconds(50)) }
        #expect(gateway.logText.contains("Closed 127.0.0.3:") && gateway.logText.contains("not in --proxy-protocol-from"))
        #expect(gateway.logText.contains("a trusted balancer: no PROXY header"))
        #expect(!gateway.logText.contains("203.0.113.7"), "the forged address reached the log as a client")
    }

    /// HAProxy in front of `gateways`: PROXY v2 to each, `/ready` as the health check every
    /// 300 ms, every new client to the first server that is up (`balance first`).
    static func haproxy(_ data: TemporaryDirectory, front: Int, gateways: [(ssh: Int, metrics: Int)]) throws -> pid_t {
        let servers = gateways.enumerated().map { index, gateway in
            "    server gw\(index + 1) 127.0.0.1:\(gateway.ssh) send-proxy-v2 check port \(gateway.metrics) inter 300ms fall 1 rise 1"
        }
        let config = data.path + "/haproxy-pair.cfg"
        try
            ([
                "global", "    maxconn 200", "defaults", "    mode tcp", "    timeout connect 5s", "    timeout client 60s", "    timeout server 60s",
                "    timeout check 2s", "frontend ssh", "    bind 127.0.0.1:\(front)", "    default_backend gateways", "backend gateways", "    balance first",
                "    option httpchk GET /ready",
            ] + servers + [""]).joined(separator: "\n").write(toFile: config, atomically: true, encoding: .utf8)
        try "".write(toFile: data.path + "/haproxy-pair.in", atomically: true, encoding: .utf8)
        return try ChildProcess.spawn(
            ["/usr/sbin/haproxy", "-f", config, "-db"], environment: ProcessInfo.processInfo.environment, stdin: data.path + "/haproxy-pair.in",
            stdout: data.path + "/haproxy-pair.out", stderr: data.path + "/haproxy-pair.err")
    }

    @Test(
        "20 OpenSSH clients through HAProxy to two gateways on PostgreSQL, each seen at its own address; SIGTERM to one with five sessions at the form: its health check fails, new clients land on the other, the five end ACTIVE, exit 0, the chain verifies"
    )
    func drainBehindHAProxy() async throws {
        let cluster = try PostgresCluster()
        let served = try SharedStoreEndToEndTests.served(cluster.directory)
        defer { served.kill(signal: SIGTERM) }
        let environment = SharedStoreEndToEndTests.environment(cluster, served: served)
        let flags = ["--proxy-protocol-from", "127.0.0.1/32", "--metrics", "127.0.0.1:0", "--drain-timeout", "60"]
        let (first, second) = (try await GatewayProcess(flags, environment: environment), try await GatewayProcess(flags, environment: environment))
        func metricsPort(_ gateway: GatewayProcess) throws -> Int {
            try #require(Int(gateway.logText.firstMatch(of: /Metrics on http:\/\/127\.0\.0\.1:(\d+)\/metrics/)?.output.1 ?? ""))
        }
        let front = try LoopbackClient.freePort()
        let haproxy = try Self.haproxy(
            cluster.directory, front: front, gateways: [(first.port, try metricsPort(first)), (second.port, try metricsPort(second))])
        defer {
            kill(haproxy, SIGTERM)
            ChildProcess.wait(haproxy)
        }
        let known = cluster.directory.path + "/known_hosts_pair"
        let keys = try [first, second].map { try String(contentsOfFile: $0.knownHosts, encoding: .utf8).split(separator: " ", maxSplits: 1).last ?? "" }
        try keys.map { "[127.0.0.1]:\(front) \($0)" }.joined(separator: "\n").write(toFile: known, atomically: true, encoding: .utf8)
        func client(_ token: String, from source: String) throws -> TmuxSession {
            try TmuxSession(
                command:
                    "ssh -F /dev/null -o UserKnownHostsFile=\(known) -o StrictHostKeyChecking=yes -o BatchMode=yes -b \(source) -p \(front) \(token)@127.0.0.1; echo SSH-EXIT=$?; sleep 60"
            )
        }
        func holder(_ id: String) throws -> String { (try first.invites().first { $0["id"] as? String == id }?["gateway"] as? String) ?? "" }

        // Twenty customers, each from an address of its own (127.0.0.31 to .50): five stay at the
        // form across the drain, thirteen look and leave before it, two come during it.
        let invites = try (0..<20).map { try first.invite(userId: "behind-\($0)") }
        func source(_ index: Int) -> String { "127.0.0.\(31 + index)" }
        var panes: [TmuxSession] = []
        for (index, invite) in invites.prefix(5).enumerated() {
            let pane = try client(invite.token, from: source(index))
            try await pane.waitFor("API Key")
            panes.append(pane)
        }
        #expect(try invites.prefix(5).allSatisfy { try holder($0.id).hasSuffix(":\(first.port)") }, "the five sessions on the first gateway")
        let visitors = try (5..<18).map { try client(invites[$0].token, from: source($0)) }
        for visitor in visitors {
            try await visitor.waitFor("API Key")
            try visitor.keys("Escape")
        }
        for visitor in visitors { try await visitor.waitFor("SSH-EXIT=") }

        kill(first.pid, SIGTERM)
        for _ in 0..<50 where !first.logText.contains("Draining") { try await Task.sleep(for: .milliseconds(100)) }
        try await Task.sleep(for: .milliseconds(1200))  // HAProxy's check (every 300 ms) sees /ready at 503
        var late: [TmuxSession] = []
        for (index, invite) in invites.enumerated().suffix(2) {
            let pane = try client(invite.token, from: source(index))
            try await pane.waitFor("API Key")
            late.append(pane)
            #expect(try holder(invite.id).hasSuffix(":\(second.port)"), "a new client landed on the gateway still up")
        }

        for (index, pane) in panes.enumerated() {
            try pane.type("tvly-behind-haproxy-\(index)")
            try await pane.enter(leaving: "Enter credentials")
            try pane.keys("Enter")
            try await pane.waitFor("ACTIVE")
            try pane.keys("Enter")
            try await pane.waitFor("SSH-EXIT=0")
        }
        #expect(try await first.waitForExit() == 0, "the drained gateway did not exit 0")
        let listed = try second.invites()
        for (index, invite) in invites.enumerated() {
            let row = try #require(listed.first { $0["id"] as? String == invite.id })
            #expect((row["claimed_from"] as? String)?.hasPrefix(source(index) + ":") == true, "invite \(index) claimed from \(row["claimed_from"] ?? "?")")
            if index < 5 { #expect(row["state"] as? String == "connected") }
        }
        // The trail names each customer's address, never HAProxy's.
        let trail = try #require(
            try CommandEndToEndTests.onboard(["audit", "--json"], data: second.data, environment: cluster.environment).json() as? [[String: Any]])
        let claimedFrom = trail.filter { $0["event"] as? String == "invite.claimed" }.compactMap {
            (($0["actor"] as? [String: Any])?["address"] as? String)?.split(separator: ":").first.map(String.init)
        }
        #expect(Set(claimedFrom) == Set((0..<20).map(source)), "\(claimedFrom.sorted())")
        #expect(try CommandEndToEndTests.onboard(["audit", "verify"], data: second.data, environment: cluster.environment).status == 0)
    }
}
