import CustosStore

/// The `ledger` schema. Only the ledger worker writes it.
enum LedgerMigrations {
    static let set = MigrationSet(
        component: "ledger",
        migrations: [
            Migration(
                version: 1, name: "networks and messages",
                statements: [
                    "CREATE SCHEMA IF NOT EXISTS ledger",
                    """
                    CREATE TABLE ledger.networks (
                        tenant_id text PRIMARY KEY,
                        name text NOT NULL UNIQUE,
                        network_id bigint NOT NULL,
                        created_at timestamptz NOT NULL DEFAULT now()
                    )
                    """,
                    """
                    CREATE TABLE ledger.messages (
                        tenant_id text NOT NULL REFERENCES ledger.networks (tenant_id),
                        seq bigint NOT NULL,
                        message_id bytea NOT NULL,
                        tag bytea NOT NULL,
                        raw bytea NOT NULL,
                        content_type text NOT NULL,
                        received_at timestamptz NOT NULL,
                        PRIMARY KEY (tenant_id, message_id),
                        UNIQUE (tenant_id, seq)
                    )
                    """,
                    "CREATE INDEX messages_by_tag ON ledger.messages (tenant_id, tag, seq)",
                ])
        ])
}
