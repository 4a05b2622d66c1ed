import ArgumentParser
import OnboardCore
import OnboardFeatures
import OnboardLive

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
            let configs = try await withBackend(service.options) {
                try await ServiceCommands.authConfigs($0, search: search, showDisabled: showDisabled)
            }
            render(configs, to: .standard)
        }
    }

    /// A table, or JSON with `--json`; an empty list is said on stderr.
    func render(_ configs: [AuthConfigSummary], to out: CommandOutput) {
        if output.json { return out.json(configs.map(CommandRecords.AuthConfig.init)) }
        guard !configs.isEmpty else {
            return out.err(search.map { "No auth config matches \u{201C}\($0)\u{201D}." } ?? "This project has no enabled auth configs.")
        }
        out.out(
            PlainTable.render(
                ["ID", "NAME", "TOOLKIT", "SCHEME", "STATUS", "ACCOUNTS"],
                configs.map {
                    [$0.id, $0.name, $0.toolkitSlug, $0.authScheme?.rawValue ?? "?", $0.isEnabled ? "enabled" : "disabled", String($0.connectionCount)]
                }))
    }
}
