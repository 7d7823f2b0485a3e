import Testing

@testable import CustosPolicy

/// The request time and the written tag in the context: the examples "no writes outside office hours"
/// and "this key may write only tag orders", validated against the schema and decided.
@Suite("Request context: time and tag")
struct RequestContextTests {
    @Test("request time: UTC hour and ISO weekday")
    func time() {
        // 2026-12-01T16:00:00Z is a Tuesday; 1970-01-01T00:00:00Z a Thursday; 1969-12-31T23:00:00Z a Wednesday.
        #expect(
            RequestTime.value(unixSeconds: 1_796_140_800)
                == .record(["unix": .long(1_796_140_800), "hour": .long(16), "weekday": .long(2)]))
        #expect(
            RequestTime.value(unixSeconds: 0) == .record(["unix": .long(0), "hour": .long(0), "weekday": .long(4)]))
        #expect(
            RequestTime.value(unixSeconds: -3600)
                == .record(["unix": .long(-3600), "hour": .long(23), "weekday": .long(3)]))
    }

    static let examples = """
        @id("acme/office-hours")
        forbid (principal, action in Action::"ledger:write", resource)
        when { context.time.hour < 8 || context.time.hour >= 18 || context.time.weekday > 5 };

        @id("acme/orders-only")
        forbid (principal == ApiKey::"key_orders", action == Action::"createLedgerMessage", resource)
        unless { context.tag == "orders" };
        """

    static func decide(key: String, tag: String, at unix: Int) throws -> Decision {
        let tenant = try PolicySet(parsing: examples)
        try Validator.validate(tenant, against: BasePolicies.parsedSchema)
        let policies = try PolicySet(BasePolicies.policySet.policies + tenant.policies)
        let (request, entities) = try #require(
            LedgerRequests.request("createLedgerMessage", tenant: "acme", keyID: key, tag: tag, unixTime: unix))
        return Authorizer.isAuthorized(
            request, policies: policies, entities: try BasePolicies.actionEntities.adding(entities))
    }

    @Test("office hours and a tag-bound key, as tenant policies")
    func examplesDecide() throws {
        let tuesday10 = 1_796_119_200  // 2026-12-01T10:00:00Z
        let tuesday20 = 1_796_155_200  // 2026-12-01T20:00:00Z
        let saturday10 = 1_796_464_800  // 2026-12-05T10:00:00Z
        #expect(try Self.decide(key: "key_any", tag: "invoices", at: tuesday10).isAllowed)
        let late = try Self.decide(key: "key_any", tag: "invoices", at: tuesday20)
        #expect(!late.isAllowed && late.reasons == ["acme/office-hours"])
        #expect(try !Self.decide(key: "key_any", tag: "invoices", at: saturday10).isAllowed)
        #expect(try Self.decide(key: "key_orders", tag: "orders", at: tuesday10).isAllowed)
        let other = try Self.decide(key: "key_orders", tag: "invoices", at: tuesday10)
        #expect(!other.isAllowed && other.reasons == ["acme/orders-only"])
    }
}
