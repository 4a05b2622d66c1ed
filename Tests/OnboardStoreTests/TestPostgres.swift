import Foundation
import OnboardStore

/// A PostgreSQL server for these tests (script/postgres: a cluster of their own on a loopback
/// port), started once and stopped when the test process exits. PostgreSQL missing is a
/// failure, not a skip: script/test installs it.
enum TestPostgres {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
    static let directory = NSTemporaryDirectory() + "onboard-pg-\(UUID().uuidString.prefix(8))"

    /// The server's port, starting it on first use.
    static let port: Result<Int, StoreError> = {
        let output = directory + ".out"
        let status = run(["start", directory], output: output)
        let text = (try? String(contentsOfFile: output, encoding: .utf8)) ?? ""
        guard status == 0, let port = Int(text.trimmingCharacters(in: .whitespacesAndNewlines)) else {
            return .failure(StoreError("script/postgres could not start a server (status \(status)): \(text)"))
        }
        atexit { _ = TestPostgres.run(["stop", TestPostgres.directory], output: "/dev/null") }
        return .success(port)
    }()

    /// A fresh database on the server, with its own settings (password from PGPASSWORD).
    static func database() async throws -> PostgresSettings {
        let port = try port.get()
        let name = "t_\(UUID().uuidString.prefix(8).lowercased())"
        let environment = ["PGPASSWORD": "onboard-test", "HOME": NSTemporaryDirectory()]
        let admin = try PostgresSettings.parse("postgres://onboard@127.0.0.1:\(port)/postgres?sslmode=disable", environment: environment)
        let store = try PostgresStore(admin)
        defer { store.close() }
        try await store.execute("CREATE DATABASE \(name)")
        return try PostgresSettings.parse("postgres://onboard@127.0.0.1:\(port)/\(name)?sslmode=disable", environment: environment)
    }

    static func restart() -> Int32 { run(["restart", directory], output: "/dev/null") }
    static func stop() -> Int32 { run(["stop", directory], output: "/dev/null") }
    static func start() -> Int32 { run(["start", directory], output: "/dev/null") }

    @discardableResult
    static func run(_ arguments: [String], output: String) -> Int32 {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, output, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        let argv = [root + "/script/postgres"] + arguments
        let pointers = argv.map { strdup($0) } + [nil]
        defer { for pointer in pointers { free(pointer) } }
        var pid: pid_t = 0
        guard posix_spawn(&pid, argv[0], &actions, nil, pointers, environ) == 0 else { return -1 }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        return (status >> 8) & 0xff
    }
}
