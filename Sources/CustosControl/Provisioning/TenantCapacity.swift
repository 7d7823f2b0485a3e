import CustosCore
import CustosStore

/// How many tenants the platform can hold while every process still gets the database connections it needs.
///
/// Pooled tenants share the pooled gateways' connections, so they cost none of their own; each dedicated tenant
/// has a gateway process holding up to ``connectionsPerGateway`` PostgreSQL connections. PostgreSQL refuses
/// connections beyond `max_connections` ("too many clients"), and a platform that reaches that point wedges:
/// provisioning times out and the control plane cannot even answer its readiness probe. So a dedicated gateway
/// is refused, with a reason, before that point; an operator's `--max-tenants` bounds all tenants.
public struct TenantCapacity: Sendable, Equatable {
    /// The most connections a gateway's pool opens.
    public static let connectionsPerGateway = ConnectionBudget.gateway

    /// Connections kept for everything but dedicated gateways: the core processes' and the pooled gateways'
    /// pools, and headroom for administration and the command-line tools.
    public var reservedConnections: Int
    /// An operator's limit on all tenants (`--max-tenants`).
    public var configuredLimit: Int?

    /// Creates a policy.
    public init(
        reservedConnections: Int = ConnectionBudget.reservedForCore + ConnectionBudget.gateway,
        configuredLimit: Int? = nil
    ) {
        self.reservedConnections = reservedConnections
        self.configuredLimit = configuredLimit
    }

    /// The number of dedicated gateways that fit a PostgreSQL with these settings.
    public func dedicatedLimit(maxConnections: Int, superuserReserved: Int) -> Int {
        max(0, maxConnections - superuserReserved - reservedConnections) / Self.connectionsPerGateway
    }

    /// The refusal of one more tenant (dedicated or not) when `tenants` exist and `dedicated` of them hold
    /// gateways, or nil when it fits.
    public func refusal(
        tenants: Int, dedicated: Int, addingDedicated: Bool, maxConnections: Int, superuserReserved: Int
    ) -> RequestError? {
        if let configuredLimit, tenants >= configuredLimit {
            return RequestError(
                .unavailable,
                "the platform is at capacity: \(tenants) of \(configuredLimit) tenants, set by the configured limit "
                    + "(--max-tenants \(configuredLimit))")
        }
        let limit = dedicatedLimit(maxConnections: maxConnections, superuserReserved: superuserReserved)
        guard addingDedicated, dedicated >= limit else { return nil }
        return RequestError(
            .unavailable,
            "the platform is at capacity for dedicated gateways: \(dedicated) of \(limit), set by PostgreSQL's "
                + "max_connections (\(maxConnections), of which \(superuserReserved + reservedConnections) are "
                + "reserved and each gateway may hold \(Self.connectionsPerGateway)); raise max_connections, or "
                + "choose a pooled plan")
    }
}
