import CustosCore
import Foundation
import PostgresNIO

extension ControlStore {
    /// A tenant's own policies as stored.
    struct PolicyRow: Sendable, Equatable {
        var text: String
        var updatedAt: Date
    }

    /// The tenant's policies, or nil when it has none.
    func tenantPolicies(_ tenant: TenantID) async throws -> PolicyRow? {
        try await database.run {
            let rows = try await client.query(
                "SELECT policy_text, updated_at FROM control.tenant_policies WHERE tenant_id = \(tenant.rawValue)",
                logger: logger)
            for try await (text, updated) in rows.decode((String, Date).self) {
                return PolicyRow(text: text, updatedAt: updated)
            }
            return nil
        }
    }

    /// Replaces the tenant's policies (none for an empty text) and records the change as an audit event, in one
    /// transaction: a change is never stored without its event.
    func replaceTenantPolicies(_ tenant: TenantID, text: String, actor: String, detail: String) async throws {
        try await database.run {
            try await client.withTransaction(logger: logger) { connection in
                if text.isEmpty {
                    _ = try await connection.query(
                        "DELETE FROM control.tenant_policies WHERE tenant_id = \(tenant.rawValue)", logger: logger)
                } else {
                    _ = try await connection.query(
                        """
                        INSERT INTO control.tenant_policies (tenant_id, policy_text) VALUES (\(tenant.rawValue), \(text))
                        ON CONFLICT (tenant_id) DO UPDATE SET policy_text = excluded.policy_text, updated_at = now()
                        """, logger: logger)
                }
                try await Self.record(
                    AuditEvent(actor: actor, tenant: tenant, event: "tenant.policies.replaced", detail: detail),
                    on: connection, logger: logger)
            }
        }
    }
}
