import CustosCore
import PostgresNIO

extension ControlStore {
    /// PostgreSQL's connection limits: `max_connections` and `superuser_reserved_connections`.
    func connectionLimits() async throws -> (maximum: Int, superuserReserved: Int) {
        try await database.run {
            let rows = try await client.query(
                """
                SELECT current_setting('max_connections')::int, current_setting('superuser_reserved_connections')::int
                """, logger: logger)
            for try await (maximum, reserved) in rows.decode((Int, Int).self) { return (maximum, reserved) }
            return (0, 0)
        }
    }

    /// Tenants not failed, and those of them that hold (or are getting) a gateway of their own.
    func tenantCounts() async throws -> (tenants: Int, dedicated: Int) {
        try await database.run {
            let rows = try await client.query(
                """
                SELECT count(*)::int, (count(*) FILTER (WHERE isolation = 'dedicated'))::int FROM control.tenants
                WHERE status IN ('provisioning', 'active', 'suspended')
                """, logger: logger)
            for try await (tenants, dedicated) in rows.decode((Int, Int).self) { return (tenants, dedicated) }
            return (0, 0)
        }
    }
}

extension ControlStore {
    /// A tenant's entries written on a UTC day (as the gateways stored them) and its live API keys.
    func usage(_ tenant: TenantID, day: String) async throws -> (entries: Int, liveKeys: Int) {
        try await database.run {
            let rows = try await client.query(
                """
                SELECT
                  coalesce((SELECT entries FROM control.usage WHERE tenant_id = \(tenant.rawValue) AND day = \(day)::date), 0)::bigint,
                  (SELECT count(*) FROM control.api_keys WHERE tenant_id = \(tenant.rawValue) AND revoked_at IS NULL
                     AND (expires_at IS NULL OR expires_at > now()))::bigint
                """, logger: logger)
            for try await (entries, keys) in rows.decode((Int64, Int64).self) { return (Int(entries), Int(keys)) }
            return (0, 0)
        }
    }
}

extension ControlStore {
    /// The gateways of dedicated tenants the local provisioner should run: those of active tenants, and of
    /// suspended ones, whose gateway refuses their keys with the reason. Read four times a second, so only these
    /// rows are read, however many pooled tenants there are.
    func dedicatedGateways() async throws -> [(tenant: TenantID, port: Int)] {
        try await database.run {
            let rows = try await client.query(
                """
                SELECT tenant_id, gateway_port FROM control.tenants
                WHERE gateway_port IS NOT NULL AND status IN ('active', 'suspended') ORDER BY tenant_id
                """, logger: logger)
            var result: [(TenantID, Int)] = []
            for try await (tenant, port) in rows.decode((String, Int).self) {
                result.append((try TenantID(validating: tenant), port))
            }
            return result
        }
    }
}
