import ArgumentParser
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
            try await withBackend(service.options) {
                try await ServiceCommands.authConfigs($0, search: search, showDisabled: showDisabled, json: output.json, output: .standard)
            }
        }
    }
}
