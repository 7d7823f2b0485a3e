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
                ]),
            Migration(
                version: 2, name: "coordinator keys, milestones, Merkle log, tiles",
                statements: [
                    "ALTER TABLE ledger.networks ADD COLUMN origin text",
                    """
                    CREATE TABLE ledger.data_keys (
                        tenant_id text PRIMARY KEY REFERENCES ledger.networks (tenant_id),
                        sealed_key bytea NOT NULL
                    )
                    """,
                    """
                    CREATE TABLE ledger.coordinator_keys (
                        tenant_id text NOT NULL REFERENCES ledger.networks (tenant_id),
                        key_index integer NOT NULL,
                        public_key bytea NOT NULL,
                        sealed_seed bytea NOT NULL,
                        created_at timestamptz NOT NULL DEFAULT now(),
                        PRIMARY KEY (tenant_id, key_index)
                    )
                    """,
                    """
                    CREATE TABLE ledger.milestones (
                        tenant_id text NOT NULL REFERENCES ledger.networks (tenant_id),
                        milestone_index bigint NOT NULL,
                        message_id bytea NOT NULL,
                        timestamp_ms bigint NOT NULL,
                        log_size bigint NOT NULL,
                        log_root bytea NOT NULL,
                        checkpoint text NOT NULL,
                        key_index integer NOT NULL,
                        announces_next_key boolean NOT NULL,
                        unconfirmed_from_seq bigint NOT NULL,
                        PRIMARY KEY (tenant_id, milestone_index)
                    )
                    """,
                    """
                    CREATE TABLE ledger.leaves (
                        tenant_id text NOT NULL REFERENCES ledger.networks (tenant_id),
                        leaf_index bigint NOT NULL,
                        message_id bytea NOT NULL,
                        PRIMARY KEY (tenant_id, leaf_index),
                        UNIQUE (tenant_id, message_id)
                    )
                    """,
                    """
                    CREATE TABLE ledger.tiles (
                        tenant_id text NOT NULL REFERENCES ledger.networks (tenant_id),
                        level integer NOT NULL,
                        tile_index bigint NOT NULL,
                        width integer NOT NULL,
                        hashes bytea NOT NULL,
                        PRIMARY KEY (tenant_id, level, tile_index)
                    )
                    """,
                ]),
            // Needs the keyring's v1 (`LedgerStore.migrate` applies it first). The sealed keys move unchanged: their
            // associated data already names tenant and component `ledger`, as the keyring's do. A tenant that already
            // had a keyring key would fail the migration (nothing written before v3 puts one there) rather than lose
            // either key. The old table is dropped so that destroying a key in the keyring leaves no copy behind.
            Migration(
                version: 3, name: "data keys move to the tenant keyring",
                statements: [
                    """
                    INSERT INTO keyring.data_keys (tenant_id, component, sealed_key)
                    SELECT tenant_id, 'ledger', sealed_key FROM ledger.data_keys
                    """,
                    "DROP TABLE ledger.data_keys",
                ]),
            Migration(
                version: 4, name: "erased networks",
                statements: [
                    // Set when the tenant is deleted: its entries are gone, its log's hashes and checkpoints stay.
                    "ALTER TABLE ledger.networks ADD COLUMN erased_at timestamptz"
                ]),
            // Several ledger workers on one database: each tenant's writes carry the epoch its sequencer claimed,
            // and each shard names the worker that holds its advisory lock, for the others to forward to.
            Migration(
                version: 5, name: "sequencer epochs and shard owners",
                statements: [
                    "ALTER TABLE ledger.networks ADD COLUMN sequencer_epoch bigint NOT NULL DEFAULT 0",
                    """
                    CREATE TABLE ledger.sequencer_shards (
                        shard integer PRIMARY KEY,
                        owner_url text NOT NULL,
                        claimed_at timestamptz NOT NULL
                    )
                    """,
                ]),
        ])
}
