import ArgumentParser
import ComposioAPI
import Foundation
import OnboardFeatures
import OnboardLive

/// Runs a command's body and turns its errors into a message on stderr and the documented exit
/// code: 1 for a failure, 2 for a usage mistake, 130 for Ctrl-C.
func reportingErrors(_ body: () async throws -> Void) async throws {
    do {
        try await body()
    } catch let error as UsageError {
        printError(error.description)
        throw ExitCode(2)
    } catch let error as CommandFailure {
        printError(error.description)
        throw ExitCode(1)
    } catch is InterruptedError {
        throw ExitCode(130)
    } catch let error as APIError {
        printError(error.description)
        throw ExitCode(1)
    } catch let error as ExitCode {
        throw error
    } catch {
        printError("\(error)")
        throw ExitCode(1)
    }
}
