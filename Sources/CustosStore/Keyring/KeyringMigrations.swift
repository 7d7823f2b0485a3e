/// The `keyring` schema: one sealed data key per tenant and component.
///
/// Components whose old layout kept data keys elsewhere move them here in their own migrations, applied after
/// this set (the ledger's v3 moves `ledger.data_keys`).
enum KeyringMigrations {
    static let set = MigrationSet(
        component: "keyring",
        migrations: [
            Migration(
                version: 1, name: "tenant data keys",
                statements: [
                    "CREATE SCHEMA IF NOT EXISTS keyring",
                    // A destroyed key keeps its row without the key (sealed_key NULL), so opening names the
                    // destruction instead of a missing key, and a re-created key gets the next generation.
                    """
                    CREATE TABLE keyring.data_keys (
                        tenant_id text NOT NULL,
                        component text NOT NULL,
                        generation integer NOT NULL DEFAULT 1,
                        sealed_key bytea,
                        created_at timestamptz NOT NULL DEFAULT now(),
                        destroyed_at timestamptz,
                        PRIMARY KEY (tenant_id, component),
                        CHECK ((sealed_key IS NULL) = (destroyed_at IS NOT NULL))
                    )
                    """,
                ])
        ])
}
