import CustosStore

/// The `ssi` schema: per tenant its trust root, identities, keys held in custody, DID document versions, login
/// nonces, issued credentials, status lists, trusted roots and imported did:iota documents. Every primary key starts with the tenant.
enum SSIMigrations {
    static let set = MigrationSet(
        component: "ssi",
        migrations: [
            Migration(
                version: 1, name: "trust roots, identities, documents, nonces, credentials, status lists",
                statements: [
                    "CREATE SCHEMA IF NOT EXISTS ssi",
                    // `network` is the did:custos network name; unique, so a DID names its tenant.
                    """
                    CREATE TABLE ssi.tenants (
                        tenant_id text PRIMARY KEY,
                        network text NOT NULL UNIQUE,
                        trust_root text NOT NULL,
                        gateway_url text NOT NULL,
                        created_at timestamptz NOT NULL DEFAULT now()
                    )
                    """,
                    """
                    CREATE TABLE ssi.identities (
                        tenant_id text NOT NULL,
                        did text NOT NULL,
                        username text NOT NULL,
                        registration_date timestamptz NOT NULL,
                        creator text,
                        role text NOT NULL DEFAULT 'User' CHECK (role IN ('Admin', 'Manager', 'User')),
                        claim_type text,
                        claim bytea,
                        hidden boolean NOT NULL DEFAULT false,
                        is_server boolean NOT NULL DEFAULT false,
                        PRIMARY KEY (tenant_id, did),
                        UNIQUE (tenant_id, username)
                    )
                    """,
                    // Search is by exact value or prefix (never a pattern from input): text_pattern_ops indexes
                    // serve `LIKE 'prefix%'` with the prefix escaped.
                    "CREATE INDEX identities_username ON ssi.identities (tenant_id, username text_pattern_ops)",
                    "CREATE INDEX identities_creator ON ssi.identities (tenant_id, creator text_pattern_ops)",
                    "CREATE INDEX identities_type ON ssi.identities (tenant_id, claim_type text_pattern_ops)",
                    "CREATE INDEX identities_registered ON ssi.identities (tenant_id, registration_date)",
                    """
                    CREATE TABLE ssi.identity_keys (
                        tenant_id text NOT NULL,
                        did text NOT NULL,
                        sealed_sign bytea NOT NULL,
                        sealed_encrypt bytea NOT NULL,
                        created_at timestamptz NOT NULL DEFAULT now(),
                        PRIMARY KEY (tenant_id, did)
                    )
                    """,
                    // The exact canonical bytes of each signed version, as anchored on the tenant ledger.
                    """
                    CREATE TABLE ssi.documents (
                        tenant_id text NOT NULL,
                        did text NOT NULL,
                        version integer NOT NULL,
                        document bytea NOT NULL,
                        message_id bytea NOT NULL,
                        updated_at timestamptz NOT NULL,
                        PRIMARY KEY (tenant_id, did, version)
                    )
                    """,
                    "CREATE INDEX documents_did ON ssi.documents (did, version)",
                    """
                    CREATE TABLE ssi.nonces (
                        tenant_id text NOT NULL,
                        nonce text NOT NULL,
                        did text NOT NULL,
                        expires_at timestamptz NOT NULL,
                        PRIMARY KEY (tenant_id, nonce)
                    )
                    """,
                    "CREATE INDEX nonces_did ON ssi.nonces (tenant_id, did, expires_at)",
                    """
                    CREATE TABLE ssi.status_lists (
                        list_id text PRIMARY KEY,
                        tenant_id text NOT NULL,
                        capacity integer NOT NULL,
                        created_at timestamptz NOT NULL DEFAULT now()
                    )
                    """,
                    "CREATE INDEX status_lists_tenant ON ssi.status_lists (tenant_id, created_at)",
                    // One status index per credential, in both the revocation and the suspension list; the
                    // unique constraint makes random allocation safe without a lock.
                    """
                    CREATE TABLE ssi.credentials (
                        tenant_id text NOT NULL,
                        credential_id text NOT NULL,
                        subject text NOT NULL,
                        credential_type text NOT NULL,
                        credential bytea NOT NULL,
                        proof_value text NOT NULL,
                        status_list text NOT NULL REFERENCES ssi.status_lists (list_id),
                        status_index integer NOT NULL,
                        issued_at timestamptz NOT NULL,
                        revoked_at timestamptz,
                        suspended boolean NOT NULL DEFAULT false,
                        PRIMARY KEY (tenant_id, credential_id),
                        UNIQUE (status_list, status_index)
                    )
                    """,
                    "CREATE INDEX credentials_proof ON ssi.credentials (tenant_id, proof_value)",
                    "CREATE INDEX credentials_subject ON ssi.credentials (tenant_id, subject)",
                    """
                    CREATE TABLE ssi.trusted_roots (
                        tenant_id text NOT NULL,
                        did text NOT NULL,
                        created_at timestamptz NOT NULL DEFAULT now(),
                        PRIMARY KEY (tenant_id, did)
                    )
                    """,
                ]),
            // Chrysalis did:iota documents cannot be resolved any more (that network is gone); a tenant imports
            // the root document of each such identity it registers, and only that tenant resolves it.
            Migration(
                version: 2, name: "imported did:iota documents",
                statements: [
                    """
                    CREATE TABLE ssi.imported_documents (
                        tenant_id text NOT NULL,
                        did text NOT NULL,
                        document bytea NOT NULL,
                        imported_at timestamptz NOT NULL DEFAULT now(),
                        PRIMARY KEY (tenant_id, did)
                    )
                    """
                ]),
            // A status list is signed from the indices set in it; these find them without reading every
            // credential of the list (131,072 at most), which is what each one-second refresh used to do.
            Migration(
                version: 3, name: "revoked and suspended credentials by status list",
                statements: [
                    """
                    CREATE INDEX credentials_revoked ON ssi.credentials (status_list, status_index)
                    WHERE revoked_at IS NOT NULL
                    """,
                    "CREATE INDEX credentials_suspended ON ssi.credentials (status_list, status_index) WHERE suspended",
                ]),
        ])
}
