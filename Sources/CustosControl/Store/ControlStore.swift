import CustosAuth
import CustosCore
import CustosPolicy
import CustosStore
import Foundation
import Logging
import NIOCore
import PostgresNIO

/// SQL access to the `control` schema.
public struct ControlStore: Sendable {
    /// A tenant row.
    public struct TenantRow: Sendable, Equatable {
        /// The slug.
        public var id: TenantID
        /// The display name.
        public var name: String
        /// Where it is in its life.
        public var status: TenantState
        /// Why it is failed.
        public var statusReason: String?
        /// The ledger network, once created.
        public var ledgerNetwork: String?
        /// A dedicated tenant's gateway port on the loopback interface; nil for a pooled tenant.
        public var gatewayPort: Int?
        /// The plan's name.
        public var plan: String
        /// How its gateway is run.
        public var isolation: Plan.Isolation
        /// Creation time.
        public var createdAt: Date
    }

    /// An API key row (never the secret).
    public struct KeyRow: Sendable, Equatable {
        /// The public id.
        public var id: String
        /// The label.
        public var name: String
        /// Creation time.
        public var createdAt: Date
        /// Revocation time.
        public var revokedAt: Date?
        /// The key's scopes, nil for every scope.
        public var scopes: [String]?
        /// When it stops working.
        public var expiresAt: Date?
        /// When a gateway last verified it (to the minute).
        public var lastUsedAt: Date?
    }

    let client: PostgresClient
    let logger: Logger
    /// Bounds every query and turns a database outage into a 503.
    let database: DatabaseDeadline

    /// Creates a store on a running client; `queryTimeout` bounds each operation (see
    /// ``DatabaseConfiguration/Options/queryTimeout``).
    public init(
        client: PostgresClient, logger: Logger,
        queryTimeout: Duration = DatabaseConfiguration.Options().queryTimeout
    ) {
        self.client = client
        self.logger = logger
        self.database = DatabaseDeadline(timeout: queryTimeout, logger: logger)
    }

    /// Applies the control schema's migrations.
    public func migrate() async throws {
        try await Migrator.apply(ControlMigrations.set, on: client, logger: logger)
    }

    /// Registers an administrator token's hash (idempotent).
    public func registerAdmin(_ token: SecretToken) async throws {
        try await database.run {
            _ = try await client.query(
                """
                INSERT INTO control.admin_credentials (credential_id, token_hash) VALUES (\(token.id), \(token.hash.byteBuffer))
                ON CONFLICT (credential_id) DO NOTHING
                """, logger: logger)
        }
    }

    /// Whether a token is a live administrator credential.
    public func isAdmin(_ token: SecretToken) async throws -> Bool {
        try await database.run {
            let rows = try await client.query(
                """
                SELECT 1 FROM control.admin_credentials WHERE token_hash = \(token.hash.byteBuffer) AND revoked_at IS NULL
                """, logger: logger)
            for try await _ in rows { return true }
            return false
        }
    }

    /// One tenant, or nil.
    public func tenant(_ id: TenantID) async throws -> TenantRow? {
        try await tenants(where: id).first
    }

    /// All tenants, or the one named.
    public func tenants(where id: TenantID? = nil) async throws -> [TenantRow] {
        try await database.run {
            let rows = try await client.query(
                """
                SELECT tenant_id, display_name, status, status_reason, ledger_network, gateway_port, plan, isolation,
                  created_at
                FROM control.tenants
                WHERE \(id?.rawValue)::text IS NULL OR tenant_id = \(id?.rawValue) ORDER BY tenant_id
                """, logger: logger)
            var result: [TenantRow] = []
            for try await (tenant, name, status, reason, network, port, plan, isolation, created) in rows.decode(
                (String, String, String, String?, String?, Int?, String, String, Date).self)
            {
                result.append(
                    TenantRow(
                        id: try TenantID(validating: tenant), name: name,
                        status: TenantState(rawValue: status) ?? .failed,
                        statusReason: reason, ledgerNetwork: network, gatewayPort: port, plan: plan,
                        isolation: Plan.Isolation(rawValue: isolation) ?? .dedicated, createdAt: created))
            }
            return result
        }
    }

