import ArgumentParser
import ComposioAPI
import Foundation
import OnboardCore
import OnboardFeatures
import OnboardGateway
import OnboardLive
import OnboardStore

/// `--store`: invites and the audit trail in one PostgreSQL database shared by several gateways.
struct StoreFlag: ParsableArguments {
    @Option(
        name: .long,
        help:
            "Keep invites and the audit trail in this PostgreSQL database (postgres://USER@HOST:5432/DB[?sslmode=require]; default ONBOARD_STORE; password from ONBOARD_STORE_PASSWORD_FILE, PGPASSWORD or ~/.pgpass)."
    )
    var store: String?
}
