import CustosCore

/// Who made a request, as established by the authenticator of the route group that served it.
///
/// Handlers read the caller from the request context instead of re-parsing credentials, so a route can only
/// run with the identity its group's authenticator put there.
public enum Caller: Sendable, Equatable {
    /// Another Custos process, authenticated by the service token.
    case service
    /// A platform administrator, by the public id of their token.
    case administrator(tokenID: String)
    /// An integrator, by an API key of one tenant.
    case tenantKey(TenantKey)

    /// An API key accepted for a tenant.
    public struct TenantKey: Sendable, Equatable {
        /// The tenant the key belongs to.
        public let tenant: TenantID
        /// The key's public id (`key_...`), safe to log.
        public let keyID: String
        /// The key's scopes, or nil for a key with every scope.
        public let scopes: Set<String>?
        /// The tenant's plan, when the gateway knows it.
        public let plan: String?

        /// Creates a key identity.
        public init(tenant: TenantID, keyID: String, scopes: Set<String>? = nil, plan: String? = nil) {
            self.tenant = tenant
            self.keyID = keyID
            self.scopes = scopes
            self.plan = plan
        }
    }
}
