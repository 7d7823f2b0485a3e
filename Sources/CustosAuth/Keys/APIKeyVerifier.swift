import CustosCore

/// Decides whether a presented API key is a live key of a tenant (not revoked, not expired, tenant active), and
/// what it may do.
///
/// The gateway depends on this protocol, not on where keys are kept.
public protocol APIKeyVerifier: Sendable {
    /// The grant of `key` if it currently authenticates callers as `tenant`, nil otherwise.
    func verify(_ key: SecretToken, tenant: TenantID) async throws -> APIKeyGrant?
}

/// What a live API key may do.
public struct APIKeyGrant: Sendable, Equatable {
    /// The key's scopes (such as `ledger:read`), or nil for a key without a restriction: every scope.
    public var scopes: Set<String>?

    /// Creates a grant.
    public init(scopes: Set<String>?) { self.scopes = scopes }
}
