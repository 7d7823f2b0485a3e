import CustosCore

/// Remembers recent API key verdicts so a busy integrator costs no database round trip per request.
///
/// Positive verdicts live a few seconds (bounding how long a revoked key keeps working); negative ones
/// live briefly too, so guessing keys cannot hammer the database. A change of a tenant's state (suspended,
/// resumed, deleted) does not wait for that: ``forget(tenant:)`` drops the tenant's verdicts at once, and
/// ``forgetAll()`` every verdict, when changes may have been missed.
public actor APIKeyCache {
    private struct Entry {
        var grant: APIKeyGrant?
        var expires: ContinuousClock.Instant
    }

    private let positiveTTL: Duration
    private let negativeTTL: Duration
    private let capacity: Int
    private var entries: [[UInt8]: Entry] = [:]

    public init(positiveTTL: Duration = .seconds(5), negativeTTL: Duration = .seconds(1), capacity: Int = 10_000) {
        self.positiveTTL = positiveTTL
        self.negativeTTL = negativeTTL
        self.capacity = capacity
    }

    /// The cached verdict (the key's grant, nil for a key that is not valid), or the result of `verify`, which is
    /// then cached.
    public func verdict(for key: SecretToken, verify: @Sendable () async throws -> APIKeyGrant?) async throws
        -> APIKeyGrant?
    {
        let now = ContinuousClock.now
        if let entry = entries[key.hash], entry.expires > now { return entry.grant }
        let grant = try await verify()
        if entries.count >= capacity { entries = entries.filter { $0.value.expires > now } }
        if entries.count < capacity {
            entries[key.hash] = Entry(grant: grant, expires: now + (grant != nil ? positiveTTL : negativeTTL))
        }
        return grant
    }

    /// Drops the verdicts of `tenant`'s keys, so its next request is verified again.
    public func forget(tenant: TenantID) {
        entries = entries.filter { $0.value.grant?.tenant != tenant }
    }

    /// Drops every verdict.
    public func forgetAll() { entries = [:] }
}
