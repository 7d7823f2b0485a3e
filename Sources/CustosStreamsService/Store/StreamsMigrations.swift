import CustosStore

/// The `streams` schema: per tenant its channels with their topics, the subscriptions with the participant keys
/// held in custody, and every envelope of every channel with the id of the ledger message that carries it. Every
/// primary key starts with the tenant.
///
/// No epoch secret is stored: a keyload seals it to each reader, and the worker opens a reader's slot with the
/// reader's key when it reads for them (docs/channels.md §10).
enum StreamsMigrations {
    static let set = MigrationSet(
        component: "streams",
        migrations: [
            Migration(
                version: 1, name: "channels, topics, subscriptions, envelopes",
                statements: [
                    "CREATE SCHEMA IF NOT EXISTS streams",
                    // `name_key` is the name in lower case: names are unique per tenant regardless of case, and
                    // searched by prefix through text_pattern_ops. `epoch` and `epoch_anchor` are the epoch in force
                    // and the id of its keyload (the channel id in epoch 0); `next_position` numbers envelopes.
                    // `rekey_pending`: a member left while the author's keys could not be opened (privatePlus), so
                    // the author's next request starts a new epoch first.
                    """
                    CREATE TABLE streams.channels (
                        tenant_id text NOT NULL,
                        channel_id bytea NOT NULL,
                        address text NOT NULL,
                        name text,
                        name_key text,
                        description text,
                        channel_type text NOT NULL CHECK (channel_type IN ('public', 'private', 'privatePlus')),
                        hidden boolean NOT NULL DEFAULT false,
                        visibility text[] NOT NULL DEFAULT '{}',
                        author_did text NOT NULL,
                        peer_public_key text,
                        sealed_psk bytea,
                        created_at timestamptz NOT NULL,
                        latest_message timestamptz,
                        epoch integer NOT NULL,
                        epoch_anchor bytea NOT NULL,
                        next_position bigint NOT NULL,
                        rekey_pending boolean NOT NULL DEFAULT false,
                        PRIMARY KEY (tenant_id, channel_id),
                        UNIQUE (tenant_id, name_key)
                    )
                    """,
                    "CREATE INDEX channels_address ON streams.channels (tenant_id, address)",
                    "CREATE INDEX channels_author ON streams.channels (tenant_id, author_did)",
                    "CREATE INDEX channels_created ON streams.channels (tenant_id, created_at)",
                    "CREATE INDEX channels_name ON streams.channels (tenant_id, name_key text_pattern_ops)",
                    """
                    CREATE TABLE streams.topics (
                        tenant_id text NOT NULL,
                        channel_id bytea NOT NULL,
                        ordinal integer NOT NULL,
                        topic_type text NOT NULL,
                        topic_source text NOT NULL,
                        PRIMARY KEY (tenant_id, channel_id, ordinal),
                        FOREIGN KEY (tenant_id, channel_id) REFERENCES streams.channels ON DELETE CASCADE
                    )
                    """,
                    "CREATE INDEX topics_type ON streams.topics (tenant_id, topic_type)",
                    "CREATE INDEX topics_source ON streams.topics (tenant_id, topic_source)",
                    // `sealed_keys` holds the participant's Ed25519 seed and X25519 key under the tenant's streams
                    // data key (and, on privatePlus channels, under the participant's asym-shared-key first); it is
                    // null for a subscription whose keys its subscriber holds. `first_position` is where the
                    // subscription starts reading; `next_sequence` and `previous` continue its publisher chain.
                    """
                    CREATE TABLE streams.subscriptions (
                        tenant_id text NOT NULL,
                        channel_id bytea NOT NULL,
                        subscriber_did text NOT NULL,
                        kind text NOT NULL CHECK (kind IN ('Author', 'Subscriber')),
                        access_rights text NOT NULL CHECK (access_rights IN ('Audit', 'Read', 'Write', 'ReadAndWrite')),
                        is_authorized boolean NOT NULL,
                        public_key bytea NOT NULL,
                        key_agreement_key bytea,
                        sealed_keys bytea,
                        sealed_psk bytea,
                        psk_id bytea,
                        subscribe_id bytea,
                        keyload_id bytea,
                        first_position bigint,
                        next_sequence bigint NOT NULL,
                        previous bytea NOT NULL,
                        created_at timestamptz NOT NULL,
                        last_modified timestamptz,
                        PRIMARY KEY (tenant_id, channel_id, subscriber_did),
                        UNIQUE (tenant_id, channel_id, public_key),
                        FOREIGN KEY (tenant_id, channel_id) REFERENCES streams.channels ON DELETE CASCADE
                    )
                    """,
                    "CREATE INDEX subscriptions_subscriber ON streams.subscriptions (tenant_id, subscriber_did)",
                    """
                    CREATE INDEX subscriptions_link ON streams.subscriptions (tenant_id, channel_id, subscribe_id)
                    WHERE subscribe_id IS NOT NULL
                    """,
                    // Envelopes stay when a channel is closed: they are on the ledger anyway, and receipts of them
                    // keep verifying. `written_at` grows with `position` (assigned under the channel's row lock).
                    """
                    CREATE TABLE streams.envelopes (
                        tenant_id text NOT NULL,
                        channel_id bytea NOT NULL,
                        position bigint NOT NULL,
                        envelope_id bytea NOT NULL,
                        message_id bytea NOT NULL,
                        kind smallint NOT NULL,
                        epoch integer NOT NULL,
                        publisher bytea NOT NULL,
                        written_at timestamptz NOT NULL,
                        envelope bytea NOT NULL,
                        PRIMARY KEY (tenant_id, channel_id, position)
                    )
                    """,
                    "CREATE UNIQUE INDEX envelopes_id ON streams.envelopes (tenant_id, channel_id, envelope_id)",
                    """
                    CREATE INDEX envelopes_packets ON streams.envelopes (tenant_id, channel_id, position)
                    WHERE kind IN (3, 4)
                    """,
                    "CREATE INDEX envelopes_written ON streams.envelopes (tenant_id, channel_id, written_at, position)",
                    // A page's epochs are looked up by number; without this a long channel is scanned for them.
                    """
                    CREATE INDEX envelopes_keyloads ON streams.envelopes (tenant_id, channel_id, epoch)
                    WHERE kind = 2
                    """,
                ]),
            Migration(
                version: 2, name: "envelopes recorded before they are anchored",
                statements: [
                    // An envelope is recorded under the channel's lock first and put on the ledger after the commit
                    // (docs/channels.md §14). Its message id then goes to `anchors`, insert-only, so envelope rows
                    // are written once (updating them would rewrite every index of the table); `anchoring` says up
                    // to which position a channel's envelopes are on the ledger (they go in position order).
                    """
                    CREATE TABLE streams.anchors (
                        tenant_id text NOT NULL,
                        channel_id bytea NOT NULL,
                        position bigint NOT NULL,
                        message_id bytea NOT NULL,
                        PRIMARY KEY (tenant_id, channel_id, position)
                    )
                    """,
                    """
                    CREATE TABLE streams.anchoring (
                        tenant_id text NOT NULL,
                        channel_id bytea NOT NULL,
                        next_position bigint NOT NULL,
                        PRIMARY KEY (tenant_id, channel_id)
                    )
                    """,
                    """
                    INSERT INTO streams.anchors (tenant_id, channel_id, position, message_id)
                    SELECT tenant_id, channel_id, position, message_id FROM streams.envelopes
                    """,
                    """
                    INSERT INTO streams.anchoring (tenant_id, channel_id, next_position)
                    SELECT tenant_id, channel_id, next_position FROM streams.channels
                    """,
                    "ALTER TABLE streams.envelopes DROP COLUMN message_id",
                ]),
        ])
}
