import ArgumentParser
import OnboardFeatures

/// `--secrets-file PATH` or `--secrets-stdin`: where secret values come from (never argv), for
/// every command that takes them.
struct SecretsInput: ParsableArguments {
    @Option(name: .long, help: "Read secret values from this file (mode 600): JSON object or NAME=VALUE lines.")
    var secretsFile: String?

    @Flag(name: .long, help: "Read secret values from stdin: JSON object or NAME=VALUE lines.")
    var secretsStdin = false

    func validate() throws {
        if secretsFile != nil && secretsStdin { throw ValidationError("Give --secrets-file or --secrets-stdin, not both.") }
    }

    /// Where to read them, or nil when neither was given.
    var source: SecretSource? { secretsStdin ? .standardInput : secretsFile.map { .file($0) } }
}
