import ComposioAPI
import Foundation
import OnboardCore
import OnboardFiles
import OnboardTUI
import Synchronization

/// Where a non-interactive command writes: results on stdout, messages and progress on stderr.
/// Tests capture both.
///
/// This is the edge where the CLI's text meets a terminal: every line goes through
/// ``TerminalText/sanitizedLines(_:)``, so no string from a server, a file or an argument can
/// drive the terminal, whichever command printed it. JSON is escaped instead (``json(_:)``).
package struct CommandOutput: Sendable {
    /// Raw sinks for stdout / stderr; only this type writes to them.
    private let writeOut: @Sendable (String) -> Void
    private let writeErr: @Sendable (String) -> Void
    /// Whether stderr is a terminal (a progress bar may redraw in place).
    package let errIsTerminal: Bool

    package init(errIsTerminal: Bool = false, writeOut: @escaping @Sendable (String) -> Void, writeErr: @escaping @Sendable (String) -> Void) {
        self.writeOut = writeOut
        self.writeErr = writeErr
        self.errIsTerminal = errIsTerminal
    }

    /// The process's stdout and stderr.
    package static let standard = CommandOutput(
        errIsTerminal: isatty(STDERR_FILENO) == 1,
        writeOut: { text in DescriptorWriter.write(text, to: STDOUT_FILENO) },
        writeErr: { text in DescriptorWriter.write(text, to: STDERR_FILENO) }
    )

    /// One line (or several) of results.
    package func out(_ line: String) { writeOut(TerminalText.sanitizedLines(line) + "\n") }

    /// One line (or several) of messages.
    package func err(_ line: String) { writeErr(TerminalText.sanitizedLines(line) + "\n") }

    /// A progress line: redrawn in place on a terminal, one line per update elsewhere.
    package func progress(_ line: String) {
        if errIsTerminal { writeErr("\r\u{1B}[K" + TerminalText.sanitized(line)) } else { err(line) }
    }

    /// Draws a QR code on stderr when it is a terminal that can show it (UTF-8, not `TERM=dumb`):
    /// dark on light in explicit colours, or in reverse video under `NO_COLOR`. Every byte is
    /// the program's own; no outside text passes here.
    package func qrCode(_ matrix: QRMatrix, environment: [String: String] = ProcessEnvironment.current()) {
        let term = environment["TERM"] ?? ""
        let locale = environment["LC_ALL"] ?? environment["LC_CTYPE"] ?? environment["LANG"] ?? ""
        guard errIsTerminal, !term.isEmpty, term != "dumb", locale.uppercased().contains("UTF") else { return }
        let on = environment["NO_COLOR"].map { !$0.isEmpty } == true ? "\u{1B}[7m" : "\u{1B}[30;107m"
        for row in matrix.rows { writeErr(on + row + "\u{1B}[0m\n") }
    }

    /// Prints `value` as pretty, key-sorted JSON on stdout, with every control character,
    /// C1 control and bidi mark escaped as `\uXXXX` (the same JSON, nothing a terminal acts on).
    package func json<Value: Encodable>(_ value: Value) {
        writeOut(CommandJSON.text(value) + "\n")
    }
}

enum CommandJSON {
    static func text<Value: Encodable>(_ value: Value) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.dateEncodingStrategy = .iso8601
        guard let data = try? encoder.encode(value) else { return "null" }
        return escapingInvisibles(String(decoding: data, as: UTF8.self))
    }

    /// JSONEncoder escapes C0 controls but leaves DEL, C1 controls and bidi marks raw; inside a
    /// JSON string they may be written as `\uXXXX` with the same meaning.
    static func escapingInvisibles(_ json: String) -> String {
        guard !TerminalText.isClean(json) else { return json }
        var out = ""
        for scalar in json.unicodeScalars {
            if scalar == "\n" || TerminalText.isClean(String(scalar)) {
                out.unicodeScalars.append(scalar)
            } else {
                for unit in String(scalar).utf16 {
                    let hex = String(unit, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                }
            }
        }
        return out
    }
}

/// A command that ran and did not succeed (exit 1); the message says what happened and what to do.
package struct CommandFailure: Error, CustomStringConvertible {
    package let description: String
    package init(_ description: String) { self.description = description }
}

