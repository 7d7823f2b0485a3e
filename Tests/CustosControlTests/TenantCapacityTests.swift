import CustosCore
import Testing

@testable import CustosControl

@Suite("Tenant capacity")
struct TenantCapacityTests {
    @Test("dedicated gateways leave PostgreSQL's reserved and the core processes' connections free")
    func computedLimit() {
        let capacity = TenantCapacity(reservedConnections: 30)
        #expect(capacity.dedicatedLimit(maxConnections: 200, superuserReserved: 3) == 55)
        #expect(capacity.dedicatedLimit(maxConnections: 400, superuserReserved: 3) == 122)
        #expect(capacity.dedicatedLimit(maxConnections: 20, superuserReserved: 3) == 0)
    }

    @Test("a dedicated gateway past the limit is refused with a 503 that says which limit; pooled tenants are not")
    func refusal() throws {
        let capacity = TenantCapacity(reservedConnections: 30)
        #expect(
            capacity.refusal(
                tenants: 54, dedicated: 54, addingDedicated: true, maxConnections: 200, superuserReserved: 3) == nil)
        let full = try #require(
            capacity.refusal(
                tenants: 55, dedicated: 55, addingDedicated: true, maxConnections: 200, superuserReserved: 3))
        #expect(full.kind == .unavailable)
        #expect(full.message.contains("55 of 55") && full.message.contains("max_connections (200"))
        #expect(
            capacity.refusal(
                tenants: 10_000, dedicated: 55, addingDedicated: false, maxConnections: 200, superuserReserved: 3)
                == nil)
        let configured = try #require(
            TenantCapacity(configuredLimit: 2).refusal(
                tenants: 2, dedicated: 0, addingDedicated: false, maxConnections: 200, superuserReserved: 3))
        #expect(configured.message.contains("--max-tenants 2"))
    }
}
