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
            let found = try await withBackend(service.options) { try await ServiceCommands.fields($0, authConfigId: authConfigId) }
            render(found, to: .standard)
        }
    }

    func render(_ found: ServiceCommands.UserFields, to out: CommandOutput) {
        let (config, scheme, fields) = (found.config, found.scheme, found.fields)
        if output.json {
            return out.json(
                CommandRecords.Fields(
                    authConfigId: config.id, toolkit: config.toolkitSlug, authScheme: scheme.rawValue, fields: fields.map(CommandRecords.Field.init),
                    sharedFields: config.sharedFieldNames.sorted()))
        }
        out.out("\(config.name) (\(config.id)): \(config.toolkitSlug), \(scheme.rawValue)")
        if scheme.isRedirectBased {
            return out.out("Users connect through a hosted link (onboard connect prints one); \(scheme.rawValue) tokens cannot be imported.")
        }
        out.out(
            PlainTable.render(
                ["FIELD", "REQUIRED", "SECRET", "DEFAULT", "DESCRIPTION"],
                fields.map { [$0.name, $0.isRequired ? "yes" : "no", $0.isSecret ? "yes" : "no", $0.isSecret ? "" : $0.defaultValue ?? "", $0.description] }))
        if !config.sharedFieldNames.isEmpty {
            out.out("Provided by the auth config's shared credentials: \(config.sharedFieldNames.sorted().joined(separator: ", "))")
        }
    }
}
