import CustosCore
import CustosCrypto
import Logging
import NIOCore
import PostgresNIO

/// Custody of tenant data keys (DESIGN §3, envelope encryption): each tenant has one data key per component
/// (``KeyringComponent``: ledger, streams, ssi), stored in `keyring.data_keys` sealed under the platform master
/// key with associated data that names tenant and component. Components seal their secrets at rest under it
/// (``TenantDataKey``).
///
/// Destroying a data key shreds every secret sealed under it: the sealed key is erased from its row and no copy
/// exists elsewhere, so those secrets stay unreadable even if the key is created again (a new random key, the
/// next generation).
///
/// Every query runs under the ``DatabaseDeadline`` it is given, so a database outage surfaces as
/// ``StoreError/databaseUnavailable`` (503). Keys are not cached: a key destroyed by any process stops opening
/// everywhere at once.
public struct TenantKeyring: Sendable {
    /// The keyring's schema; ``migrate()`` applies it. Components that moved data keys here from an older
    /// layout apply it before their own migrations.
    public static var migrations: MigrationSet { KeyringMigrations.set }

    private let client: PostgresClient
    private let masterKey: MasterKey
    private let database: DatabaseDeadline
    private let logger: Logger

    /// A keyring over `client`; `database` bounds each operation (share the store's, so an outage seen by one
    /// is known to the other).
    public init(client: PostgresClient, masterKey: MasterKey, database: DatabaseDeadline, logger: Logger) {
        self.client = client
        self.masterKey = masterKey
        self.database = database
        self.logger = logger
    }

    /// Applies the keyring's migrations.
    public func migrate() async throws {
        try await Migrator.apply(Self.migrations, on: client, logger: logger)
    }

    // MARK: Creating and reading keys

    /// The tenant's data key for `component`, created first when it has none or it was destroyed.
    ///
    /// Concurrent calls for the same tenant and component all return the same key.
    public func create(tenant: TenantID, component: KeyringComponent) async throws -> TenantDataKey {
        try await database.run {
            try await client.withConnection { connection in
                try await create(tenant: tenant, component: component, on: connection)
            }
        }
    }

    /// ``create(tenant:component:)`` on a connection, for callers that create the key in the same transaction
    /// as the rows it seals; the caller's operation carries the deadline.
    public func create(tenant: TenantID, component: KeyringComponent, on connection: PostgresConnection)
        async throws -> TenantDataKey
    {
        let fresh = SymmetricKey()
        let sealed = try SealedSecret.sealDataKey(
            fresh, tenant: tenant, component: component.rawValue, master: masterKey)
        // Inserted, or written over a destroyed key; a live key (also one a concurrent call just stored) stays.
        let written = try await connection.query(
            """
            INSERT INTO keyring.data_keys (tenant_id, component, sealed_key)
            VALUES (\(tenant.rawValue), \(component.rawValue), \(sealed.byteBuffer))
            ON CONFLICT (tenant_id, component) DO UPDATE
                SET sealed_key = excluded.sealed_key, generation = keyring.data_keys.generation + 1,
                    created_at = now(), destroyed_at = NULL
                WHERE keyring.data_keys.sealed_key IS NULL
            RETURNING generation
            """, logger: logger)
        for try await generation in written.decode(Int.self) {
            // Debug only: the caller's transaction may still roll back.
            logger.debug(
                "created tenant data key",
                metadata: ["tenant": "\(tenant)", "component": "\(component)", "generation": "\(generation)"])
            return TenantDataKey(tenant: tenant, component: component, generation: generation, key: fresh)
        }
        return try await dataKey(tenant: tenant, component: component, on: connection)
    }

    /// The tenant's data key for `component`.
    ///
    /// Throws ``KeyringError`` when there is none (``KeyringError/Reason/missing``), it was destroyed
    /// (``KeyringError/Reason/destroyed``) or it does not open under this master key.
    public func dataKey(tenant: TenantID, component: KeyringComponent) async throws -> TenantDataKey {
        try await database.run {
            try await client.withConnection { connection in
                try await dataKey(tenant: tenant, component: component, on: connection)
            }
        }
    }

