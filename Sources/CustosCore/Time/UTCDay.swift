import Foundation

/// The UTC calendar day of an instant, as `YYYY-MM-DD` (what PostgreSQL reads as a `date`): the unit of daily
/// quotas.
public enum UTCDay {
    /// The day of `date`.
    ///
    /// The gateway asks this on every write it meters, so it is the date part of ``Timestamp``'s arithmetic
    /// formatting rather than a Foundation calendar and `String(format:)`, which cost more than the rest of the
    /// metering together.
    public static func of(_ date: Date = Date()) -> String {
        String(Timestamp.iso8601(date).prefix(10))
    }
}
