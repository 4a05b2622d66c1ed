import ArgumentParser
import OnboardFeatures
import OnboardLive
import OnboardStore

/// `onboard audit [verify]`: the record of who connected what.
struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Show or verify the audit trail: who connected, updated or deleted which account, when, and how it ended.",
        discussion: """
            Every command and the wizard append to it: JSON Lines in $XDG_STATE_HOME/onboard/audit.jsonl \
            (0600), each line holding the SHA-256 of the line before. Names and ids only, never a value. \
            ONBOARD_AUDIT=off turns it off.

            Examples:
              onboard audit
              onboard audit --since 24h --event connection.
              onboard audit --user-id alice --json
              onboard audit --follow
              onboard audit verify
              onboard audit verify --head > audit.head        # keep it elsewhere
              onboard audit verify --expect-head "$(cat audit.head)"
            """,
        subcommands: [List.self, Verify.self],
        defaultSubcommand: List.self
    )

    struct Location: ParsableArguments {
        @Option(name: .long, help: "The audit trail (default: ONBOARD_AUDIT_LOG, else $XDG_STATE_HOME/onboard/audit.jsonl).")
        var auditLog: String?

        @Option(name: .long, help: "Read the trail from this shared store (postgres://USER@HOST/DB; default ONBOARD_STORE) instead of the file.")
        var store: String?

        var path: String { AuditSettings.path(auditLog) }

        /// The shared store, when one is named and no file was asked for.
        func database() async throws -> PostgresStore? {
            guard auditLog == nil, let settings = try StoreChoice.postgres(store) else { return nil }
            return try await StoreChoice.openPostgres(settings)
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list",
            abstract: "Show the audit trail, oldest first (the default).",
            discussion: "Examples:\n  onboard audit --since 7d --auth-config ac_123\n  onboard audit --event link.created --json")

        @Option(name: .long, help: "Only events since a time (2026-11-30, 2026-11-30T09:00Z) or an age (30m, 24h, 7d).")
        var since: String?

        @Option(name: .long, help: "Only events for this user id.")
        var userId: String?

        @Option(name: .long, help: "Only events on this auth config (ac_...).")
        var authConfig: String?

        @Option(name: .long, help: "Only this event (connection.created), or a family (connection.).")
        var event: String?

        @Flag(name: .long, help: "Keep printing events as they are appended, until Ctrl-C.")
        var follow = false

        @OptionGroup var output: OutputFlags
        @OptionGroup var location: Location

        func validate() throws {
            if let since, AuditCommands.parseSince(since) == nil {
                throw ValidationError("--since takes a time such as 2026-11-30 or 2026-11-30T09:00Z, or an age such as 30m, 24h or 7d.")
            }
        }

        func run() async throws {
            try await reportingErrors {
                let filter = AuditCommands.Filter(since: since.flatMap { AuditCommands.parseSince($0) }, userId: userId, authConfig: authConfig, event: event)
                let listing = AuditText.Listing(json: output.json, follow: follow, out: .standard)
                if let database = try await location.database() {
                    defer { database.close() }
                    return try await AuditCommands.list(database: database, filter: filter, follow: follow, show: listing.show)
                }
                let path = location.path
                guard try await AuditCommands.list(path: path, filter: filter, follow: follow, show: listing.show) else {
                    return CommandOutput.standard.err("There is no audit trail at \(path) yet; onboard writes one with its first action.")
                }
            }
        }
    }

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "verify",
            abstract: "Check the chain: exit 1 naming the first line edited, removed, reordered or inserted.",
            discussion: "Examples:\n  onboard audit verify\n  onboard audit verify --head\n  onboard audit verify --expect-head 3f2a...")

        @Flag(name: .long, help: "Print only the hash of the last line (after checking the chain), to keep elsewhere.")
        var head = false

        @Option(name: .long, help: "A head printed earlier by --head: the trail must still contain it (catches a cut end).")
        var expectHead: String?

        @Option(
            name: .long,
            help:
                "The trail's public signing key (printed by verify) kept elsewhere; default: the key beside the trail. With the shared store: the writers' keys, comma-separated, and any other signer fails."
        )
        var signingKey: String?

        @OptionGroup var location: Location

        func run() async throws {
            try await reportingErrors {
                if let database = try await location.database() {
                    defer { database.close() }
                    let signers = Set((signingKey ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty })
                    let verified = try await AuditCommands.verify(database: database, expectHead: expectHead, signers: signers)
                    return AuditText.render(verified, headOnly: head, shared: true, signers: signers, to: .standard)
                }
                let verified = try AuditCommands.verify(path: location.path, expectHead: expectHead, signingKey: signingKey)
                AuditText.render(verified, headOnly: head, shared: false, signers: [], to: .standard)
            }
        }
    }
}