/// The choices every service-facing command shares.
package struct ServiceOptions: Sendable {
    package var baseURL: String?
    package var keyFile: String?
    package var verbose: Bool
    /// How long one request keeps retrying retryable failures (`--timeout`).
    package var timeout: Duration
    /// `--audit-log PATH`: where the audit trail is kept instead of the default.
    package var auditLog: String?

    package init(baseURL: String? = nil, keyFile: String? = nil, verbose: Bool = false, timeout: Duration = .seconds(60), auditLog: String? = nil) {
        self.baseURL = baseURL
        self.keyFile = keyFile
        self.verbose = verbose
        self.timeout = timeout
        self.auditLog = auditLog
    }

    /// Connects as the wizard would, except that a missing key is a usage error: a script has
    /// nobody to ask.
    package func connect(pacer: RateLimitPacer? = nil, environment: [String: String] = ProcessEnvironment.current()) async throws
        -> ConnectedBackend
    {
        let choice = try BackendChoice.from(environment: environment, baseURLOverride: baseURL, keyFile: keyFile)
        if case .remoteNeedingKey(let url) = choice {
            throw UsageError(
                "No API key for \(url.host ?? url.absoluteString). Set COMPOSIO_API_KEY, or pass --api-key-file PATH (mode 600); run without COMPOSIO_BASE_URL to use the embedded sandbox."
            )
        }
        let logger = Diagnostics.logger(verbose: verbose, interactive: false, environment: environment)
        let backend = try await ConnectedBackend.connect(choice, logger: logger, environment: environment, pacer: pacer, retry: .patient(timeout))
        // A person at a terminal sees why a command pauses; scripts get only the outcome. An
        // import (paced) says so on its progress line instead.
        let output = CommandOutput.standard
        if output.errIsTerminal, pacer == nil {
            backend.service.retryNotifier.observe { notice in
                let seconds = max(1, Int(notice.delay.inSeconds.rounded(.up)))
                output.err("\(notice.rateLimited ? "Rate limited" : "No answer") while trying to \(notice.operation); retrying in \(seconds) s...")
            }
        }
        return backend
    }
}

/// Runs `body` against a connected backend, writing the audit trail, and closes it on every
/// path. The trail is opened first, so a trail that cannot be written stops the command before
/// it does anything.
package func withBackend<Result>(_ options: ServiceOptions, pacer: RateLimitPacer? = nil, _ body: (any ComposioService) async throws -> Result)
    async throws -> Result
{
    let audit = try await AuditSettings.sink(path: options.auditLog)
    let backend = try await options.connect(pacer: pacer)
    do {
        let result = try await body(backend.service(audit: audit))
        await backend.close()
        return result
    } catch {
        await backend.close()
        throw error
    }
}

/// Reads credential values from a file (refused when others can read it, as ssh does) or from
/// stdin; never from argv.
package enum SecretSource: Sendable, Equatable {
    case file(String)
    case standardInput

    /// The largest input taken; a secrets document is never this big.
    static let maximumBytes = 4 << 20

    /// The values by name. Names come back as given; a caller reporting an unknown one names
    /// its place (``entries()``), since a name may be a key piped without `NAME=`.
    package func read() throws -> [String: Secret] {
        Dictionary(uniqueKeysWithValues: try entries().map { ($0.name, $0.value) })
    }

    /// The values in input order, each with where it stood.
    package func entries() throws -> [SecretValues.Entry] {
        var data: Data
        switch self {
        case .file(let path):
            data = try OwnerOnlyFile.contents(path, kind: "secrets file", maximumBytes: Self.maximumBytes)
        case .standardInput:
            data = FileHandle.standardInput.readData(ofLength: Self.maximumBytes + 1)
            guard data.count <= Self.maximumBytes else {
                data.resetBytes(in: 0..<data.count)
                throw UsageError("The secrets on stdin are over 4 MiB; nothing was read. Send NAME=VALUE lines or one JSON object.")
            }
        }
        defer { data.resetBytes(in: 0..<data.count) }
        guard let text = String(data: data, encoding: .utf8) else { throw UsageError("The secrets are not UTF-8 text.") }
        do {
            return try SecretValues.parseEntries(text)
        } catch {
            throw UsageError("Cannot read the secrets: \(error.description).")
        }
    }
}

/// A table for people: columns padded to their widest cell, server text made safe to print,
/// and no cell wider than ``maximumCellWidth`` (`--json` has every value whole).
enum PlainTable {
    static let maximumCellWidth = 80

    static func render(_ header: [String], _ rows: [[String]]) -> String {
        let cleaned = rows.map { $0.map { DisplayWidth.truncate(TerminalText.sanitized($0), to: maximumCellWidth, ellipsis: "…") } }
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
