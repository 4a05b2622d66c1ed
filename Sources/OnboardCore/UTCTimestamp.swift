import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Timestamps in UTC to the millisecond, written and read by hand: ISO 8601 on the wire
/// (`2026-11-22T06:10:00.123Z`) and GRDB's storage text in the sandbox (`2026-11-22 06:10:00.123`).
///
/// Foundation's formatters reach a calendar, a time zone and a locale, which on Linux load ICU and
/// its data: megabytes of resident memory in every process that formats a date, for a format
/// that needs none of them.
package enum UTCTimestamp {
    /// `2026-11-22T06:10:00.123Z`.
    package static func iso8601(_ date: Date) -> String { format(date, separator: "T", zone: "Z") }

    /// `2026-11-22 06:10:00.123`: the text GRDB stores dates as, so older databases read the same.
    package static func storage(_ date: Date) -> String { format(date, separator: " ", zone: "") }

    /// Reads `yyyy-MM-dd[T ]HH:mm[:ss[.fff…]]` with an optional `Z` or `±hh[:]mm`; no zone is UTC.
    package static func parse(_ text: String) -> Date? {
        var reader = Reader(bytes: Array(text.utf8))
        guard let year = reader.number(4), reader.skip("-"), let month = reader.number(2), reader.skip("-"), let day = reader.number(2),
            reader.skip("T t"), let hour = reader.number(2), reader.skip(":"), let minute = reader.number(2)
        else { return nil }
        var second = 0
        var fraction = 0.0
        if reader.skip(":") {
            guard let value = reader.number(2) else { return nil }
            second = value
            if reader.skip(".,") { fraction = reader.fraction() }
        }
        var offset = 0
        if reader.skip("Zz") {
        } else if let sign = reader.peek, sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") {
            reader.index += 1
            guard let hours = reader.number(2) else { return nil }
            _ = reader.skip(":")
            guard let minutes = reader.number(2) else { return nil }
            offset = (hours * 3600 + minutes * 60) * (sign == UInt8(ascii: "-") ? -1 : 1)
        }
        guard reader.atEnd, (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 61 else { return nil }
        var parts = tm()
        parts.tm_year = Int32(year - 1900)
        parts.tm_mon = Int32(month - 1)
        parts.tm_mday = Int32(day)
        parts.tm_hour = Int32(hour)
        parts.tm_min = Int32(minute)
        parts.tm_sec = Int32(second)
        return Date(timeIntervalSince1970: Double(timegm(&parts) - offset) + fraction)
    }

    private static func format(_ date: Date, separator: String, zone: String) -> String {
        let milliseconds = Int64((date.timeIntervalSince1970 * 1000).rounded(.down))
        var (whole, millis) = milliseconds.quotientAndRemainder(dividingBy: 1000)
        if millis < 0 { (whole, millis) = (whole - 1, millis + 1000) }
        var seconds = time_t(whole)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        let day = "\(pad(Int(parts.tm_year) + 1900, 4))-\(pad(Int(parts.tm_mon) + 1, 2))-\(pad(Int(parts.tm_mday), 2))"
        let time = "\(pad(Int(parts.tm_hour), 2)):\(pad(Int(parts.tm_min), 2)):\(pad(Int(parts.tm_sec), 2)).\(pad(Int(millis), 3))"
        return day + separator + time + zone
    }

    private static func pad(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }

    /// Digits and separators, read left to right.
    private struct Reader {
        let bytes: [UInt8]
        var index = 0

        var atEnd: Bool { index == bytes.count }
        var peek: UInt8? { index < bytes.count ? bytes[index] : nil }

        mutating func number(_ digits: Int) -> Int? {
            guard index + digits <= bytes.count else { return nil }
            var value = 0
            for byte in bytes[index..<index + digits] {
                guard let digit = Self.digit(byte) else { return nil }
                value = value * 10 + digit
            }
            index += digits
            return value
        }

        /// Any number of digits after a decimal point, as a fraction of a second.
        mutating func fraction() -> Double {
            var value = 0.0
            var scale = 0.1
            while let byte = peek, let digit = Self.digit(byte) {
                value += Double(digit) * scale
                scale /= 10
                index += 1
            }
            return value
        }

        mutating func skip(_ separators: String) -> Bool {
            guard let byte = peek, separators.utf8.contains(byte) else { return false }
            index += 1
            return true
        }

        static func digit(_ byte: UInt8) -> Int? {
            (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) ? Int(byte - UInt8(ascii: "0")) : nil
        }
    }
}
