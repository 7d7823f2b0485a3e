import CustosCore
import CustosStore
import Logging
import PostgresNIO

/// Verifies API keys against the key table the control plane maintains (`control.api_keys`), by hash.
public struct PostgresAPIKeyVerifier: APIKeyVerifier {
    private let client: PostgresClient
    private let logger: Logger
    private let database: DatabaseDeadline

    /// Creates a verifier on a running client; `queryTimeout` bounds each lookup.
    public init(client: PostgresClient, logger: Logger, queryTimeout: Duration) {
        self.client = client
        self.logger = logger
        self.database = DatabaseDeadline(timeout: queryTimeout, logger: logger)
    }

    public func verify(_ key: SecretToken) async throws -> APIKeyGrant? {
        try await database.run {
            // The key's last use is recorded at most once a minute, in the same statement.
            let rows = try await client.query(
                """
                WITH found AS (
                  SELECT k.tenant_id, k.key_id, t.status, k.scopes, t.plan, k.last_used_at FROM control.api_keys k
                  JOIN control.tenants t ON t.tenant_id = k.tenant_id
                  WHERE k.key_hash = \(key.hash.byteBuffer) AND k.revoked_at IS NULL
                    AND (k.expires_at IS NULL OR k.expires_at > now()) AND t.status IN ('active', 'suspended')
                ), used AS (
                  UPDATE control.api_keys k SET last_used_at = now() FROM found f
                  WHERE k.tenant_id = f.tenant_id AND k.key_id = f.key_id
                    AND (f.last_used_at IS NULL OR f.last_used_at < now() - interval '1 minute')
                )
                SELECT tenant_id, status, scopes, plan FROM found
                """, logger: logger)
            for try await (tenant, status, scopes, plan) in rows.decode((String, String, [String]?, String).self) {
                guard let tenant = TenantID(tenant) else { return nil }
                return APIKeyGrant(
                    tenant: tenant, suspended: status == "suspended", scopes: scopes.map(Set.init), plan: plan)
            }
            return nil
        }
    }
}
