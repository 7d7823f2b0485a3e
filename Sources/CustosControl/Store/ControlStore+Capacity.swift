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