    /// Stores a new key's hash for a tenant, with its audit event.
    func insertKey(
        _ key: SecretToken, tenant: TenantID, name: String, scopes: [String]? = nil, expiresAt: Date? = nil,
        actor: String
    ) async throws -> KeyRow {
        try await database.run {
            try await client.withTransaction(logger: logger) { connection in
                let rows = try await connection.query(
                    """
                    INSERT INTO control.api_keys (tenant_id, key_id, key_hash, name, scopes, expires_at)
                    VALUES (\(tenant.rawValue), \(key.id), \(key.hash.byteBuffer), \(name), \(scopes), \(expiresAt))
                    RETURNING created_at
                    """, logger: logger)
                var created: Date?
                for try await value in rows.decode(Date.self) { created = value }
                guard let created else { throw RequestError(.internalFailure, "storing the API key returned nothing") }
                let limits =
                    (scopes.map { "scopes " + $0.joined(separator: ",") } ?? "every scope")
                    + (expiresAt.map { ", expires " + Timestamp.iso8601($0) } ?? "")
                try await Self.record(
                    AuditEvent(
                        actor: actor, tenant: tenant, event: "tenant.key.created",
                        detail: "key \(key.id) (\(name)), \(limits)"),
                    on: connection, logger: logger)
                return KeyRow(
                    id: key.id, name: name, createdAt: created, revokedAt: nil, scopes: scopes, expiresAt: expiresAt)
            }
        }
    }

    /// The tenant's keys, newest first.
    func keys(tenant: TenantID) async throws -> [KeyRow] {
        try await database.run {
            let rows = try await client.query(
                """
                SELECT key_id, name, created_at, revoked_at, scopes, expires_at, last_used_at FROM control.api_keys
                WHERE tenant_id = \(tenant.rawValue) ORDER BY created_at DESC, key_id
                """, logger: logger)
            var result: [KeyRow] = []
            for try await (id, name, created, revoked, scopes, expires, used) in rows.decode(
                (String, String, Date, Date?, [String]?, Date?, Date?).self)
            {
                result.append(
                    KeyRow(
                        id: id, name: name, createdAt: created, revokedAt: revoked, scopes: scopes, expiresAt: expires,
                        lastUsedAt: used))
            }
            return result
        }
    }

    /// Replaces a live key by `next` (same name, scopes and expiry) and lets the old one work only until
    /// `overlapUntil` (or its own earlier expiry), in one transaction; nil when the tenant has no such live key
    /// that was not rotated already.
    func rotateKey(tenant: TenantID, keyID: String, next: SecretToken, overlapUntil: Date, actor: String)
        async throws
        -> (new: KeyRow, previous: KeyRow)?
    {
        let rotated: (String, [String]?, Date?)? = try await database.run {
            try await client.transaction(logger: logger) { connection in
                let rows = try await connection.query(
                    """
                    UPDATE control.api_keys SET expires_at = least(coalesce(expires_at, \(overlapUntil)), \(overlapUntil)),
                      rotated_to = \(next.id)
                    WHERE tenant_id = \(tenant.rawValue) AND key_id = \(keyID) AND revoked_at IS NULL
                      AND rotated_to IS NULL AND (expires_at IS NULL OR expires_at > now())
                    RETURNING name, scopes, (SELECT expires_at FROM control.api_keys o
                      WHERE o.tenant_id = \(tenant.rawValue) AND o.key_id = \(keyID))
                    """, logger: logger)
                var found: (String, [String]?, Date?)?
                for try await row in rows.decode((String, [String]?, Date?).self) { found = row }
                guard let (name, scopes, expires) = found else { return nil }
                _ = try await connection.query(
                    """
                    INSERT INTO control.api_keys (tenant_id, key_id, key_hash, name, scopes, expires_at)
                    VALUES (\(tenant.rawValue), \(next.id), \(next.hash.byteBuffer), \(name), \(scopes), \(expires))
                    """, logger: logger)
                try await Self.record(
                    AuditEvent(
                        actor: actor, tenant: tenant, event: "tenant.key.rotated",
                        detail: "key \(keyID) replaced by \(next.id), working until \(Timestamp.iso8601(overlapUntil))"),
                    on: connection, logger: logger)
                return (name, scopes, expires)
            }
        }
        guard rotated != nil else { return nil }
        let keys = try await self.keys(tenant: tenant)
        guard let new = keys.first(where: { $0.id == next.id }), let previous = keys.first(where: { $0.id == keyID })
        else { throw RequestError(.internalFailure, "the rotated keys are missing") }
        return (new, previous)
    }

