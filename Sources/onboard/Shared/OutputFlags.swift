import ArgumentParser
import ComposioAPI
import Foundation
import OnboardFeatures
import OnboardLive

/// `--json`: machine-readable results on stdout.
struct OutputFlags: ParsableArguments {
    @Flag(name: .long, help: "Print results as JSON on stdout (messages stay on stderr).")
    var json = false
}
