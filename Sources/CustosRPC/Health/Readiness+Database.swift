import Logging
import PostgresNIO

extension Readiness {
    /// Ready while the database answers a trivial query.
    public static func database(_ client: PostgresClient, _ logger: Logger) -> Readiness {
        Readiness {
            do {
                try await client.query("SELECT 1", logger: logger)
                return nil
            } catch {
                return "database unreachable"
            }
        }
    }
}
