import CustosAuth
import CustosCore
import CustosPolicy
import Testing

@testable import CustosGateway

@Suite("Rate limits and tenancy")
struct RateLimitTests {
    @Test("a token bucket allows its burst, then one request per refill interval, and says when to retry")
    func bucket() {
        let start = ContinuousClock.now
        var bucket = TokenBucket(perSecond: 2, burst: 4, now: start)
        for _ in 0..<4 { #expect(bucket.take(now: start).allowed) }
        let refused = bucket.take(now: start)
        #expect(!refused.allowed && refused.remaining == 0 && refused.retryAfter == 1)
        #expect(bucket.take(now: start + .milliseconds(500)).allowed, "half a second refills one token")
        #expect(!bucket.take(now: start + .milliseconds(500)).allowed)
        #expect(bucket.isFull(at: start + .seconds(3)))
    }

    @Test("keys of one tenant share its bucket; another tenant is not affected; headers follow the draft")
    func limiter() throws {
        let plans = try PlanCatalog(
            yaml: """
                defaultPlan: p
                signupPlan: p
                plans:
                  p:
                    description: test
                    isolation: pooled
                    rateLimits: { perKey: { requestsPerSecond: 1, burst: 3 }, perTenant: { requestsPerSecond: 1, burst: 4 } }
                """)
        let limiter = RateLimiter(plans: plans)
        let now = ContinuousClock.now
        let a1 = Caller.TenantKey(tenant: TenantID("alpha")!, keyID: "key_a1", plan: "p")
        let a2 = Caller.TenantKey(tenant: TenantID("alpha")!, keyID: "key_a2", plan: "p")
        let b = Caller.TenantKey(tenant: TenantID("beta")!, keyID: "key_b", plan: "p")
        let first = try #require(limiter.take(key: a1, now: now))
        #expect(first.allowed && first.policy == #""key";q=3;w=3, "tenant";q=4;w=4"#, "\(first.policy)")
        #expect(first.limit == #""key";r=2;t=1"#, "\(first.limit)")
        #expect(limiter.take(key: a1, now: now)?.allowed == true)
        #expect(limiter.take(key: a1, now: now)?.allowed == true)
        let keyRefusal = try #require(limiter.take(key: a1, now: now))
        #expect(!keyRefusal.allowed && keyRefusal.refusedBy == "key")
        #expect(limiter.take(key: a2, now: now)?.allowed == true, "the tenant's fourth token")
        let tenantRefusal = try #require(limiter.take(key: a2, now: now))
        #expect(!tenantRefusal.allowed && tenantRefusal.refusedBy == "tenant")
        #expect(limiter.take(key: b, now: now)?.allowed == true, "another tenant has its own buckets")
        #expect(limiter.take(key: Caller.TenantKey(tenant: TenantID("gamma")!, keyID: "key_g", plan: "none")) == nil)
    }

    @Test("a pooled gateway reads the tenant from the host name below its domain, and nothing else")
    func hostNames() throws {
        #expect(try GatewayTenancy.tenant(inHost: "acme.localhost:7000", domain: "localhost") == TenantID("acme"))
        #expect(try GatewayTenancy.tenant(inHost: "ACME.Localhost.", domain: "localhost") == TenantID("acme"))
        #expect(try GatewayTenancy.tenant(inHost: "127.0.0.1:7000", domain: "localhost") == nil)
        #expect(try GatewayTenancy.tenant(inHost: "localhost:7000", domain: "localhost") == nil)
        #expect(try GatewayTenancy.tenant(inHost: "acme.gw.example.com", domain: "gw.example.com") == TenantID("acme"))
        #expect(try GatewayTenancy.tenant(inHost: "acme.evil-localhost", domain: "localhost") == nil)
        #expect(throws: RequestError.self) { try GatewayTenancy.tenant(inHost: "a.b.localhost", domain: "localhost") }
        #expect(throws: RequestError.self) { try GatewayTenancy.tenant(inHost: "x--y.localhost", domain: "localhost") }
        #expect(try GatewayTenancy.tenant(inHost: "[::1]:7000", domain: "localhost") == nil)
    }
}
