import ComposioAPI
import Foundation
import OnboardCore
import Testing

@Suite("UTC timestamps")
struct UTCTimestampTests {
    /// 2026-11-22 06:10:00.123 UTC.
    static let moment = Date(timeIntervalSince1970: 1_795_327_800.123)

    @Test("writes ISO 8601 with milliseconds and Z, and GRDB's storage text")
    func writes() {
        #expect(UTCTimestamp.iso8601(Self.moment) == "2026-11-22T06:10:00.123Z")
        #expect(UTCTimestamp.storage(Self.moment) == "2026-11-22 06:10:00.123")
        #expect(UTCTimestamp.iso8601(Date(timeIntervalSince1970: 0)) == "1970-01-01T00:00:00.000Z")
        #expect(UTCTimestamp.storage(Date(timeIntervalSince1970: 951_782_400)) == "2000-02-29 00:00:00.000")
    }

    @Test("reads what it writes, what GRDB wrote before, and the forms the service sends")
    func reads() throws {
        for text in ["2026-11-22T06:10:00.123Z", "2026-11-22 06:10:00.123", "2026-11-22T08:10:00.123+02:00", "2026-11-22T01:10:00.123-0500"] {
            let date = try #require(UTCTimestamp.parse(text), "\(text)")
            #expect(abs(date.timeIntervalSince(Self.moment)) < 0.000_5, "\(text)")
        }
        #expect(UTCTimestamp.parse("2026-11-22T06:10:00Z") == Date(timeIntervalSince1970: 1_795_327_800))
        #expect(UTCTimestamp.parse("2026-11-22 06:10") == Date(timeIntervalSince1970: 1_795_327_800))
        #expect(UTCTimestamp.parse("2026-11-22T06:10:00.123456Z").map { abs($0.timeIntervalSince(Self.moment) - 0.000_456) < 0.000_01 } == true)
    }

    @Test("refuses what is not a timestamp")
    func refuses() {
        for text in ["", "2026-11-22", "2026-13-01T00:00:00Z", "2026-11-22T24:00:00Z", "2026-11-22T06:10:00Zjunk", "yesterday", "2026/11/22 06:10:00"] {
            #expect(UTCTimestamp.parse(text) == nil, "\(text)")
        }
    }
}
