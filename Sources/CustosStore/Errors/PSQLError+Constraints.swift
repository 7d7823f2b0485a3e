import PostgresNIO

/// Telling a unique-constraint violation (a row that exists already) from other database failures.
public enum UniqueViolation {
    /// Whether `error` is PostgreSQL's `unique_violation` (23505), of `constraint` when one is named.
    public static func matches(_ error: any Error, constraint: String? = nil) -> Bool {
        guard let error = error as? PSQLError, error.serverInfo?[.sqlState] == "23505" else { return false }
        return constraint.map { error.serverInfo?[.constraintName] == $0 } ?? true
    }
}
