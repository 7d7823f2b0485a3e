import CustosCore
import CustosStore

/// How many tenants the platform can hold while every process still gets the database connections it needs.
///
/// Each tenant has its own gateway process (until pooled gateways exist), and each gateway holds up to
/// ``connectionsPerGateway`` PostgreSQL connections. PostgreSQL refuses connections beyond `max_connections`
/// ("too many clients"), and a platform that reaches that point wedges: provisioning times out and the control
/// plane cannot even answer its readiness probe. So provisioning is refused, with a reason, before that point.
public struct TenantCapacity: Sendable, Equatable {
    /// The most connections a gateway's pool opens.
    public static let connectionsPerGateway = ConnectionBudget.gateway

    /// Connections kept for everything but gateways: the control plane's and the ledger worker's pools, and
    /// headroom for administration and the command-line tools.
    public var reservedConnections: Int
    /// An operator's own limit (`--max-tenants`), applied when lower than the computed one.
    public var configuredLimit: Int?

    /// Creates a policy.
    public init(reservedConnections: Int = ConnectionBudget.reservedForCore, configuredLimit: Int? = nil) {
        self.reservedConnections = reservedConnections
        self.configuredLimit = configuredLimit
    }

    /// The number of tenants that fit a PostgreSQL with these settings.
    public func limit(maxConnections: Int, superuserReserved: Int) -> Int {
        let available = max(0, maxConnections - superuserReserved - reservedConnections)
        let computed = available / Self.connectionsPerGateway
        return configuredLimit.map { min($0, computed) } ?? computed
    }

    /// The refusal of one more tenant when `provisioned` tenants already hold gateways, or nil when it fits.
    public func refusal(provisioned: Int, maxConnections: Int, superuserReserved: Int) -> RequestError? {
        let limit = limit(maxConnections: maxConnections, superuserReserved: superuserReserved)
        guard provisioned >= limit else { return nil }
        let reason =
            if let configuredLimit, configuredLimit <= limit {
                "the configured limit (--max-tenants \(configuredLimit))"
            } else {
                "PostgreSQL's max_connections (\(maxConnections), of which \(superuserReserved + reservedConnections) "
                    + "are reserved and each gateway may hold \(Self.connectionsPerGateway)); raise max_connections"
            }
        return RequestError(
            .unavailable, "the platform is at capacity: \(provisioned) of \(limit) tenants, set by \(reason)")
    }
}
