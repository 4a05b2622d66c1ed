import ArgumentParser
import OnboardApp

/// `onboard auth-configs`
struct AuthConfigsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "auth-configs",
        abstract: "List the project's auth configs.",
        discussion: """
            Examples:
              onboard auth-configs
              onboard auth-configs --search fresh --json | jq -r '.[].id'
            """
    )

    @Option(name: .long, help: "Only configs whose name or id contains this.")
    var search: String?

    @Flag(name: .long, help: "Include disabled configs.")
    var showDisabled = false

    @OptionGroup var output: OutputFlags
    @OptionGroup var service: ServiceFlags

    func run() async throws {
        try await reportingErrors {
            try await withBackend(service.options) {
                try await ServiceCommands.authConfigs($0, search: search, showDisabled: showDisabled, json: output.json, output: .standard)
            }
        }
    }
}

/// `onboard fields AUTH_CONFIG_ID`
struct FieldsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fields",
        abstract: "Show the fields a user provides to connect through an auth config.",
        discussion: """
            Required fields first, then optional ones, each marked secret or not; fields the \
            config's shared credentials already provide are left out.

            Examples:
              onboard fields ac_123
              onboard fields ac_123 --json | jq -r '.fields[] | select(.secret) | .name'
            """
    )

    @Argument(help: "The auth config's id (ac_...).")
    var authConfigId: String

    @OptionGroup var output: OutputFlags
    @OptionGroup var service: ServiceFlags

    func run() async throws {
        try await reportingErrors {
            try await withBackend(service.options) {
                try await ServiceCommands.fields($0, authConfigId: authConfigId, json: output.json, output: .standard)
            }
        }
    }
}

/// `onboard accounts [list|get|delete]`
struct AccountsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "accounts",
        abstract: "List, show or delete connected accounts.",
        discussion: """
            Examples:
              onboard accounts --user-id alice
              onboard accounts --auth-config ac_123 --status FAILED --json
              onboard accounts get ca_123
              onboard accounts delete ca_123
            """,
        subcommands: [List.self, Get.self, Delete.self],
        defaultSubcommand: List.self
    )

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List connected accounts (the default).",
            discussion: "Examples:\n  onboard accounts --user-id alice\n  onboard accounts --auth-config ac_123 --status FAILED --json")

        @Option(name: .long, help: "Only this user's accounts.")
        var userId: String?

        @Option(name: .long, help: "Only accounts on this auth config (ac_...).")
        var authConfig: String?

        @Option(name: .long, help: "Only accounts in this status: ACTIVE, INITIATED, INITIALIZING, FAILED, EXPIRED, INACTIVE or REVOKED.")
        var status: String?

        @OptionGroup var output: OutputFlags
        @OptionGroup var service: ServiceFlags

        func validate() throws {
            let known = ["ACTIVE", "INITIATED", "INITIALIZING", "FAILED", "EXPIRED", "INACTIVE", "REVOKED"]
            if let status, !known.contains(status.uppercased()) {
                throw ValidationError("--status must be one of \(known.joined(separator: ", ")).")
            }
        }

        func run() async throws {
            try await reportingErrors {
                try await withBackend(service.options) {
                    try await ServiceCommands.accounts(
                        $0, userId: userId, authConfigId: authConfig, status: status?.uppercased(), json: output.json, output: .standard)
                }
            }
        }
    }

    struct Get: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show one connected account (never its credentials).",
            discussion: "Examples:\n  onboard accounts get ca_123\n  onboard accounts get ca_123 --json | jq -r .status")

        @Argument(help: "The account's id (ca_...).")
        var id: String

        @OptionGroup var output: OutputFlags
        @OptionGroup var service: ServiceFlags

        func run() async throws {
            try await reportingErrors {
                try await withBackend(service.options) { try await ServiceCommands.account($0, id: id, json: output.json, output: .standard) }
            }
        }
    }

    struct Delete: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Delete a connected account.", discussion: "Example:\n  onboard accounts delete ca_123")

        @Argument(help: "The account's id (ca_...).")
        var id: String

        @OptionGroup var output: OutputFlags
        @OptionGroup var service: ServiceFlags

        func run() async throws {
            try await reportingErrors {
                try await withBackend(service.options) { try await ServiceCommands.deleteAccount($0, id: id, json: output.json, output: .standard) }
            }
        }
    }
}
