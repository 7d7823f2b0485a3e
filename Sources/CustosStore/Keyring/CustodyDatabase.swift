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
}
