import CustosCore
import Logging
import PostgresNIO

/// The notification that tells every gateway a tenant changed (suspended, resumed, re-planned, deleted): the
/// control plane sends it in the transaction that makes the change, so it is delivered when the change commits;
/// gateways listen on ``channel`` and read the tenant again.
public enum TenantChanges {
    /// The PostgreSQL notification channel; the payload is the tenant id.
    public static let channel = "custos_tenants"

    /// Notifies a change of `tenant`, delivered when the transaction of `connection` commits.
    public static func notify(_ tenant: TenantID, on connection: PostgresConnection, logger: Logger) async throws {
        _ = try await connection.query("SELECT pg_notify(\(channel), \(tenant.rawValue))", logger: logger)
    }
}
