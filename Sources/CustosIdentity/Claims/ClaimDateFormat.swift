/// The `date` and `date-time` string formats exactly as ajv-formats 2.1.1 (the version IS locked) checks
/// them, so that a claim IS accepted is accepted here and the other way round.
///
/// That version is laxer than RFC 3339 in three ways kept on purpose: the separator may be `T`, `t` or any
/// JavaScript whitespace; the offset may omit its colon (`+0100`) or minutes (`+01`); and the offset may
/// be missing altogether (a bug fixed only in ajv-formats 3). `Timestamp.parse` is therefore not used.
enum ClaimDateFormat {
    /// `YYYY-MM-DD` with a month of 1 to 12 and a day that exists in that month (proleptic Gregorian).
    static func isFullDate(_ text: String) -> Bool {
        isFullDate(Array(text.unicodeScalars)[...])
    }

    /// A full-date, one separator, then `HH:MM:SS`, an optional fraction and an optional offset.
    static func isDateTime(_ text: String) -> Bool {
        // JavaScript's split(/t|\s/i) must give exactly two parts.
        let scalars = Array(text.unicodeScalars)
        let separators = scalars.indices.filter { isSeparator(scalars[$0]) }
        guard separators.count == 1, let separator = separators.first else { return false }
        return isFullDate(scalars[..<separator]) && isTime(scalars[(separator + 1)...])
    }

    private static let daysInMonth = [0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]

    private static func isFullDate(_ scalars: ArraySlice<Unicode.Scalar>) -> Bool {
        var reader = Reader(scalars)
        guard let year = reader.digits(4), reader.skip("-"), let month = reader.digits(2), reader.skip("-"),
            let day = reader.digits(2), reader.isAtEnd, (1...12).contains(month)
        else { return false }
        let isLeap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
        let lastDay = month == 2 && isLeap ? 29 : daysInMonth[month]
        return (1...lastDay).contains(day)
    }

    /// `^(\d\d):(\d\d):(\d\d)(\.\d+)?(z|[+-]\d\d(?::?\d\d)?)?$` (case-insensitive), 23:59:60 allowed.
    private static func isTime(_ scalars: ArraySlice<Unicode.Scalar>) -> Bool {
        var reader = Reader(scalars)
        guard let hour = reader.digits(2), reader.skip(":"), let minute = reader.digits(2), reader.skip(":"),
            let second = reader.digits(2)
        else { return false }
        if reader.skip(".") {
            guard reader.digits(1) != nil else { return false }
            while reader.digits(1) != nil {}
        }
        if reader.skip("z") || reader.skip("Z") {
            // UTC.
        } else if reader.skip("+") || reader.skip("-") {
            guard reader.digits(2) != nil else { return false }
            if !reader.isAtEnd {
                _ = reader.skip(":")
                guard reader.digits(2) != nil else { return false }
            }
        }
        guard reader.isAtEnd else { return false }
        return (hour <= 23 && minute <= 59 && second <= 59) || (hour == 23 && minute == 59 && second == 60)
    }

    /// `t`, `T` or a character of JavaScript's `\s`.
    private static func isSeparator(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x54, 0x74: return true  // T, t
        case 0x09...0x0D, 0x20, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000, 0xFEFF:
            return true
        default: return false
        }
    }

    /// A cursor over scalars that reads ASCII digits (JavaScript's `\d`) and literal characters.
    private struct Reader {
        private let scalars: ArraySlice<Unicode.Scalar>
        private var position: Int

        init(_ scalars: ArraySlice<Unicode.Scalar>) {
            self.scalars = scalars
            self.position = scalars.startIndex
        }

        var isAtEnd: Bool { position == scalars.endIndex }

        /// The value of the next `count` ASCII digits, consumed; `nil` (consuming nothing) if they are not.
        mutating func digits(_ count: Int) -> Int? {
            guard scalars.endIndex - position >= count else { return nil }
            var value = 0
            for offset in 0..<count {
                let scalar = scalars[position + offset]
                guard ("0"..."9").contains(scalar) else { return nil }
                value = value * 10 + Int(scalar.value - 0x30)
            }
            position += count
            return value
        }

        /// Consumes `character` if it is next.
        mutating func skip(_ character: Unicode.Scalar) -> Bool {
            guard position < scalars.endIndex, scalars[position] == character else { return false }
            position += 1
            return true
        }
    }
}
