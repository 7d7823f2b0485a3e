import CustosCore

/// A dedicated gateway the control plane wants (`GET /internal/v1/gateways`), with the tenant's plan.
public struct DesiredGateway: Sendable, Hashable {
    /// The tenant.
    public var tenant: TenantID
    /// Its plan.
    public var plan: String

    /// A desired gateway.
    public init(tenant: TenantID, plan: String) {
        self.tenant = tenant
        self.plan = plan
    }
}
