import Foundation

/// RFC 3339 timestamps in UTC, formatted and parsed without `DateFormatter` (fast and thread-safe).
///
/// Formatting covers years 0001 to 9999; dates outside are clamped to that range.
public enum Timestamp {
    /// `2026-11-24T22:31:05Z`: UTC, whole seconds (truncated toward the past).
    public static func iso8601(_ date: Date) -> String {
        format(date, fractionDigits: 0)
    }

    /// `2026-11-24T22:31:05.123Z`: UTC, milliseconds (truncated toward the past).
    public static func iso8601Millis(_ date: Date) -> String {
        format(date, fractionDigits: 3)
    }

    /// Parses an RFC 3339 `date-time`: `YYYY-MM-DDTHH:MM:SS`, an optional fraction of any length, and
    /// `Z` or a `±HH:MM` offset. `T` and `Z` may be lowercase. Returns `nil` for anything else,
    /// including impossible dates such as February 30.
    public static func parse(_ string: String) -> Date? {
        var string = string
        return string.withUTF8 { parse(bytes: $0) }
    }

    // MARK: - Formatting

    private static let minSeconds: Double = -62_135_596_800  // 0001-01-01T00:00:00Z
    private static let maxSeconds: Double = 253_402_300_799  // 9999-12-31T23:59:59Z

    private static func format(_ date: Date, fractionDigits: Int) -> String {
        var interval = date.timeIntervalSince1970
        if interval.isNaN {
            interval = 0
        }
        interval = min(max(interval, minSeconds), maxSeconds + 0.999)
        // A date made from "…05.123" may hold …05.12299999; allow a few ulps of representation error
        // before truncating, so that formatting what was parsed gives back the same text.
        let whole = interval.rounded(.down)
        let fraction = interval - whole + 4 * interval.ulp
        var seconds = Int64(whole)
        var millis = Int64((fraction * 1000).rounded(.down))
        if millis >= 1000 {
            seconds += 1
            millis -= 1000
        }
        if Double(seconds) > maxSeconds {
            seconds = Int64(maxSeconds)
            millis = 999
        }
        let days = floorDivide(seconds, 86_400)
        let secondOfDay = seconds - days * 86_400
        let (year, month, day) = civil(fromDays: days)

        var output: [UInt8] = []
        output.reserveCapacity(24)
        appendDigits(year, width: 4, to: &output)
        output.append(UInt8(ascii: "-"))
        appendDigits(month, width: 2, to: &output)
        output.append(UInt8(ascii: "-"))
        appendDigits(day, width: 2, to: &output)
        output.append(UInt8(ascii: "T"))
        appendDigits(secondOfDay / 3600, width: 2, to: &output)
        output.append(UInt8(ascii: ":"))
        appendDigits(secondOfDay / 60 % 60, width: 2, to: &output)
        output.append(UInt8(ascii: ":"))
        appendDigits(secondOfDay % 60, width: 2, to: &output)
        if fractionDigits == 3 {
            output.append(UInt8(ascii: "."))
            appendDigits(millis, width: 3, to: &output)
        }
        output.append(UInt8(ascii: "Z"))
        return String(decoding: output, as: UTF8.self)
    }

    private static func appendDigits(_ value: Int64, width: Int, to output: inout [UInt8]) {
        var divisor: Int64 = 1
        for _ in 1..<width {
            divisor *= 10
        }
        var remaining = value
        while divisor > 0 {
            output.append(UInt8(ascii: "0") + UInt8(remaining / divisor))
            remaining %= divisor
            divisor /= 10
        }
    }

    private static func floorDivide(_ lhs: Int64, _ rhs: Int64) -> Int64 {
        let quotient = lhs / rhs
        return (lhs % rhs != 0 && (lhs < 0) != (rhs < 0)) ? quotient - 1 : quotient
    }

    /// Proleptic Gregorian date of a day count since 1970-01-01 (H. Hinnant's algorithm).
    private static func civil(fromDays days: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let shifted = days + 719_468
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        return (year, month, day)
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
    private static func days(year: Int64, month: Int64, day: Int64) -> Int64 {
        let adjustedYear = month <= 2 ? year - 1 : year
        let era = (adjustedYear >= 0 ? adjustedYear : adjustedYear - 399) / 400
        let yearOfEra = adjustedYear - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    // MARK: - Parsing

    private static func parse(bytes: UnsafeBufferPointer<UInt8>) -> Date? {
        var position = 0

        func number(_ width: Int) -> Int64? {
            guard bytes.count - position >= width else { return nil }
            var value: Int64 = 0
            for _ in 0..<width {
                let byte = bytes[position]
                guard byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") else { return nil }
                value = value * 10 + Int64(byte - UInt8(ascii: "0"))
                position += 1
            }
            return value
        }

        func expect(_ characters: UInt8...) -> Bool {
            guard position < bytes.count, characters.contains(bytes[position]) else { return false }
            position += 1
            return true
        }

        guard let year = number(4), expect(UInt8(ascii: "-")),
            let month = number(2), expect(UInt8(ascii: "-")),
            let day = number(2), expect(UInt8(ascii: "T"), UInt8(ascii: "t")),
            let hour = number(2), expect(UInt8(ascii: ":")),
            let minute = number(2), expect(UInt8(ascii: ":")),
            let second = number(2)
        else { return nil }

        guard (1...12).contains(month), (1...daysInMonth(year: year, month: month)).contains(day),
            hour <= 23, minute <= 59, second <= 60
        else { return nil }

        var nanos: Int64 = 0
        if expect(UInt8(ascii: ".")) {
            var digits = 0
            while position < bytes.count, bytes[position] >= UInt8(ascii: "0"), bytes[position] <= UInt8(ascii: "9") {
                if digits < 9 {
                    nanos = nanos * 10 + Int64(bytes[position] - UInt8(ascii: "0"))
                }
                digits += 1
                position += 1
            }
            guard digits > 0 else { return nil }
            for _ in digits..<max(digits, 9) {
                nanos *= 10
            }
        }

        var offsetSeconds: Int64 = 0
        if expect(UInt8(ascii: "Z"), UInt8(ascii: "z")) {
            offsetSeconds = 0
        } else if position < bytes.count, bytes[position] == UInt8(ascii: "+") || bytes[position] == UInt8(ascii: "-") {
            let sign: Int64 = bytes[position] == UInt8(ascii: "-") ? -1 : 1
            position += 1
            guard let offsetHour = number(2), expect(UInt8(ascii: ":")), let offsetMinute = number(2),
                offsetHour <= 23, offsetMinute <= 59
            else { return nil }
            offsetSeconds = sign * (offsetHour * 3600 + offsetMinute * 60)
        } else {
            return nil
        }
        guard position == bytes.count else { return nil }

        let dayCount = days(year: year, month: month, day: day)
        let seconds = dayCount * 86_400 + hour * 3600 + minute * 60 + second - offsetSeconds
        return Date(timeIntervalSince1970: Double(seconds) + Double(nanos) / 1_000_000_000)
    }

    private static func daysInMonth(year: Int64, month: Int64) -> Int64 {
        switch month {
        case 2:
            let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
            return leap ? 29 : 28
        case 4, 6, 9, 11:
            return 30
        default:
            return 31
        }
    }
}
