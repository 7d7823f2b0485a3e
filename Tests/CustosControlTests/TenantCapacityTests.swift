import CustosCore
import Testing

@testable import CustosControl

@Suite("Tenant capacity")
struct TenantCapacityTests {
    @Test("the limit leaves PostgreSQL's reserved and the core processes' connections free")
    func computedLimit() {
        let capacity = TenantCapacity(reservedConnections: 30)
        #expect(capacity.limit(maxConnections: 200, superuserReserved: 3) == 55)
        #expect(capacity.limit(maxConnections: 400, superuserReserved: 3) == 122)
        #expect(capacity.limit(maxConnections: 20, superuserReserved: 3) == 0)
        #expect(TenantCapacity(configuredLimit: 5).limit(maxConnections: 200, superuserReserved: 3) == 5)
        #expect(TenantCapacity(configuredLimit: 500).limit(maxConnections: 200, superuserReserved: 3) == 52)
    }

    @Test("provisioning past the limit is refused with a 503 that says which limit")
    func refusal() throws {
        let capacity = TenantCapacity(reservedConnections: 30)
        #expect(capacity.refusal(provisioned: 54, maxConnections: 200, superuserReserved: 3) == nil)
        let full = try #require(capacity.refusal(provisioned: 55, maxConnections: 200, superuserReserved: 3))
        #expect(full.kind == .unavailable)
        #expect(full.message.contains("55 of 55") && full.message.contains("max_connections (200"))
        let configured = try #require(
            TenantCapacity(configuredLimit: 2).refusal(provisioned: 2, maxConnections: 200, superuserReserved: 3))
        #expect(configured.message.contains("--max-tenants 2"))
    }
}
