import CustosStore

/// The `control` schema: tenants, their API keys, the platform administrators, tenants' own policies and the
/// platform's audit events.
enum ControlMigrations {
    static let set = MigrationSet(
        component: "control",
        migrations: [
            Migration(
                version: 1, name: "tenants, keys, administrators",
                statements: [
                    "CREATE SCHEMA IF NOT EXISTS control",
                    """
                    CREATE TABLE control.tenants (
                        tenant_id text PRIMARY KEY,
                        display_name text NOT NULL,
                        status text NOT NULL CHECK (status IN ('provisioning', 'active', 'failed')),
                        ledger_network text,
                        gateway_port integer NOT NULL UNIQUE,
                        created_at timestamptz NOT NULL DEFAULT now()
                    )
                    """,
                    """
                    CREATE TABLE control.api_keys (
                        tenant_id text NOT NULL REFERENCES control.tenants (tenant_id),
                        key_id text NOT NULL,
                        key_hash bytea NOT NULL UNIQUE,
                        name text NOT NULL,
                        created_at timestamptz NOT NULL DEFAULT now(),
                        expires_at timestamptz,
                        revoked_at timestamptz,
                        PRIMARY KEY (tenant_id, key_id)
                    )
                    """,
                    """
                    CREATE TABLE control.admin_credentials (
                        credential_id text PRIMARY KEY,
                        token_hash bytea NOT NULL UNIQUE,
                        created_at timestamptz NOT NULL DEFAULT now(),
                        revoked_at timestamptz
                    )
                    """,
                ]),
            Migration(
                version: 2, name: "tenant policies, audit events",
                statements: [
                    """
                    CREATE TABLE control.tenant_policies (
                        tenant_id text PRIMARY KEY REFERENCES control.tenants (tenant_id),
                        policy_text text NOT NULL,
                        updated_at timestamptz NOT NULL DEFAULT now()
                    )
                    """,
                    """
                    CREATE TABLE control.audit_events (
                        seq bigserial PRIMARY KEY,
                        at timestamptz NOT NULL DEFAULT now(),
                        actor text NOT NULL,
                        tenant_id text,
                        event text NOT NULL,
                        detail text NOT NULL
                    )
                    """,
                ]),
            Migration(
                version: 3, name: "API key scopes",
                statements: [
                    // NULL: a key without a restriction, as every key created before scopes existed.
                    "ALTER TABLE control.api_keys ADD COLUMN scopes text[]"
                ]),
        ])
}
