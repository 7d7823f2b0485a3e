import CustosCore
import Foundation
import Testing

@Suite("Timestamps")
struct TimestampTests {
    @Test("Formats UTC with second and millisecond precision")
    func formatting() {
        let date = Date(timeIntervalSince1970: 1_795_559_465.123)
        #expect(Timestamp.iso8601(date) == "2026-11-24T22:31:05Z")
        #expect(Timestamp.iso8601Millis(date) == "2026-11-24T22:31:05.123Z")
        #expect(Timestamp.iso8601(Date(timeIntervalSince1970: 0)) == "1970-01-01T00:00:00Z")
        #expect(Timestamp.iso8601Millis(Date(timeIntervalSince1970: 0)) == "1970-01-01T00:00:00.000Z")
        #expect(Timestamp.iso8601(Date(timeIntervalSince1970: 1_795_559_465.999_9)) == "2026-11-24T22:31:05Z")
        #expect(Timestamp.iso8601Millis(Date(timeIntervalSince1970: 1_795_559_465.999_9)) == "2026-11-24T22:31:05.999Z")
        #expect(Timestamp.iso8601(Date(timeIntervalSince1970: -1)) == "1969-12-31T23:59:59Z")
        #expect(Timestamp.iso8601Millis(Date(timeIntervalSince1970: -0.5)) == "1969-12-31T23:59:59.500Z")
        #expect(Timestamp.iso8601(Date(timeIntervalSince1970: 1_709_164_800)) == "2024-02-29T00:00:00Z")
        #expect(Timestamp.iso8601(Date(timeIntervalSince1970: 951_782_400)) == "2000-02-29T00:00:00Z")
        #expect(Timestamp.iso8601(Date(timeIntervalSince1970: 253_402_300_799)) == "9999-12-31T23:59:59Z")
        #expect(Timestamp.iso8601(Date.distantFuture) == "4001-01-01T00:00:00Z")
        #expect(Timestamp.iso8601(Date.distantPast) == "0001-01-01T00:00:00Z")
        #expect(Timestamp.iso8601(Date(timeIntervalSince1970: 1e15)) == "9999-12-31T23:59:59Z")
        #expect(Timestamp.iso8601(Date(timeIntervalSince1970: -1e15)) == "0001-01-01T00:00:00Z")
    }

    @Test("Agrees with Foundation's ISO8601DateFormatter on random instants")
    func againstFoundation() {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        formatter.timeZone = TimeZone(identifier: "UTC")
        var generator = SplitMix64(seed: 3339)
        for _ in 0..<300 {
            // 1900-01-01 ... 2400-01-01, whole seconds.
            let seconds = -2_208_988_800 + Int64(generator.next() % 15_778_368_000)
            let date = Date(timeIntervalSince1970: TimeInterval(seconds))
            #expect(Timestamp.iso8601(date) == formatter.string(from: date), "\(seconds)")
        }
    }

    @Test("Parses RFC 3339 with Z or offsets and optional fractions")
    func parsing() throws {
        let base = Date(timeIntervalSince1970: 1_795_559_465)
        #expect(Timestamp.parse("2026-11-24T22:31:05Z") == base)
        #expect(Timestamp.parse("2026-11-24t22:31:05z") == base)
        #expect(Timestamp.parse("2026-11-25T00:31:05+02:00") == base)
        #expect(Timestamp.parse("2026-11-24T17:01:05-05:30") == base)
        #expect(Timestamp.parse("2026-11-24T22:31:05-00:00") == base)
        #expect(Timestamp.parse("2026-11-24T22:31:05.000000000000Z") == base)
        let millis = try #require(Timestamp.parse("2026-11-24T22:31:05.123Z"))
        #expect(Timestamp.iso8601Millis(millis) == "2026-11-24T22:31:05.123Z")
        let nanos = try #require(Timestamp.parse("2026-11-24T22:31:05.123456789Z"))
        #expect(abs(nanos.timeIntervalSince1970 - 1_795_559_465.123_456_789) < 1e-6)
        let half = try #require(Timestamp.parse("2026-11-24T22:31:05.5+01:00"))
        #expect(half.timeIntervalSince1970 == 1_795_555_865.5)
        #expect(Timestamp.parse("1969-12-31T23:59:59Z") == Date(timeIntervalSince1970: -1))
        #expect(Timestamp.parse("2024-02-29T00:00:00Z") == Date(timeIntervalSince1970: 1_709_164_800))
        #expect(Timestamp.parse("2000-02-29T12:00:00Z") != nil)
        // Proleptic Gregorian (RFC 3339), unlike Date.distantPast, which is 0001-01-01 in the Julian calendar.
        #expect(Timestamp.parse("0001-01-01T00:00:00Z")?.timeIntervalSince1970 == -62_135_596_800)
        #expect(Timestamp.parse("9999-12-31T23:59:59.999Z").map(Timestamp.iso8601Millis) == "9999-12-31T23:59:59.999Z")
        // A leap second is accepted and rolls over.
        #expect(Timestamp.parse("2016-12-31T23:59:60Z") == Timestamp.parse("2017-01-01T00:00:00Z"))
    }

