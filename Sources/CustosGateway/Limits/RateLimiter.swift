import CustosAuth
import CustosCore
import CustosPolicy
import Synchronization

/// The rate limits of the tenants' plans on this gateway: a token bucket per API key and one per tenant
/// (`Policies/plans.yaml`), both taken from for each request.
///
/// Buckets live in this process: with several gateway replicas behind a load balancer each has its own, so a
/// tenant may get up to the limit on each (the daily quotas, in ``UsageMeter``, are shared through the database).
/// Full buckets are forgotten when the table grows, as a new bucket starts full.
final class RateLimiter: Sendable {
    /// What a request found: allowed or not, and the headers to answer with.
    struct Verdict: Sendable, Equatable {
        var allowed: Bool
        /// `RateLimit-Policy` (draft-ietf-httpapi-ratelimit-headers): each bucket's size and refill window.
        var policy: String
        /// `RateLimit`: the tightest bucket's remaining tokens and seconds to full.
        var limit: String
        /// `Retry-After` seconds, when refused.
        var retryAfter: Int
        /// Which bucket refused.
        var refusedBy: String?
    }

    /// Buckets kept before full ones are dropped.
    static let capacity = 65_536

    private let plans: PlanCatalog
    private let buckets = Mutex([String: TokenBucket]())

    init(plans: PlanCatalog) { self.plans = plans }

    /// Takes a token from the key's and the tenant's buckets; nil when the plan has no rate limit.
    func take(key: Caller.TenantKey, now: ContinuousClock.Instant = .now) -> Verdict? {
        guard let plan = key.plan.flatMap({ plans[$0] }) else { return nil }
        let limits = [
            ("key", "k:" + key.keyID, plan.rateLimits.perKey),
            ("tenant", "t:" + key.tenant.rawValue, plan.rateLimits.perTenant),
        ]
        .compactMap { name, id, rate in rate.map { (name, id, $0) } }
        guard !limits.isEmpty else { return nil }
        // A request takes a token from every bucket or from none: one refused by the tenant's bucket does not use
        // up its key's, and the other way round.
        let decisions = buckets.withLock { buckets in
            if buckets.count >= Self.capacity { buckets = buckets.filter { !$0.value.isFull(at: now) } }
            var current = limits.map { _, id, rate in
                var bucket = buckets[id] ?? TokenBucket(perSecond: rate.requestsPerSecond, burst: rate.burst, now: now)
                bucket.refill(now: now)
                return bucket
            }
            let allowed = current.allSatisfy(\.hasToken)
            for index in current.indices {
                if allowed { current[index].consume() }
                buckets[limits[index].1] = current[index]
            }
            return limits.indices.map { index in
                (limits[index].0, limits[index].2, current[index].decision(allowed: current[index].hasToken || allowed))
            }
        }
        let policy = decisions.map { name, rate, _ in
            "\"\(name)\";q=\(rate.burst);w=\(max(1, (rate.burst + rate.requestsPerSecond - 1) / rate.requestsPerSecond))"
        }.joined(separator: ", ")
        let refused = decisions.first { !$0.2.allowed }
        let tightest = refused ?? decisions.min { $0.2.remaining * $1.1.burst < $1.2.remaining * $0.1.burst }!
        return Verdict(
            allowed: refused == nil, policy: policy,
            limit: "\"\(tightest.0)\";r=\(tightest.2.remaining);t=\(tightest.2.secondsToFull)",
            retryAfter: refused?.2.retryAfter ?? 0, refusedBy: refused?.0)
    }
}
