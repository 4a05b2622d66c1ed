import ArgumentParser
import ComposioAPI
import Foundation
import OnboardCore
import OnboardFeatures
import OnboardGateway
import OnboardLive
import OnboardProcess
import OnboardStore
import Synchronization

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
              onboard invite attach inv_abc123
              onboard invite revoke inv_abc123
            """,
        subcommands: [Create.self, List.self, Revoke.self, Watch.self, Attach.self]
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

        @Option(
            name: .long,
            help: "Who asks and why, shown to the customer above the form (one line, at most 300 characters; default: the project's name).")
        var greeting: String?

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
                let lifetime = DurationText.seconds(ttl) ?? 1800
                let created = try await withBackend(service.options) {
                    try await InviteCommands.create(
                        .init(
                            authConfig: authConfig, userId: userId, ttl: lifetime, note: note, publicHost: publicHost, via: method,
                            callbackURL: callbackURL, existing: Invite.ExistingAccounts(rawValue: existing) ?? .add, greeting: greeting),
                        service: $0, store: opened.invites, audit: opened.audit, hostKeyFingerprint: { try GatewayCommands.hostKey().fingerprint })
                }
                InviteText.render(created, ttl: lifetime, json: output.json, to: .standard)
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
                let clock = SystemTimekeeper()
                let invites = try await withLinkService(opened.invites, service.options) {
                    try await InviteCommands.list(store: opened.invites, service: $0, audit: opened.audit, all: all, timekeeper: clock)
                }
                InviteText.render(invites, all: all, json: output.json, now: clock.date, to: .standard)
            }
        }
    }

    struct Attach: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "attach",
            abstract: "Watch a customer's session live, every secret masked; write them a note or end it.",
            discussion: """
                On the gateway's host, through its control socket; from elsewhere, through the gateway (started with
                --operator-keys): ssh -t -p 2222 operator@HOST attach inv_...
                Keys: n writes a note the customer sees above the form, x twice ends the session, q detaches.

                Examples:
                  onboard invite attach inv_abc123
                """)

        @Argument(help: "The invite's id (inv_...), as onboard invite list shows it.")
        var id: String

        /// The gateway's socket pair, when it starts this for an operator who came over SSH.
        @Option(name: .long, help: .hidden)
        var gatewayDescriptor: Int32?

        /// With `--gateway-descriptor`: the user to become, `UID:GID` (the gateway's `--session-user`).
        @Option(name: .long, help: .hidden)
        var become: String?

        @OptionGroup var store: StoreFlag

        /// Set once this process confined itself as the gateway's attach.
        static let confined = Mutex(false)

        /// `onboard invite attach ID --gateway-descriptor 3 [--become UID:GID]`, as the gateway
        /// starts it: becomes the user and confines itself before any other thread exists (a
        /// Landlock ruleset binds only the thread that applies it and those started after).
        static func confineIfStartedByGateway(_ arguments: [String]) throws {
            guard arguments.count >= 6, arguments[1] == "invite", arguments[2] == "attach", arguments[4] == "--gateway-descriptor" else { return }
            var user: SessionUser?
            if arguments.count == 8, arguments[6] == "--become" {
                let parts = arguments[7].split(separator: ":").compactMap { UInt32($0) }
                guard parts.count == 2 else { throw ValidationError("--become takes UID:GID.") }
                user = SessionUser(uid: parts[0], gid: parts[1])
            }
            try InviteAttach.confineForGateway(user: user)
            confined.withLock { $0 = true }
        }

        func run() async throws {
            try await reportingErrors {
                if gatewayDescriptor != nil, !Self.confined.withLock({ $0 }) {
                    throw CommandFailure("--gateway-descriptor is for the attach the gateway starts, confined before it parses anything.")
                }
                let code = try await InviteAttach.run(invite: id, descriptor: gatewayDescriptor, store: store.store, output: .standard)
                if code != 0 { throw ExitCode(code) }
            }
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "revoke",
            abstract: "Withdraw an invite; a session under way on it ends.", discussion: "Examples:\n  onboard invite revoke inv_abc123")

        @Argument(help: "The invite's id (inv_...).")
        var id: String

        @OptionGroup var audit: AuditLogOption

        @OptionGroup var store: StoreFlag

        func run() async throws {
            try await reportingErrors {
                let opened = try await StoreChoice.open(store: store.store, auditLog: audit.auditLog)
                InviteText.render(try await InviteCommands.revoke(id: id, store: opened.invites, audit: opened.audit), id: id, to: .standard)
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
                let json = output.json
                if !json { CommandOutput.standard.err("Watching invites; Ctrl-C to stop.") }
                try await withLinkService(opened.invites, service.options) {
                    try await InviteCommands.watch(store: opened.invites, service: $0, audit: opened.audit) {
                        InviteText.render($0, json: json, to: .standard)
                    }
                }
            }
        }
    }
}

/// The service, when link invites need following (their state lives there); none otherwise, so
/// listing SSH invites opens no backend.
func withLinkService<Result>(_ store: any InviteStore, _ options: ServiceOptions, _ body: ((any ComposioService)?) async throws -> Result)
    async throws -> Result
{
    guard try await store.all().contains(where: { $0.via == .link }) else { return try await body(nil) }
    return try await withBackend(options) { try await body($0) }
}
