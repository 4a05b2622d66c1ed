import ArgumentParser
import ComposioAPI
import Foundation
import OnboardApp
import OnboardCore
import OnboardGateway
import OnboardStore

/// `onboard gateway serve|fingerprint`: the SSH gateway for operator-assisted setup.
struct GatewayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gateway",
        abstract: "Serve the wizard over SSH to customers holding an invite (onboard invite create).",
        discussion: """
            The customer types the ssh command an invite prints and enters their own credentials in \
            the wizard, on a pty in a process of its own; the operator sees the outcome, never a value.

            Examples:
              onboard gateway serve                          # 127.0.0.1:2222, the embedded sandbox
              onboard gateway serve --host 0.0.0.0 --port 2222
              COMPOSIO_API_KEY=... onboard gateway serve --host 0.0.0.0
              onboard gateway fingerprint
            """,
        subcommands: [Serve.self, Fingerprint.self, Session.self]
    )

    struct Serve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "serve",
            abstract: "Listen for SSH logins by invite token (loopback by default).",
            discussion: "Examples:\n  onboard gateway serve\n  onboard gateway serve --host 0.0.0.0 --max-sessions 50 --idle-timeout 600")

        @Option(name: .long, help: "Address to listen on; anything but loopback is reachable from other machines.")
        var host = "127.0.0.1"

        @Option(name: .long, help: "Port to listen on (0 picks a free one and prints it).")
        var port = 2222

        @Option(name: .long, help: "Seconds from connecting to a running session before the connection is closed.")
        var loginGrace = 60

        @Option(name: .long, help: "Seconds without input before a session ends.")
        var idleTimeout = 900

        @Option(name: .long, help: "Seconds a session may last at most.")
        var maxSessionLength = 3600

        @Option(name: .long, help: "Sessions at once; one more is told to try again later.")
        var maxSessions = 128

        @Option(name: .long, help: "New connections a minute from one address (0: no limit).")
        var connectionsPerMinute = 30

        @Option(name: .long, help: "Service base URL (overrides COMPOSIO_BASE_URL; used only with an API key).")
        var baseURL: String?

        @Option(name: .long, help: "Read the project API key from this file (mode 600), instead of COMPOSIO_API_KEY.")
        var apiKeyFile: String?

        @Option(name: .long, help: "Keep the audit trail here (default: ONBOARD_AUDIT_LOG, else $XDG_STATE_HOME/onboard/audit.jsonl).")
        var auditLog: String?

        @OptionGroup var store: StoreFlag

        @Option(name: .long, help: "When run as root: the user every session runs as (like sshd's privilege separation user).")
        var sessionUser: String?

        func validate() throws {
            guard (0...65535).contains(port) else { throw ValidationError("--port must be between 0 and 65535.") }
            for (name, value) in [("--login-grace", loginGrace), ("--idle-timeout", idleTimeout), ("--max-session-length", maxSessionLength)]
            where value <= 0 {
                throw ValidationError("\(name) must be a positive number of seconds.")
            }
            guard maxSessions > 0 else { throw ValidationError("--max-sessions must be at least 1.") }
            guard connectionsPerMinute >= 0 else { throw ValidationError("--connections-per-minute must be 0 (no limit) or more.") }
        }

        func run() async throws {
            var limits = GatewayLimits()
            limits.loginGrace = .seconds(loginGrace)
            limits.idleTimeout = .seconds(idleTimeout)
            limits.maximumSessionLength = .seconds(maxSessionLength)
            limits.maximumSessions = maxSessions
            limits.connectionsPerMinute = connectionsPerMinute
            try await reportingErrors {
                try await GatewayCommands.serve(
                    .init(
                        host: host, port: port, limits: limits, baseURL: baseURL, keyFile: apiKeyFile, auditLog: auditLog, store: store.store,
                        sessionUser: sessionUser),
                    output: .standard)
            }
        }
    }

    struct Fingerprint: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "fingerprint",
            abstract: "Print the gateway's host key fingerprint (SHA256:..., as ssh shows it).",
            discussion: "Examples:\n  onboard gateway fingerprint\n  onboard gateway fingerprint --public-key   # for a known_hosts line")

        @Flag(name: .long, help: "Print the public key line (ssh-ed25519 AAAA...) instead.")
        var publicKey = false

        func run() async throws {
            try await reportingErrors { try GatewayCommands.fingerprint(publicKey: publicKey, output: .standard) }
        }
    }

    /// What the gateway runs on each session's pty; not for people. It takes no arguments: what
    /// it is for arrives on descriptor 4, the service key on 5, and it confines itself first.
    struct Session: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "session",
            abstract: "The wizard for one invite, as the gateway starts it on a session's pty.", shouldDisplay: false)

        func run() async throws {
            // Onboard.main runs a session before parsing (it must confine itself first); reaching
            // here means arguments the gateway never passes.
            throw ValidationError("Started by onboard gateway serve only, with no arguments.")
        }

        /// Reads what the gateway handed over and confines this process (synchronously, on the
        /// only thread there is).
        static func confine() throws -> GatewayBinding {
            do {
                return try GatewayBinding.startSession()
            } catch {
                printError("\(error)")
                throw ExitCode(error is UsageError ? 2 : 1)
            }
        }

        static func run(binding: GatewayBinding) async throws {
            let code = await WizardLauncher.run(
                .init(userId: binding.description.userId, authConfigId: binding.description.authConfig, session: binding))
            if code != 0 { throw ExitCode(code) }
        }
    }
}

