import CustosRPC
import CustosStore
import Hummingbird
import Logging
import PostgresNIO
import ServiceLifecycle

/// The `custos worker ledger` process: per-tenant private ledgers behind an internal API.
public enum LedgerWorker {
    /// The services of the process, in start order: the PostgreSQL pool, then the HTTP server.
    public static func services(
        port: Int, token: ServiceToken, database: DatabaseConfiguration, logger: Logger,
        onListening: @escaping @Sendable (Int) async -> Void = { _ in }
    ) -> [any Service] {
        let client = PostgresClient(configuration: database.clientConfiguration, backgroundLogger: logger)
        let store = LedgerStore(client: client, logger: logger)
        let server = ProcessServer(
            role: "worker ledger", port: port, token: token,
            readiness: .database(client, logger), logger: logger)
        let router = server.makeRouter()
        LedgerRoutes(store: store, sequencers: SequencerRegistry(store: store)).add(to: router)
        var app = server.makeApplication(router: router, onListening: onListening)
        app.beforeServerStarts { try await store.migrate() }
        return [client, app]
    }
}