    @Test(
        "Rejects malformed and impossible timestamps",
        arguments: [
            "", "2026-11-24", "2026-11-24T22:31:05", "2026-11-24 22:31:05Z", "2026-11-24T22:31Z",
            "2026-11-24T22:31:05.Z",
            "2026-11-24T22:31:05ZZ", "2026-11-24T22:31:05Z ", " 2026-11-24T22:31:05Z", "2026-13-01T00:00:00Z",
            "2026-00-01T00:00:00Z", "2026-02-29T00:00:00Z", "2026-04-31T00:00:00Z", "1900-02-29T00:00:00Z",
            "2026-11-00T00:00:00Z", "2026-11-24T24:00:00Z", "2026-11-24T23:60:00Z", "2026-11-24T23:59:61Z",
            "2026-11-24T22:31:05+24:00", "2026-11-24T22:31:05+02:60", "2026-11-24T22:31:05+0200",
            "2026-11-24T22:31:05+02",
            "26-11-24T22:31:05Z", "2026-1-24T22:31:05Z", "+2026-11-24T22:31:05Z", "２026-11-24T22:31:05Z",
            "2026-11-24T22:31:05,123Z", "2026-11-24T22:31:05.12a3Z",
        ]
    )
    func rejects(text: String) {
        #expect(Timestamp.parse(text) == nil)
    }

    @Test("Millisecond timestamps round-trip through format and parse")
    func roundTrip() throws {
        var generator = SplitMix64(seed: 8601)
        for _ in 0..<500 {
            let millis = Int64(generator.next() % 253_402_300_800_000) - 62_135_596_800_000 / 2
            let date = Date(timeIntervalSince1970: Double(millis) / 1000)
            let text = Timestamp.iso8601Millis(date)
            let parsed = try #require(Timestamp.parse(text), "\(text)")
            #expect(Timestamp.iso8601Millis(parsed) == text)
            #expect(abs(parsed.timeIntervalSince1970 - date.timeIntervalSince1970) < 1e-4)
            let seconds = Timestamp.iso8601(parsed)
            #expect(Timestamp.parse(seconds).map(Timestamp.iso8601) == seconds)
        }
    }

    @Test("The UTC day agrees with Foundation's Gregorian calendar, across midnight and leap days")
    func utcDay() {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        func expected(_ date: Date) -> String {
            let parts = calendar.dateComponents([.year, .month, .day], from: date)
            return String(format: "%04d-%02d-%02d", parts.year!, parts.month!, parts.day!)
        }
        #expect(UTCDay.of(Date(timeIntervalSince1970: 1_709_164_799.999)) == "2024-02-28")
        #expect(UTCDay.of(Date(timeIntervalSince1970: 1_709_164_800)) == "2024-02-29")
        #expect(UTCDay.of(Date(timeIntervalSince1970: -0.001)) == "1969-12-31")
        var generator = SplitMix64(seed: 86_400)
        for _ in 0..<300 {
            let seconds = -2_208_988_800 + Double(generator.next() % 15_778_368_000_000) / 1000
            let date = Date(timeIntervalSince1970: seconds)
            #expect(UTCDay.of(date) == expected(date), "\(seconds)")
        }
    }
}
