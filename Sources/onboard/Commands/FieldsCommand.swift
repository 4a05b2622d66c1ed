import ArgumentParser
import OnboardFeatures
import OnboardLive

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
