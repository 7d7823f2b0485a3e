/// What a tenant on a plan may use, how fast, and how it is isolated (`Policies/plans.yaml`).
public struct Plan: Sendable, Equatable, Codable {
    /// How a tenant's gateway is run.
    public enum Isolation: String, Sendable, Equatable, Codable, CaseIterable {
        /// Served by the shared gateways, at `<tenant>.<gateway domain>`.
        case pooled
        /// A gateway of the tenant's own.
        case dedicated
    }

    /// Per-tenant limits; nil is unlimited.
    public struct Quotas: Sendable, Equatable, Codable {
        /// Live (unrevoked, unexpired) API keys.
        public var apiKeys: Int?
        /// Ledger and channel entries written since midnight UTC.
        public var entriesPerDay: Int?

        /// Creates quotas.
        public init(apiKeys: Int? = nil, entriesPerDay: Int? = nil) {
            self.apiKeys = apiKeys
            self.entriesPerDay = entriesPerDay
        }
    }

    /// A token bucket: refilled at `requestsPerSecond`, holding at most `burst`.
    public struct Rate: Sendable, Equatable, Codable {
        /// The refill rate.
        public var requestsPerSecond: Int
        /// The bucket's size: requests that may come at once after a quiet time.
        public var burst: Int

        /// Creates a rate.
        public init(requestsPerSecond: Int, burst: Int) {
            self.requestsPerSecond = requestsPerSecond
            self.burst = burst
        }
    }

    /// The buckets of a plan; nil is no limit.
    public struct RateLimits: Sendable, Equatable, Codable {
        /// Each API key's bucket.
        public var perKey: Rate?
        /// The bucket all of a tenant's keys share.
        public var perTenant: Rate?

        /// Creates rate limits.
        public init(perKey: Rate? = nil, perTenant: Rate? = nil) {
            self.perKey = perKey
            self.perTenant = perTenant
        }
    }

    /// The plan's name, its key in the file.
    public var name: String
    /// A line for people choosing a plan.
    public var description: String
    /// How its tenants' gateways are run.
    public var isolation: Isolation
    /// Its quotas.
    public var quotas: Quotas
    /// Its rate limits.
    public var rateLimits: RateLimits

    /// Creates a plan.
    public init(
        name: String, description: String, isolation: Isolation, quotas: Quotas = Quotas(),
        rateLimits: RateLimits = RateLimits()
    ) {
        self.name = name
        self.description = description
        self.isolation = isolation
        self.quotas = quotas
        self.rateLimits = rateLimits
    }
}
