import CustosCore

/// Positions and sizes of a log named in a query (`after`, `from`, `to`): at most 2⁵³ − 1, the largest integer a
/// JSON number carries exactly and the largest leaf index a receipt may name, as the API documents declare.
public enum LogPositionQuery {
    /// The largest position or size a query may name.
    public static let maximum = (1 << 53) - 1

    /// `value` when it is absent or lies in `minimum ... maximum`; a 400 that names `name` otherwise.
    public static func checked(_ value: Int?, _ name: String, minimum: Int = 0) throws(RequestError) -> Int? {
        guard let value else { return nil }
        let inRange: Int = try checked(value, name, minimum: minimum)
        return inRange
    }

    /// `value` when it lies in `minimum ... maximum`; a 400 that names `name` otherwise.
    public static func checked(_ value: Int, _ name: String, minimum: Int = 0) throws(RequestError) -> Int {
        guard (minimum...maximum).contains(value) else {
            throw RequestError(.invalidInput, "query parameter \(name) must be \(minimum) to \(maximum)")
        }
        return value
    }
}
