import ArgumentParser
import OnboardFeatures
import OnboardLive

/// `onboard accounts [list|get|update|enable|disable|delete]`
struct AccountsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "accounts",
        abstract: "List, show, update, enable, disable or delete connected accounts.",
        discussion: """
            Examples:
              onboard accounts --user-id alice
              onboard accounts --auth-config ac_123 --status FAILED --json
              onboard accounts get ca_123
              printf 'generic_api_key=%s\\n' "$NEW_KEY" | onboard accounts update ca_123 --secrets-stdin
              onboard accounts update ca_123 --alias work
              onboard accounts disable ca_123
              onboard accounts delete ca_123
            """,
        subcommands: [List.self, Get.self, Update.self, Enable.self, Disable.self, Delete.self],
        defaultSubcommand: List.self
    )

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list",
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
                let accounts = try await withBackend(service.options) {
                    try await ServiceCommands.accounts($0, userId: userId, authConfigId: authConfig, status: status?.uppercased())
                }
                let out = CommandOutput.standard
                if output.json { return out.json(accounts.map(CommandRecords.Account.init)) }
                guard !accounts.isEmpty else { return out.err("No connected accounts match.") }
                out.out(
                    PlainTable.render(
                        ["ID", "STATUS", "TOOLKIT", "AUTH CONFIG", "USER", "ALIAS", "REASON"],
                        accounts.map {
                            [$0.id, ServiceCommands.status($0), $0.toolkitSlug, $0.authConfigId, $0.userId ?? "", $0.alias ?? "", $0.statusReason ?? ""]
                        }))
            }
        }
    }

    struct Get: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "get",
            abstract: "Show one connected account (never its credentials).",
            discussion: "Examples:\n  onboard accounts get ca_123\n  onboard accounts get ca_123 --json | jq -r .status")

        @Argument(help: "The account's id (ca_...).")
        var id: String

        @OptionGroup var output: OutputFlags
        @OptionGroup var service: ServiceFlags

        func run() async throws {
            try await reportingErrors {
                let account = try await withBackend(service.options) { try await ServiceCommands.account($0, id: id) }
                let out = CommandOutput.standard
                if output.json { return out.json(CommandRecords.Account(account)) }
                var rows = [
                    ["id", account.id], ["status", ServiceCommands.status(account)], ["toolkit", account.toolkitSlug],
                    ["auth config", account.authConfigId], ["user", account.userId ?? ""],
                ]
                if let alias = account.alias { rows.append(["alias", alias]) }
                if let reason = account.statusReason { rows.append(["reason", reason]) }
                if account.status == .initiated, let url = account.redirectURL { rows.append(["link", url]) }
                out.out(PlainTable.render(["FIELD", "VALUE"], rows))
            }
        }
    }

    struct Update: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "update",
            abstract: "Change an account in place: new credentials (some or all), an alias. It keeps its id; nothing is deleted.",
            discussion: """
                Values not given are kept. Secrets come from stdin or a file, never the command line. \
                OAuth accounts cannot take new credentials; connect them again through a link.

                Examples:
                  printf 'generic_api_key=%s\\n' "$NEW_KEY" | onboard accounts update ca_123 --secrets-stdin
                  onboard accounts update ca_123 --field subdomain=acme-eu
                  onboard accounts update ca_123 --alias work
                  onboard accounts update ca_123 --remove region --json
                """)

        @Argument(help: "The account's id (ca_...).")
        var id: String

        @Option(name: .customLong("field"), parsing: .singleValue, help: "A non-secret value, NAME=VALUE (repeatable).")
        var fields: [String] = []

        @Option(name: .customLong("remove"), parsing: .singleValue, help: "Delete an optional field's value (repeatable).")
        var remove: [String] = []

        @OptionGroup var secrets: SecretsInput

        @Option(name: .long, help: "A name for the account, unique per user and toolkit (\"\" clears it).")
        var alias: String?

        @OptionGroup var output: OutputFlags
        @OptionGroup var service: ServiceFlags

        func run() async throws {
            try await reportingErrors {
                let options = UpdateAction.Options(
                    accountId: id, fields: try ConnectAction.parseFields(fields), remove: remove, secrets: secrets.source, alias: alias)
                let updated = try await withBackend(service.options) { try await UpdateAction.run($0, options) }
                if output.json { return CommandOutput.standard.json(updated) }
                var parts: [String] = []
                if !updated.updatedFields.isEmpty { parts.append("set \(updated.updatedFields.joined(separator: ", "))") }
                if !updated.removedFields.isEmpty { parts.append("removed \(updated.removedFields.joined(separator: ", "))") }
                if let alias = updated.alias { parts.append(alias.isEmpty ? "cleared the alias" : "alias \(alias)") }
                CommandOutput.standard.out(
                    "Updated \(updated.id) (\(updated.toolkit) for user \(updated.userId ?? "?")): \(parts.joined(separator: "; ")); now \(updated.status).")
            }
        }
    }

    struct Enable: AccountStatusCommand {
        static let enabled = true
        static let configuration = CommandConfiguration(
            commandName: "enable",
            abstract: "Enable a disabled account (ACTIVE again).", discussion: "Example:\n  onboard accounts enable ca_123")

        @Argument(help: "The account's id (ca_...).")
        var id: String

        @OptionGroup var output: OutputFlags
        @OptionGroup var service: ServiceFlags
    }

    struct Disable: AccountStatusCommand {
        static let enabled = false
        static let configuration = CommandConfiguration(
            commandName: "disable",
            abstract: "Disable an account: kept, but unusable (INACTIVE) until enabled.", discussion: "Example:\n  onboard accounts disable ca_123")

        @Argument(help: "The account's id (ca_...).")
        var id: String

        @OptionGroup var output: OutputFlags
        @OptionGroup var service: ServiceFlags
    }

    struct Delete: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "delete", abstract: "Delete a connected account.", discussion: "Example:\n  onboard accounts delete ca_123")

        @Argument(help: "The account's id (ca_...).")
        var id: String

        @OptionGroup var output: OutputFlags
        @OptionGroup var service: ServiceFlags

        func run() async throws {
            try await reportingErrors {
                try await withBackend(service.options) { try await ServiceCommands.deleteAccount($0, id: id) }
                if output.json { return CommandOutput.standard.json(CommandRecords.Deleted(id: id, deleted: true)) }
                CommandOutput.standard.err("Deleted \(id).")
            }
        }
    }
}

/// `accounts enable` and `accounts disable`: one body, the direction a static.
protocol AccountStatusCommand: AsyncParsableCommand {
    static var enabled: Bool { get }
    var id: String { get }
    var output: OutputFlags { get }
    var service: ServiceFlags { get }
}

extension AccountStatusCommand {
    func run() async throws {
        try await reportingErrors {
            let account = try await withBackend(service.options) { try await ServiceCommands.setEnabled($0, id: id, enabled: Self.enabled) }
            if output.json { return CommandOutput.standard.json(CommandRecords.Account(account)) }
            CommandOutput.standard.err("\(Self.enabled ? "Enabled" : "Disabled") \(id): now \(ServiceCommands.status(account)).")
        }
    }
}