/// `onboard invite create|list|revoke|watch`.
struct InviteCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "invite",
        abstract: "Single-use invites to the SSH gateway: create one, list, revoke, watch them.",
        discussion: """
            Examples:
              onboard invite create --auth-config ac_123 --user-id alice --ttl 30m --note "Alice at Acme"
              onboard invite create --auth-config ac_123 --user-id alice --public-host gw.example.com:2222 --json
              onboard invite list
              onboard invite watch
              onboard invite revoke inv_abc123
            """,
        subcommands: [Create.self, List.self, Revoke.self, Watch.self]
    )

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "create",
            abstract: "Create an invite and print the ssh command the customer types.",
            discussion:
                "Examples:\n  onboard invite create --auth-config ac_123 --user-id alice\n  onboard invite create --auth-config ac_123 --user-id alice --json")

        @Option(name: .long, help: "The auth config the customer connects to (ac_...).")
        var authConfig: String

        @Option(name: .long, help: "The user id the account is connected for (fixed: the customer cannot change it).")
        var userId: String

        @Option(name: .long, help: "How long the invite works: 45s, 30m, 24h, 7d (at most 7d).")
        var ttl = "30m"

        @Option(name: .long, help: "Your words about whom it is for; shown to operators only.")
        var note: String?

        @Option(name: .long, help: "HOST[:PORT] customers reach the gateway by (default: where it listens).")
        var publicHost: String?

        @Option(name: .long, help: "ssh (a command for the gateway; the default) or link (a hosted page that asks for the credentials).")
        var via = "ssh"

        @Option(name: .long, help: "With --via link: where the page sends the customer when done (http or https).")
        var callbackURL: String?

        @Option(
            name: .long,
            help:
                "What the customer may do with the user's existing accounts: add (another; the default), update (also the newest in place), replace (also delete them)."
        )
        var existing = "add"

        @OptionGroup var output: OutputFlags
        @OptionGroup var service: ServiceFlags
        @OptionGroup var store: StoreFlag

        func validate() throws {
            guard let seconds = DurationText.seconds(ttl), seconds >= 1, seconds <= 7 * 86_400 else {
                throw ValidationError("--ttl takes a lifetime from 1s to 7d, such as 30m, 2h or 1d.")
            }
            if let note, note.count > 200 { throw ValidationError("--note is at most 200 characters.") }
            guard Invite.Via(rawValue: via) != nil else { throw ValidationError("--via takes ssh or link.") }
            if callbackURL != nil, via != "link" { throw ValidationError("--callback-url goes with --via link.") }
            guard Invite.ExistingAccounts(rawValue: existing) != nil else { throw ValidationError("--existing takes add, update or replace.") }
        }

        func run() async throws {
            try await reportingErrors {
                let method = Invite.Via(rawValue: via) ?? .ssh
                if method == .link,
                    case .embeddedSandbox = try BackendChoice.from(
                        environment: ProcessEnvironment.current(), baseURLOverride: service.baseURL, keyFile: service.apiKeyFile)
                {
                    throw UsageError(
                        "A link's page must stay up after this command ends: use Composio (COMPOSIO_API_KEY), or run onboard sandbox serve and set COMPOSIO_BASE_URL and COMPOSIO_API_KEY to it."
                    )
                }
                let opened = try await StoreChoice.open(store: store.store, auditLog: service.auditLog)
                try await withBackend(service.options) {
                    try await InviteCommands.create(
                        .init(
                            authConfig: authConfig, userId: userId, ttl: DurationText.seconds(ttl) ?? 1800, note: note, publicHost: publicHost,
                            json: output.json, via: method, callbackURL: callbackURL, existing: Invite.ExistingAccounts(rawValue: existing) ?? .add),
                        service: $0, store: opened.invites, audit: opened.audit,
                        output: .standard)
                }
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list",
            abstract: "List invites of the last 7 days and where each stands.",
            discussion: "Examples:\n  onboard invite list\n  onboard invite list --all --json")

        @Flag(name: .long, help: "Every invite, however old.")
        var all = false

        @OptionGroup var output: OutputFlags
        @OptionGroup var store: StoreFlag
        @OptionGroup var service: ServiceFlags

        func run() async throws {
            try await reportingErrors {
                let opened = try await StoreChoice.open(store: store.store, auditLog: service.auditLog)
                try await withLinkService(opened.invites, service.options) {
                    try await InviteCommands.list(store: opened.invites, service: $0, audit: opened.audit, json: output.json, all: all, output: .standard)
                }
            }
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "revoke",
            abstract: "Withdraw an invite; a session under way on it ends.", discussion: "Examples:\n  onboard invite revoke inv_abc123")

        @Argument(help: "The invite's id (inv_...).")
        var id: String

        @Option(name: .long, help: "Keep the audit trail here (default: ONBOARD_AUDIT_LOG, else $XDG_STATE_HOME/onboard/audit.jsonl).")
        var auditLog: String?

        @OptionGroup var store: StoreFlag

        func run() async throws {
            try await reportingErrors {
                let opened = try await StoreChoice.open(store: store.store, auditLog: auditLog)
                try await InviteCommands.revoke(id: id, store: opened.invites, audit: opened.audit, output: .standard)
            }
        }
    }

    struct Watch: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "watch",
            abstract: "Follow invites live: pending, in session, connected (with the account), failed, expired, revoked.",
            discussion: "Examples:\n  onboard invite watch\n  onboard invite watch --json")

        @OptionGroup var output: OutputFlags
        @OptionGroup var store: StoreFlag
        @OptionGroup var service: ServiceFlags

        func run() async throws {
            try await reportingErrors {
                let opened = try await StoreChoice.open(store: store.store, auditLog: service.auditLog)
                try await withLinkService(opened.invites, service.options) {
                    try await InviteCommands.watch(store: opened.invites, service: $0, audit: opened.audit, json: output.json, output: .standard)
                }
            }
        }
    }
}

