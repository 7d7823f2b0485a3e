import CustosCore
import CustosCrypto
import Logging
import PostgresNIO

/// Applies migration sets at process start, safely when several processes start at once.
public enum Migrator {
    /// One key for all components: creating the bookkeeping table concurrently is not safe otherwise.
    private static let advisoryLockKey: Int64 = 0x6375_7374_6f73  // "custos"

    /// Applies the missing migrations of `set` in one transaction under a global advisory lock.
    ///
    /// Already applied versions are checked against their checksum, so an edited migration is reported
    /// instead of silently diverging from the database. Returns the versions applied now.
    @discardableResult
    public static func apply(_ set: MigrationSet, on client: PostgresClient, logger: Logger) async throws -> [Int] {
        try await client.transaction(logger: logger) { connection in
            try await connection.query("SELECT pg_advisory_xact_lock(\(advisoryLockKey))", logger: logger)
            try await connection.query(
                """
                CREATE TABLE IF NOT EXISTS public.custos_migrations (
                    component text NOT NULL,
                    version integer NOT NULL,
                    name text NOT NULL,
                    checksum text NOT NULL,
                    applied_at timestamptz NOT NULL DEFAULT now(),
                    PRIMARY KEY (component, version)
                )
                """, logger: logger)
            var applied: [Int: String] = [:]
            let rows = try await connection.query(
                "SELECT version, checksum FROM public.custos_migrations WHERE component = \(set.component)",
                logger: logger)
            for try await (version, checksum) in rows.decode((Int, String).self) {
                applied[version] = checksum
            }
            if let newest = applied.keys.max(), newest > set.migrations.count {
                throw StoreError(
                    "database has \(set.component) schema v\(newest) but this build knows only "
                        + "v\(set.migrations.count); run a newer Custos")
            }
            var appliedNow: [Int] = []
            for migration in set.migrations {
                let checksum = Self.checksum(of: migration)
                if let existing = applied[migration.version] {
                    guard existing == checksum else {
                        throw StoreError(
                            "migration \(set.component) v\(migration.version) (\(migration.name)) differs from the one "
                                + "applied to this database; migrations must never be edited once released")
                    }
                    continue
                }
                for statement in migration.statements {
                    try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
                }
                try await connection.query(
                    """
                    INSERT INTO public.custos_migrations (component, version, name, checksum)
                    VALUES (\(set.component), \(migration.version), \(migration.name), \(checksum))
                    """, logger: logger)
                appliedNow.append(migration.version)
            }
            if !appliedNow.isEmpty {
                logger.info(
                    "applied migrations",
                    metadata: ["component": "\(set.component)", "versions": "\(appliedNow)"])
            }
            return appliedNow
        }
    }

    static func checksum(of migration: Migration) -> String {
        Hex.encode(SHA256.hash(Array(migration.statements.joined(separator: "\n;\n").utf8)))
    }
}
