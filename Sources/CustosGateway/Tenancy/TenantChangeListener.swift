import CustosAuth
import CustosCore
import CustosStore
import Logging
import PostgresNIO
import ServiceLifecycle

/// Applies the control plane's tenant changes the moment they commit: it listens for ``TenantChanges``, which the
/// control plane sends in the transaction that suspends, resumes, re-plans or deletes a tenant, and drops that
/// tenant's key verdicts, so its next request is verified against the new state instead of a cached verdict.
///
/// While no connection listens (the database is away, or the gateway is starting) changes may be missed, so every
/// verdict is dropped each time listening (re)starts; until then cached verdicts expire on their own, within
/// ``APIKeyCache``'s few seconds.
struct TenantChangeListener: Service {
    let client: PostgresClient
    let keys: APIKeyCache
    let logger: Logger
    var retryDelay: Duration = .seconds(1)

    func run() async {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    try await client.withConnection { connection in
                        try await connection.listen(on: TenantChanges.channel) { notifications in
                            keys.forgetAll()
                            for try await notification in notifications {
                                if let tenant = TenantID(notification.payload) {
                                    keys.forget(tenant: tenant)
                                } else {
                                    keys.forgetAll()
                                }
                            }
                        }
                    }
                } catch {
                    guard !Task.isCancelled else { return }
                    logger.warning(
                        "not listening for tenant changes; retrying",
                        metadata: ["error": "\(String(reflecting: error))"])
                }
                try? await Task.sleep(for: retryDelay)
            }
        }
    }
}
