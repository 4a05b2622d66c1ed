import Foundation

/// Faults to inject for client tests, parsed from `--faults "500=0.2,429=0.1,drop=0.05,latency=20ms"`:
/// shares of requests answered 500, answered 429, or handled but dropped without a reply,
/// and latency added to every request. Off (all zero) by default.
package struct FaultPlan: Equatable, Sendable {
    package var serverErrorShare: Double = 0
    package var rateLimitShare: Double = 0
    package var dropShare: Double = 0
    package var latency: Duration = .zero

    package init() {}

    package static let none = FaultPlan()

    package var isActive: Bool { serverErrorShare > 0 || rateLimitShare > 0 || dropShare > 0 || latency > .zero }

    /// Parses the flag's text; the error says which part is wrong and what is accepted.
    package init(parsing text: String) throws {
        for part in text.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) where !part.isEmpty {
            let pieces = part.split(separator: "=", maxSplits: 1).map(String.init)
            guard pieces.count == 2 else { throw FaultPlanError("\u{201C}\(part)\u{201D} is not NAME=VALUE.") }
            switch pieces[0] {
            case "500": serverErrorShare = try Self.share(pieces[1], part)
            case "429": rateLimitShare = try Self.share(pieces[1], part)
            case "drop": dropShare = try Self.share(pieces[1], part)
            case "latency":
                let digits = pieces[1].hasSuffix("ms") ? String(pieces[1].dropLast(2)) : pieces[1]
                guard let milliseconds = Int(digits), milliseconds >= 0 else {
                    throw FaultPlanError("latency takes milliseconds, e.g. latency=20ms (got \u{201C}\(pieces[1])\u{201D}).")
                }
                latency = .milliseconds(milliseconds)
            default:
                throw FaultPlanError("Unknown fault \u{201C}\(pieces[0])\u{201D}; use 500, 429, drop or latency.")
            }
        }
        guard serverErrorShare + rateLimitShare + dropShare <= 1 else {
            throw FaultPlanError("The shares of 500, 429 and drop add up to more than 1.")
        }
    }

    private static func share(_ text: String, _ part: String) throws -> Double {
        guard let value = Double(text), (0...1).contains(value) else {
            throw FaultPlanError("\u{201C}\(part)\u{201D}: a share is a number from 0 to 1.")
        }
        return value
    }

    /// What to do with one request, given a uniform draw in 0..<1.
    enum Fault: Equatable {
        case none, serverError, rateLimit, drop
    }

    func fault(for draw: Double) -> Fault {
        if draw < serverErrorShare { return .serverError }
        if draw < serverErrorShare + rateLimitShare { return .rateLimit }
        if draw < serverErrorShare + rateLimitShare + dropShare { return .drop }
        return .none
    }
}

/// A `--faults` value that does not parse.
package struct FaultPlanError: Error, CustomStringConvertible {
    package let description: String
    init(_ description: String) { self.description = description }
}
