import Foundation
import OnboardCore

extension GatewayLimits {
    /// The limits a person sets, by the long option of `gateway serve` that sets each (a limits
    /// file uses the same names), with the same rules wherever they come from.
    package enum Setting: String, CaseIterable, Sendable, Hashable {
        case loginGrace = "login-grace"
        case idleTimeout = "idle-timeout"
        case maxSessionLength = "max-session-length"
        case maxSessions = "max-sessions"
        case connectionsPerMinute = "connections-per-minute"

        /// What a value must be, said as the error when it is not.
        var rule: String {
            switch self {
            case .loginGrace, .idleTimeout, .maxSessionLength: "a positive number of seconds (at most 1000000)"
            case .maxSessions: "a number of sessions from 1 to 1000000"
            case .connectionsPerMinute: "0 (no limit) or a number of connections up to 1000000"
            }
        }

        func accepts(_ value: Int) -> Bool {
            switch self {
            case .connectionsPerMinute: (0...1_000_000).contains(value)
            default: (1...1_000_000).contains(value)
            }
        }
    }

    /// A setting's value now (seconds for times).
    package subscript(setting: Setting) -> Int {
        switch setting {
        case .loginGrace: Int(loginGrace.components.seconds)
        case .idleTimeout: Int(idleTimeout.components.seconds)
        case .maxSessionLength: Int(maximumSessionLength.components.seconds)
        case .maxSessions: maximumSessions
        case .connectionsPerMinute: connectionsPerMinute
        }
    }

    /// Sets `setting` to `value` after checking it; the error names the setting and its rule.
    package mutating func set(_ setting: Setting, to value: Int) throws(GatewayLimitsError) {
        guard setting.accepts(value) else { throw GatewayLimitsError("\(setting.rawValue) must be \(setting.rule).") }
        switch setting {
        case .loginGrace: loginGrace = .seconds(value)
        case .idleTimeout: idleTimeout = .seconds(value)
        case .maxSessionLength: maximumSessionLength = .seconds(value)
        case .maxSessions: maximumSessions = value
        case .connectionsPerMinute: connectionsPerMinute = value
        }
    }

    /// What differs from `old`, as `max-sessions 128 → 50` for the log.
    package func changes(from old: GatewayLimits) -> [String] {
        Setting.allCases.compactMap { setting in
            old[setting] == self[setting] ? nil : "\(setting.rawValue) \(old[setting]) \u{2192} \(self[setting])"
        }
    }
}

/// A limit that breaks its rule, or a limits file that cannot be read.
package struct GatewayLimitsError: Error, CustomStringConvertible, Equatable {
    package let description: String
    package init(_ description: String) { self.description = description }
}

/// `gateway serve --limits FILE`: the limits in a file an operator edits, read at start and again
/// on SIGHUP (sessions in flight keep theirs; new connections get the new ones). The part of
/// TOML a list of numbers needs: comments, blank lines, `name = integer`, names as the options':
///
/// ```toml
/// # onboard gateway limits; times in seconds
/// max-sessions = 50
/// idle-timeout = 600
/// ```
package enum GatewayLimitsFile {
    /// Five settings fit in a few lines; anything much larger is not a limits file.
    package static let maximumBytes = 16 << 10

    /// The settings `text` holds, each checked; `source` names the file in errors, which say the
    /// line and never quote it (a file pasted into the wrong place may hold a secret).
    package static func parse(_ text: String, source: String) throws(GatewayLimitsError) -> [GatewayLimits.Setting: Int] {
        guard text.utf8.count <= maximumBytes else {
            throw GatewayLimitsError("\(source) is larger than 16 KiB; a limits file holds a few lines.")
        }
        var values: [GatewayLimits.Setting: Int] = [:]
        var check = GatewayLimits()
        for (index, rawLine) in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() {
            func fail(_ message: String) -> GatewayLimitsError { GatewayLimitsError("\(source) line \(index + 1): \(message)") }
            var line = Substring(rawLine)
            if let hash = line.firstIndex(of: "#") { line = line[..<hash] }
            let trimmed = line.trimmingCharacters(in: .whitespacesAndNewlines)
            if trimmed.isEmpty { continue }
            let parts = trimmed.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard parts.count == 2 else { throw fail("expected name = number, e.g. max-sessions = 50.") }
            let name = parts[0].trimmingCharacters(in: .whitespaces)
            let known = GatewayLimits.Setting.allCases.map(\.rawValue).joined(separator: ", ")
            guard let setting = GatewayLimits.Setting(rawValue: name) else {
                throw fail("unknown setting; a limits file takes \(known).")
            }
            guard values[setting] == nil else { throw fail("\(name) is set twice.") }
            let number = parts[1].trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "_", with: "")
            guard !number.isEmpty, number.allSatisfy(\.isASCII), let value = Int(number) else {
                throw fail("\(name) takes a whole number (seconds for times).")
            }
            do { try check.set(setting, to: value) } catch { throw fail(error.description) }
            values[setting] = value
        }
        return values
    }

    /// `defaults` with the file's settings, then `flags` (the command line wins over the file).
    package static func limits(
        file: [GatewayLimits.Setting: Int], flags: [GatewayLimits.Setting: Int], defaults: GatewayLimits = GatewayLimits()
    ) throws(GatewayLimitsError) -> GatewayLimits {
        var limits = defaults
        for (setting, value) in file.merging(flags, uniquingKeysWith: { _, flag in flag }) { try limits.set(setting, to: value) }
        return limits
    }
}
