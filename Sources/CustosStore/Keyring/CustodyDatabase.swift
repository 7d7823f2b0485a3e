import CustosCore
import Logging
import PostgresNIO

/// What a worker that holds secrets in custody keeps of its database: the pool, the deadline every operation runs
/// under (an outage is a 503, never a hang), and the tenant keyring that seals the secrets.
public struct CustodyDatabase: Sendable {
    public let client: PostgresClient
    public let logger: Logger
    public let database: DatabaseDeadline
    public let keyring: TenantKeyring

    /// The pool's database with operations bounded by `queryTimeout`, and the keyring under `masterKey`.
    public init(
        client: PostgresClient, masterKey: MasterKey, logger: Logger,
        queryTimeout: Duration = DatabaseConfiguration.Options().queryTimeout
    ) {
        self.client = client
        self.logger = logger
        let database = DatabaseDeadline(timeout: queryTimeout, logger: logger)
        self.database = database
        keyring = TenantKeyring(client: client, masterKey: masterKey, database: database, logger: logger)
    }

    /// Applies the keyring's migrations, then the worker's own.
    public func migrate(_ set: MigrationSet) async throws {
        try await keyring.migrate()
        try await Migrator.apply(set, on: client, logger: logger)
    }

    /// Deletes every row of a deleted tenant from `tables` of `schema` (in that order, for their foreign keys) in
    /// one transaction, then destroys the tenant's data key of `component`: what was sealed under it is unreadable
    /// in any copy of the database made after this (a backup from before still holds the key, sealed under the
    /// master key). Safe to repeat; returns the rows deleted now.
    public func erase(
        _ tenant: TenantID, schema: String, tables: [String], component: KeyringComponent
    ) async throws -> Int {
        let count = try await database.run {
            try await client.transaction(logger: logger) { connection in
                var count = 0
                for table in tables {
                    var binds = PostgresBindings()
                    binds.append(tenant.rawValue)
                    // Schema and table names are the callers' constants, never input.
                    let rows = try await connection.query(
                        PostgresQuery(
                            unsafeSQL: "DELETE FROM \(schema).\(table) WHERE tenant_id = $1 RETURNING 1", binds: binds),
                        logger: logger)
                    for try await _ in rows { count += 1 }
                }
                return count
            }
        }
        try await keyring.destroy(tenant: tenant, component: component)
        return count
    }
}
