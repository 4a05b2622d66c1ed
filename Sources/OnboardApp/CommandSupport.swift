import ComposioAPI
import Foundation
import OnboardCore
import OnboardTUI
import Synchronization

/// Where a non-interactive command writes: results on stdout, messages and progress on stderr.
/// Tests capture both.
public struct CommandOutput: Sendable {
    /// Writes text as is to stdout / stderr; the line helpers add the newline.
    public let writeOut: @Sendable (String) -> Void
    public let writeErr: @Sendable (String) -> Void
    /// Whether stderr is a terminal (a progress bar may redraw in place).
    public let errIsTerminal: Bool

    public init(errIsTerminal: Bool = false, writeOut: @escaping @Sendable (String) -> Void, writeErr: @escaping @Sendable (String) -> Void) {
        self.writeOut = writeOut
        self.writeErr = writeErr
        self.errIsTerminal = errIsTerminal
    }

    /// The process's stdout and stderr.
    public static let standard = CommandOutput(
        errIsTerminal: isatty(STDERR_FILENO) == 1,
        writeOut: { text in FileHandle.standardOutput.write(Data(text.utf8)) },
        writeErr: { text in FileHandle.standardError.write(Data(text.utf8)) }
    )

    /// One line of results.
    public func out(_ line: String) { writeOut(line + "\n") }

    /// One line of messages.
    public func err(_ line: String) { writeErr(line + "\n") }

    /// Prints `value` as pretty, key-sorted JSON on stdout.
    public func json<Value: Encodable>(_ value: Value) {
        out(CommandJSON.text(value))
    }
}

enum CommandJSON {
    static func text<Value: Encodable>(_ value: Value) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.dateEncodingStrategy = .iso8601
        guard let data = try? encoder.encode(value) else { return "null" }
        return String(decoding: data, as: UTF8.self)
    }
}

/// A command that ran and did not succeed (exit 1); the message says what happened and what to do.
public struct CommandFailure: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// The choices every service-facing command shares.
public struct ServiceOptions: Sendable {
    public var baseURL: String?
    public var keyFile: String?
    public var verbose: Bool

    public init(baseURL: String? = nil, keyFile: String? = nil, verbose: Bool = false) {
        self.baseURL = baseURL
        self.keyFile = keyFile
        self.verbose = verbose
    }

    /// Connects as the wizard would, except that a missing key is a usage error: a script has
    /// nobody to ask.
    public func connect(pacer: RateLimitPacer? = nil, environment: [String: String] = ProcessInfo.processInfo.environment) async throws
        -> ConnectedBackend
    {
        let choice = try BackendChoice.from(environment: environment, baseURLOverride: baseURL, keyFile: keyFile)
        if case .remoteNeedingKey(let url) = choice {
            throw UsageError(
                "No API key for \(url.host ?? url.absoluteString). Set COMPOSIO_API_KEY, or pass --api-key-file PATH (mode 600); run without COMPOSIO_BASE_URL to use the embedded sandbox."
            )
        }
        let logger = Diagnostics.logger(verbose: verbose, interactive: false, environment: environment)
        return try await ConnectedBackend.connect(choice, logger: logger, environment: environment, pacer: pacer)
    }
}

/// Runs `body` against a connected backend and closes it on every path.
public func withBackend<Result>(_ options: ServiceOptions, pacer: RateLimitPacer? = nil, _ body: (any ComposioService) async throws -> Result)
    async throws -> Result
{
    let backend = try await options.connect(pacer: pacer)
    do {
        let result = try await body(backend.service)
        await backend.close()
        return result
    } catch {
        await backend.close()
        throw error
    }
}

/// Reads credential values from a file (refused when others can read it, as ssh does) or from
/// stdin; never from argv.
public enum SecretSource: Sendable, Equatable {
    case file(String)
    case standardInput

    /// The largest input taken; a secrets document is never this big.
    static let maximumBytes = 4 << 20

    public func read() throws -> [String: Secret] {
        let data: Data
        switch self {
        case .file(let path):
            data = try OwnerOnlyFile.contents(path, kind: "secrets file")
        case .standardInput:
            data = FileHandle.standardInput.readData(ofLength: Self.maximumBytes)
        }
        guard let text = String(data: data, encoding: .utf8) else { throw UsageError("The secrets are not UTF-8 text.") }
        do {
            return try SecretValues.parse(text)
        } catch {
            throw UsageError("Cannot read the secrets: \(error.description).")
        }
    }
}

/// A table for people: columns padded to their widest cell, server text made safe to print.
enum PlainTable {
    static func render(_ header: [String], _ rows: [[String]]) -> String {
        let cleaned = rows.map { $0.map { TerminalText.sanitized($0) } }
        let widths = header.indices.map { column in
            ([header[column]] + cleaned.map { $0[column] }).map(DisplayWidth.of).max() ?? 0
        }
        func line(_ cells: [String]) -> String {
            zip(cells, widths).map { cell, width in cell + String(repeating: " ", count: max(0, width - DisplayWidth.of(cell))) }
                .joined(separator: "  ").trimmingTrailingSpaces()
        }
        return ([line(header)] + cleaned.map(line)).joined(separator: "\n")
    }
}

extension String {
    func trimmingTrailingSpaces() -> String {
        var text = self
        while text.last == " " { text.removeLast() }
        return text
    }
}
