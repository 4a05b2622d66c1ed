// swift-tools-version:6.2
import PackageDescription

/// Every target compiles in Swift 6 language mode with strict concurrency, and a warning in
/// the project's own code is an error (dependencies keep their own settings).
let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .treatAllWarnings(as: .error),
]

let package = Package(
    name: "onboard",
    // Linux only (ncursesw through a system library, Glibc, ptys): no platforms to declare.
    products: [
        .executable(name: "onboard", targets: ["onboard"])
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1", traits: ["FullFoundation"]),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio-ssh", from: "0.15.1"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
    ],
    targets: [
        // Pure domain: models, Secret, validation, the Wizard state machine. Foundation only.
        .target(name: "OnboardCore", swiftSettings: strict),
        // Careful file access for secrets and state: no links followed, owner-only checks on the
        // open descriptor, exclusive creation, size caps.
        .target(name: "OnboardFiles", swiftSettings: strict),
        // A SQLite file opened as onboard keeps files (0600, WAL, migrations under a lock): for the
        // sandbox and the invite store, so the sandbox does not depend on the store.
        .target(name: "OnboardSQLite", dependencies: ["OnboardFiles", .product(name: "GRDB", package: "GRDB.swift")], swiftSettings: strict),
        // The audit trail (who connected what, in a hash-chained file) and the gateway's invites.
        .target(
            name: "OnboardStore",
            dependencies: [
                "OnboardCore", "OnboardFiles", "OnboardSQLite", .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "PostgresNIO", package: "postgres-nio"), .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        // Wire DTOs, the client, its transport seam, errors and retries.
        .target(
            name: "ComposioAPI",
            dependencies: [
                "OnboardCore",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: strict
        ),
        // The local Composio-compatible server.
        .target(
            name: "ComposioSandbox",
            dependencies: [
                "ComposioAPI",
                "OnboardCore",
                "OnboardFiles",
                "OnboardSQLite",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: strict
        ),
        // Pure terminal UI: Canvas, views, widget logic, keys, style roles.
        .target(
            name: "OnboardTUI", dependencies: ["OnboardCore"],
            // The theme files in themes/ (linked here), compiled into the binary.
            resources: ["default", "light", "high-contrast", "mono", "dracula"].map { .embedInCode("Themes/\($0).toml") },
            swiftSettings: strict
        ),
        // The only C: ncursesw, with wrappers for what Swift cannot import.
        .systemLibrary(
            name: "CNcursesw",
            providers: [.apt(["libncurses-dev"])]
        ),
        // Signals caught as flags and process hardening: the C, then the one Swift module that
        // touches it (so there is one set of flags).
        .systemLibrary(name: "CProcess"),
        // A session's program on a pty of its own: openpty and posix_spawn with a new session.
        .systemLibrary(name: "CSpawn"),
        .target(name: "OnboardProcess", dependencies: ["CProcess", "CSpawn"], swiftSettings: strict),
        // The SSH gateway: invites typed as the user name, one wizard per session on a pty.
        .target(
            name: "OnboardGateway",
            dependencies: [
                "OnboardCore", "OnboardFiles", "OnboardProcess", "OnboardStore",
                .product(name: "NIOSSH", package: "swift-nio-ssh"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "OnboardCurses",
            dependencies: ["CNcursesw", "OnboardTUI", "OnboardCore", "OnboardProcess"],
            swiftSettings: strict
        ),
        // The runtime layer: the one loop the person drives, the effects it runs, and its front
        // ends (full screen, plain prompts, the key prompt). No argument parsing, no backend choice.
        .target(
            name: "OnboardRuntime",
            dependencies: ["OnboardCore", "OnboardTUI", "OnboardCurses", "ComposioAPI", "OnboardFiles"],
            swiftSettings: strict
        ),
        // The features layer: connect, import, accounts, rotate, invites with their link sync,
        // audit. Each takes its dependencies (a service, a store, an output) and does one thing;
        // no terminal, curses, runtime, argument parsing or backend choice.
        .target(
            name: "OnboardFeatures",
            dependencies: [
                "OnboardCore", "OnboardTUI", "ComposioAPI", "OnboardFiles", "OnboardStore",
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: strict
        ),
        // The live layer: which backend, the auditing decorator, which store, paths, logging, the
        // gateway's real wiring and the wizard's launcher.
        .target(
            name: "OnboardLive",
            dependencies: [
                "OnboardCore", "OnboardTUI", "OnboardCurses", "OnboardRuntime", "OnboardFeatures", "ComposioAPI", "ComposioSandbox", "OnboardFiles",
                "OnboardStore", "OnboardGateway", "OnboardProcess",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "onboard",
            dependencies: [
                "OnboardFeatures", "OnboardLive", "OnboardRuntime", "OnboardCore", "OnboardProcess", "ComposioSandbox", "ComposioAPI", "OnboardGateway",
                "OnboardStore", "OnboardTUI",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "OnboardTestSupport",
            dependencies: [
                "OnboardCore", "ComposioAPI", "ComposioSandbox", "OnboardTUI",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        // Appends to an audit trail from a process of its own, for the concurrent-append test.
        .executableTarget(name: "audit-stress", dependencies: ["OnboardStore"], path: "Tests/AuditStress", swiftSettings: strict),
        .testTarget(name: "OnboardStoreTests", dependencies: ["OnboardStore"], swiftSettings: strict),
        // Confines itself as a gateway session does and tries paths, for the confinement tests.
        .executableTarget(name: "confine-probe", dependencies: ["OnboardProcess"], path: "Tests/ConfineProbe", swiftSettings: strict),
        .testTarget(
            name: "OnboardGatewayTests",
            dependencies: [
                "OnboardGateway", "OnboardCore", "OnboardProcess", "OnboardStore", .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
            ],
            swiftSettings: strict
        ),
        .testTarget(name: "OnboardCoreTests", dependencies: ["OnboardCore", "OnboardTestSupport"], swiftSettings: strict),
        .testTarget(
            name: "ComposioAPITests",
            dependencies: [
                "ComposioAPI", "ComposioSandbox", "OnboardCore", "OnboardTestSupport",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "ComposioSandboxTests",
            dependencies: [
                "ComposioSandbox", "OnboardCore",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "OnboardTUITests",
            dependencies: ["OnboardTUI", "OnboardCore", "OnboardTestSupport"],
            exclude: ["__Snapshots__"],
            swiftSettings: strict
        ),
        .testTarget(name: "OnboardCursesTests", dependencies: ["OnboardCurses", "OnboardTUI", "OnboardCore", "OnboardProcess"], swiftSettings: strict),
        // The commands' rendering (text and JSON), which lives in the executable.
        .testTarget(
            name: "OnboardCommandTests",
            dependencies: ["onboard", "OnboardFeatures", "OnboardLive", "OnboardCore", "OnboardStore", "ComposioAPI", "OnboardTestSupport"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "OnboardFeaturesTests",
            dependencies: [
                "OnboardFeatures", "OnboardLive", "OnboardCore", "OnboardTUI", "ComposioAPI", "ComposioSandbox", "OnboardFiles", "OnboardStore",
                "OnboardTestSupport",
                "OnboardRuntime", .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "OnboardRuntimeTests",
            dependencies: [
                "OnboardRuntime", "OnboardCore", "OnboardTUI", "ComposioAPI", "ComposioSandbox", "OnboardTestSupport", "CSpawn",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "EndToEndTests",
            // It drives the built onboard binary; it imports none of the modules.
            swiftSettings: strict
        ),
    ],
    swiftLanguageModes: [.v6]
)
