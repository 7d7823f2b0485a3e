import CustosCore

/// Finds the tenant and grant of a presented API key (not revoked, not expired, of a tenant that is not being
/// deleted).
///
/// The gateway depends on this protocol, not on where keys are kept. A key's hash is unique across tenants, so
/// the key alone names its tenant: that is how a pooled gateway routes a request that names no tenant itself.
public protocol APIKeyVerifier: Sendable {
    /// The grant of `key`, or nil when it is not a live key of any tenant that can be served.
    func verify(_ key: SecretToken) async throws -> APIKeyGrant?
}

/// What a live API key may do, and for which tenant.
public struct APIKeyGrant: Sendable, Equatable {
    /// The tenant the key belongs to.
    public var tenant: TenantID
    /// Whether that tenant is suspended: its keys are known but refused until it is resumed.
    public var suspended: Bool
    /// The key's scopes (such as `ledger:read`), or nil for a key without a restriction: every scope.
    public var scopes: Set<String>?
    /// The tenant's plan, whose rate limits and quotas apply.
    public var plan: String?

    /// Creates a grant.
    public init(tenant: TenantID, suspended: Bool = false, scopes: Set<String>?, plan: String? = nil) {
        self.tenant = tenant
        self.suspended = suspended
        self.scopes = scopes
        self.plan = plan
    }
}
