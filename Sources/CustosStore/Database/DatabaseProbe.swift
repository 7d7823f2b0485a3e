import Logging
import PostgresNIO

/// The readiness probe of a process that needs its database: a trivial query with a deadline.
public enum DatabaseProbe {
    /// Nil while the database answers a trivial query within `timeout` (default 2 s), else why not.
    ///
    /// The probe ends by its deadline even when the query does not: while PostgreSQL is away PostgresNIO queues
    /// the query until its pool gives up, and a query on a connection whose server vanished waits for TCP.
    public static func problem(_ client: PostgresClient, _ logger: Logger, timeout: Duration = .seconds(2)) async
        -> String?
    {
        let (outcomes, outcome) = AsyncStream.makeStream(of: Bool.self)
        let probe = Task {
            do {
                try await client.query("SELECT 1", logger: logger)
                outcome.yield(true)
            } catch {
                outcome.yield(false)
            }
        }
        let timer = Task {
            try? await Task.sleep(for: timeout)
            outcome.yield(false)
        }
        defer {
            probe.cancel()
            timer.cancel()
            outcome.finish()
        }
        for await answered in outcomes { return answered ? nil : "database unreachable" }
        return "database unreachable"
    }
}