    /// How long after a creation a retry of it may still get the tenant's first key re-issued.
    static let reissueWindow = "24 hours"

    /// Gives the tenant's first key (`initial`, made with the tenant) a new secret, for a retried creation whose
    /// first answer, the only one that showed the secret, was lost: only while the key was never used, is live and
    /// not rotated, within ``reissueWindow`` of its creation. The key gets the id of `replacement`, and the lost
    /// secret stops working. Nil when the key does not qualify, or when a concurrent retry re-issued it first.
    func reissueFirstKey(tenant: TenantID, replacement: SecretToken, actor: String, operation: String) async throws
        -> KeyRow?
    {
        try await database.run {
            try await client.withTransaction(logger: logger) { connection in
                // The id read first is the one replaced: of two concurrent retries, only one finds it still there.
                let first = try await connection.query(
                    """
                    SELECT key_id FROM control.api_keys WHERE tenant_id = \(tenant.rawValue) AND name = 'initial'
                    ORDER BY created_at, key_id LIMIT 1
                    """, logger: logger)
                var old: String?
                for try await id in first.decode(String.self) { old = id }
                guard let old else { return nil }
                let rows = try await connection.query(
                    """
                    UPDATE control.api_keys k SET key_id = \(replacement.id), key_hash = \(replacement.hash.byteBuffer)
                    WHERE k.tenant_id = \(tenant.rawValue) AND k.key_id = \(old) AND k.last_used_at IS NULL
                      AND k.revoked_at IS NULL AND k.rotated_to IS NULL AND (k.expires_at IS NULL OR k.expires_at > now())
                      AND k.created_at > now() - interval '\(unescaped: Self.reissueWindow)'
                      AND k.created_at = (SELECT min(created_at) FROM control.api_keys o WHERE o.tenant_id = k.tenant_id)
                    RETURNING k.name, k.created_at, k.scopes, k.expires_at
                    """, logger: logger)
                var row: KeyRow?
                for try await (name, created, scopes, expires) in rows.decode((String, Date, [String]?, Date?).self) {
                    row = KeyRow(
                        id: replacement.id, name: name, createdAt: created, revokedAt: nil, scopes: scopes,
                        expiresAt: expires)
                }
                guard let row else { return nil }
                try await Self.record(
                    AuditEvent(
                        actor: actor, tenant: tenant, event: "tenant.key.reissued", operation: operation,
                        detail: "never-used first key \(old) re-issued as \(replacement.id) for a retried creation"),
                    on: connection, logger: logger)
                return row
            }
        }
    }

    /// Revokes a key; false when the tenant has no such key.
    func revokeKey(tenant: TenantID, keyID: String, actor: String) async throws -> Bool {
        try await database.run {
            try await client.withTransaction(logger: logger) { connection in
                let rows = try await connection.query(
                    """
                    UPDATE control.api_keys SET revoked_at = coalesce(revoked_at, now())
                    WHERE tenant_id = \(tenant.rawValue) AND key_id = \(keyID) RETURNING 1
                    """, logger: logger)
                var found = false
                for try await _ in rows { found = true }
                guard found else { return false }
                try await Self.record(
                    AuditEvent(actor: actor, tenant: tenant, event: "tenant.key.revoked", detail: "key \(keyID)"),
                    on: connection, logger: logger)
                return true
            }
        }
    }
}