/// `--store`: invites and the audit trail in one PostgreSQL database shared by several gateways.
struct StoreFlag: ParsableArguments {
    @Option(
        name: .long,
        help:
            "Keep invites and the audit trail in this PostgreSQL database (postgres://USER@HOST:5432/DB[?sslmode=require]; default ONBOARD_STORE; password from ONBOARD_STORE_PASSWORD_FILE, PGPASSWORD or ~/.pgpass)."
    )
    var store: String?
}

/// `onboard store migrate`: the shared store's schema.
struct StoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "store",
        abstract: "Manage the shared PostgreSQL store of invites and the audit trail.",
        discussion: """
            Examples:
              ONBOARD_STORE=postgres://onboard@db.internal/onboard onboard store migrate
              onboard store migrate --store "postgres://onboard@127.0.0.1:5432/onboard?sslmode=require"
            """,
        subcommands: [Migrate.self]
    )

    struct Migrate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "migrate",
            abstract: "Create or update the store's tables (safe to run again, and from several machines at once).")

        @OptionGroup var store: StoreFlag

        func run() async throws {
            try await reportingErrors {
                guard let settings = try StoreChoice.postgres(store.store) else {
                    throw UsageError("Name the store: --store postgres://USER@HOST:5432/DB, or set ONBOARD_STORE.")
                }
                let opened = try await StoreChoice.openPostgres(settings)
                opened.close()
                printOut("The store \(settings.label) is ready (schema version \(PostgresStore.schemaVersion)).")
            }
        }
    }
}

/// The service, when link invites need following (their state lives there); none otherwise, so
/// listing SSH invites opens no backend.
func withLinkService(_ store: any InviteStore, _ options: ServiceOptions, _ body: ((any ComposioService)?) async throws -> Void) async throws {
    guard try await store.all().contains(where: { $0.via == .link }) else { return try await body(nil) }
    try await withBackend(options) { try await body($0) }
}
