import Foundation
import OnboardFeatures
import OnboardFiles

extension CommandOutput {
    /// The process's stdout and stderr.
    package static let standard = CommandOutput(
        errIsTerminal: isatty(STDERR_FILENO) == 1,
        writeOut: { text in DescriptorWriter.write(text, to: STDOUT_FILENO) },
        writeErr: { text in DescriptorWriter.write(text, to: STDERR_FILENO) }
    )
}

/// A message on stderr ("onboard: ..."), through the one sanitising edge every command's text
/// passes.
package func printError(_ message: String) {
    CommandOutput.standard.err("onboard: " + message)
}

/// A line of results on stdout, through the same edge.
package func printOut(_ line: String) {
    CommandOutput.standard.out(line)
}
