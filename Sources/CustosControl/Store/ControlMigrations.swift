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
            Migration(
                version: 4, name: "tenant lifecycle, plans, operations",
                statements: [
                    "ALTER TABLE control.tenants DROP CONSTRAINT tenants_status_check",
                    """
                    ALTER TABLE control.tenants ADD CONSTRAINT tenants_status_check
                    CHECK (status IN ('provisioning', 'active', 'suspended', 'deleting', 'deleted', 'failed'))
                    """,
                    // Why a tenant is `failed`, and which operation put it there.
                    "ALTER TABLE control.tenants ADD COLUMN status_reason text",
                    // Tenants from before plans keep what they had: a gateway of their own.
                    "ALTER TABLE control.tenants ADD COLUMN plan text NOT NULL DEFAULT 'dedicated'",
                    """
                    ALTER TABLE control.tenants ADD COLUMN isolation text NOT NULL DEFAULT 'dedicated'
                    CHECK (isolation IN ('pooled', 'dedicated'))
                    """,
                    // Pooled tenants have no port of their own.
                    "ALTER TABLE control.tenants ALTER COLUMN gateway_port DROP NOT NULL",
                    "ALTER TABLE control.tenants ADD COLUMN contact_email text",
                    "ALTER TABLE control.api_keys ADD COLUMN last_used_at timestamptz",
                    """
                    CREATE TABLE control.operations (
                        operation_id text PRIMARY KEY,
                        kind text NOT NULL,
                        tenant_id text NOT NULL,
                        status text NOT NULL CHECK (status IN ('running', 'succeeded', 'failed')),
                        step text NOT NULL,
                        progress integer NOT NULL DEFAULT 0 CHECK (progress BETWEEN 0 AND 100),
                        request jsonb NOT NULL,
                        result jsonb,
                        error text,
                        actor text NOT NULL,
                        idempotency_key text,
                        request_hash bytea,
                        created_at timestamptz NOT NULL DEFAULT now(),
                        updated_at timestamptz NOT NULL DEFAULT now()
                    )
                    """,
                    """
                    CREATE UNIQUE INDEX operations_idempotency ON control.operations (actor, idempotency_key)
                    WHERE idempotency_key IS NOT NULL
                    """,
                    "CREATE INDEX operations_running ON control.operations (created_at) WHERE status = 'running'",
                    "CREATE INDEX operations_tenant ON control.operations (tenant_id, created_at DESC)",
                    // At most one operation changes a tenant at a time.
                    """
                    CREATE UNIQUE INDEX operations_one_per_tenant ON control.operations (tenant_id)
                    WHERE status = 'running'
                    """,
                ]),
            Migration(
                version: 5, name: "usage per tenant and day",
                statements: [
                    // Written by the gateways (each adds what it admitted), read against the plans' quotas.
                    """
                    CREATE TABLE control.usage (
                        tenant_id text NOT NULL,
                        day date NOT NULL,
                        entries bigint NOT NULL DEFAULT 0,
                        PRIMARY KEY (tenant_id, day)
                    )
                    """
                ]),
            Migration(
                version: 6, name: "key rotation successors",
                statements: [
                    // The key that replaced this one: a rotated key is not rotated again (its successor is).
                    "ALTER TABLE control.api_keys ADD COLUMN rotated_to text"
                ]),
            Migration(
                version: 7, name: "audit events recorded in the platform's audit ledger",
                statements: [
                    // audit_index: the event's position in the audit ledger, 1, 2, 3, ... without gaps, given just
                    // before it is attached (in commit order, which seq is not).
                    """
                    ALTER TABLE control.audit_events ADD COLUMN operation_id text, ADD COLUMN message_id bytea,
                      ADD COLUMN audit_index bigint UNIQUE
                    """,
                    // What the audit recorder still has to write to the ledger, in order.
                    "CREATE INDEX audit_events_pending ON control.audit_events (seq) WHERE message_id IS NULL",
                ]),
            Migration(
                version: 8, name: "self-service signups counted in the database",
                statements: [
                    // One row per admitted signup, kept for the counting window: every control-plane replica
                    // counts the same rows, and a restart forgets none.
                    """
                    CREATE TABLE control.signups (
                        seq bigserial PRIMARY KEY,
                        address text NOT NULL,
                        at timestamptz NOT NULL DEFAULT now()
                    )
                    """,
                    "CREATE INDEX signups_address ON control.signups (address, at)",
                    "CREATE INDEX signups_at ON control.signups (at)",
                ]),
            Migration(
                version: 9, name: "audit signing key rotations",
                statements: [
                    // The key a rotation event hands the audit over to (platform.audit-signing-key.rotated): the
                    // event is signed by the previous key, the events after it by this one.
                    "ALTER TABLE control.audit_events ADD COLUMN next_signer text"
                ]),
        ])
}
