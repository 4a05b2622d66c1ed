import Foundation

/// Ages and lifetimes as people type them (`45s`, `30m`, `24h`, `7d`) and as they read them
/// ("30 minutes"): for the commands and the gateway's messages alike.
package enum DurationText {
    package static func seconds(_ text: String) -> TimeInterval? {
        guard let unit = text.last, let amount = Double(text.dropLast()), amount >= 0, amount.isFinite else { return nil }
        switch unit {
        case "s": return amount
        case "m": return amount * 60
        case "h": return amount * 3600
        case "d": return amount * 86_400
        default: return nil
        }
    }

    /// "30 minutes", "2 hours", "1 day".
    package static func words(_ duration: Duration) -> String {
        words(duration.inSeconds)
    }

    /// "30 minutes", "2 hours", "1 day".
    package static func words(_ seconds: TimeInterval) -> String {
        let whole = Int(seconds.rounded())
        func plural(_ count: Int, _ unit: String) -> String { "\(count) \(unit)\(count == 1 ? "" : "s")" }
        if whole % 86_400 == 0, whole > 0 { return plural(whole / 86_400, "day") }
        if whole % 3600 == 0, whole > 0 { return plural(whole / 3600, "hour") }
        if whole % 60 == 0, whole > 0 { return plural(whole / 60, "minute") }
        return plural(whole, "second")
    }
}