    /// ``dataKey(tenant:component:)`` on a connection.
    public func dataKey(tenant: TenantID, component: KeyringComponent, on connection: PostgresConnection)
        async throws -> TenantDataKey
    {
        let rows = try await connection.query(
            """
            SELECT generation, sealed_key FROM keyring.data_keys
            WHERE tenant_id = \(tenant.rawValue) AND component = \(component.rawValue)
            """, logger: logger)
        var found: (generation: Int, sealed: ByteBuffer?)?
        for try await (generation, sealed) in rows.decode((Int, ByteBuffer?).self) { found = (generation, sealed) }
        guard let found else {
            throw KeyringError(.missing, "\(tenant) has no \(component) data key")
        }
        guard let sealed = found.sealed else {
            throw KeyringError(
                .destroyed,
                "the \(component) data key of \(tenant) was destroyed; the secrets sealed under it are gone for good")
        }
        let key: SymmetricKey
        do {
            key = try SealedSecret.openDataKey(
                sealed.bytes, tenant: tenant, component: component.rawValue, master: masterKey)
        } catch {
            throw KeyringError(
                .masterKeyMismatch,
                "the \(component) data key of \(tenant) does not open under this master key "
                    + "(wrong \(MasterKey.environmentKey)?)")
        }
        return TenantDataKey(tenant: tenant, component: component, generation: found.generation, key: key)
    }

    // MARK: Sealing

    /// Seals a secret under the tenant's existing data key for `component` (see ``TenantDataKey/seal(_:purpose:row:)``).
    public func seal(
        _ secret: [UInt8], tenant: TenantID, component: KeyringComponent, purpose: String, row: String
    ) async throws -> [UInt8] {
        try await dataKey(tenant: tenant, component: component).seal(secret, purpose: purpose, row: row)
    }

    /// Opens a secret sealed under the tenant's data key for `component` (see ``TenantDataKey/open(_:purpose:row:)``).
    public func open(
        _ sealed: [UInt8], tenant: TenantID, component: KeyringComponent, purpose: String, row: String
    ) async throws -> [UInt8] {
        try await dataKey(tenant: tenant, component: component).open(sealed, purpose: purpose, row: row)
    }

    // MARK: Shredding

    /// Destroys the tenant's data key for `component`: every secret sealed under it becomes unreadable, for good.
    /// Returns false when there was no live key.
    @discardableResult
    public func destroy(tenant: TenantID, component: KeyringComponent) async throws -> Bool {
        let destroyed = try await database.run {
            let rows = try await client.query(
                """
                UPDATE keyring.data_keys SET sealed_key = NULL, destroyed_at = now()
                WHERE tenant_id = \(tenant.rawValue) AND component = \(component.rawValue) AND sealed_key IS NOT NULL
                RETURNING 1
                """, logger: logger)
            var count = 0
            for try await _ in rows { count += 1 }
            return count > 0
        }
        if destroyed {
            logger.notice("destroyed tenant data key", metadata: ["tenant": "\(tenant)", "component": "\(component)"])
        }
        return destroyed
    }

    /// Destroys all of the tenant's data keys, as deleting the tenant does; returns the components whose key was
    /// live.
    @discardableResult
    public func destroyAll(tenant: TenantID) async throws -> [KeyringComponent] {
        let components = try await database.run {
            let rows = try await client.query(
                """
                UPDATE keyring.data_keys SET sealed_key = NULL, destroyed_at = now()
                WHERE tenant_id = \(tenant.rawValue) AND sealed_key IS NOT NULL
                RETURNING component
                """, logger: logger)
            var result: [KeyringComponent] = []
            for try await name in rows.decode(String.self) {
                if let component = KeyringComponent(rawValue: name) { result.append(component) }
            }
            return result.sorted { $0.rawValue < $1.rawValue }
        }
        if !components.isEmpty {
            logger.notice(
                "destroyed tenant data keys", metadata: ["tenant": "\(tenant)", "components": "\(components)"])
        }
        return components
    }
}
