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

    public func verify(_ key: SecretToken, tenant: TenantID) async throws -> APIKeyGrant? {
        try await database.run {
            let rows = try await client.query(
                """
                SELECT k.scopes FROM control.api_keys k JOIN control.tenants t ON t.tenant_id = k.tenant_id
                WHERE k.key_hash = \(key.hash.byteBuffer) AND k.tenant_id = \(tenant.rawValue) AND k.revoked_at IS NULL
                  AND (k.expires_at IS NULL OR k.expires_at > now()) AND t.status = 'active'
                """, logger: logger)
            for try await scopes in rows.decode([String]?.self) { return APIKeyGrant(scopes: scopes.map(Set.init)) }
            return nil
        }
    }
}
