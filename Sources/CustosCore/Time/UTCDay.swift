import Foundation

/// The UTC calendar day of an instant, as `YYYY-MM-DD` (what PostgreSQL reads as a `date`): the unit of daily
/// quotas.
public enum UTCDay {
    /// The day of `date`.
    public static func of(_ date: Date = Date()) -> String {
        let parts = Calendar(identifier: .gregorian).dateComponents(in: TimeZone(identifier: "UTC")!, from: date)
        return String(format: "%04d-%02d-%02d", parts.year ?? 1970, parts.month ?? 1, parts.day ?? 1)
    }
}
