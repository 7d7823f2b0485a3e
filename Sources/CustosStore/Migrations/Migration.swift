/// One versioned schema change of a component, applied exactly once.
///
/// Statements run one by one inside the migration's transaction (the extended query protocol takes one
/// statement at a time), so a failing statement leaves nothing half-applied.
public struct Migration: Sendable {
    /// Strictly increasing from 1 within a component.
    public let version: Int
    /// A short human description, stored with the applied version.
    public let name: String
    /// The SQL statements in order.
    public let statements: [String]

    /// Creates a migration.
    public init(version: Int, name: String, statements: [String]) {
        self.version = version
        self.name = name
        self.statements = statements
    }
}

/// The ordered migrations of one component, which owns the PostgreSQL schema of the same name.
public struct MigrationSet: Sendable {
    /// The component, also its schema name (`control`, `ledger`, ...).
    public let component: String
    /// The migrations, ordered by version.
    public let migrations: [Migration]

    /// Creates a set; versions must be 1, 2, 3, ... in order.
    public init(component: String, migrations: [Migration]) {
        precondition(
            migrations.enumerated().allSatisfy { $0.offset + 1 == $0.element.version },
            "migrations of \(component) must be numbered 1, 2, 3, ... in order")
        self.component = component
        self.migrations = migrations
    }
}
