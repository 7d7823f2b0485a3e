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

    /// Tenants that hold (or are getting) a gateway.
    func provisionedTenantCount() async throws -> Int {
        try await database.run {
            let rows = try await client.query(
                "SELECT count(*)::int FROM control.tenants WHERE status IN ('provisioning', 'active')", logger: logger)
            for try await count in rows.decode(Int.self) { return count }
            return 0
        }
    }
}
