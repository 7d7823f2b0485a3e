import CustosCore

/// Failures of the storage layer: configuration, the embedded PostgreSQL launcher, migrations, and an
/// unreachable database (``databaseUnavailable``).
public struct StoreError: CustosError, Equatable {
    /// What went wrong, in words an operator can act on.
    public let message: String
    /// How the failure maps to a client-facing category.
    public let kind: ErrorKind

    /// Creates an error with a message and a category (an internal failure unless stated).
    public init(_ message: String, kind: ErrorKind = .internalFailure) {
        self.message = message
        self.kind = kind
    }

    public var description: String { message }

    /// What callers see while the database cannot be reached or does not answer in time (503). It names no
    /// host, socket or query.
    public static let databaseUnavailable = StoreError(
        "the database is unavailable; retry shortly", kind: .unavailable)
}
