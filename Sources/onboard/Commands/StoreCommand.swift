import ArgumentParser
import ComposioAPI
import Foundation
import OnboardCore
import OnboardFeatures
import OnboardGateway
import OnboardLive
import OnboardStore

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
