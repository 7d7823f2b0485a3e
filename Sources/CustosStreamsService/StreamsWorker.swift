import CustosAuth
import CustosClients
import CustosCore
import CustosServer
import CustosStore
import Hummingbird
import Logging
import OpenAPIHummingbird
import PostgresNIO
import ServiceLifecycle

/// The `custos worker streams` process: audit-trail channels, their subscriptions and the participant keys held in
/// custody per tenant, every envelope an entry of the tenant ledger, behind an internal API
/// (docs/openapi/streams-worker.yaml).
public enum StreamsWorker {
    /// Settings of the streams worker.
    public struct Configuration: Sendable {
        /// Port to listen on.
        public var port: Int
        /// Address to bind (the loopback interface unless a deployment needs another).
        public var host = "127.0.0.1"
        /// The service token.
        public var token: ServiceToken
        /// The database.
        public var database: DatabaseConfiguration
        /// Seals tenant data keys, which seal the participant keys held in custody.
        public var masterKey: MasterKey
        /// The ledger worker's base URL, where envelopes are anchored.
        public var ledgerURL: String
        /// The ssi worker's base URL, which resolves the DID documents of privatePlus authors.
        public var ssiURL: String
        /// Timeouts and connection limits.
        public var limits: ConnectionLimits = .standard

        /// Creates a configuration.
        public init(
            port: Int, token: ServiceToken, database: DatabaseConfiguration, masterKey: MasterKey, ledgerURL: String,
            ssiURL: String
        ) {
            self.port = port
            self.token = token
            self.database = database
            self.masterKey = masterKey
            self.ledgerURL = ledgerURL
            self.ssiURL = ssiURL
        }
    }

    /// The router a worker with `configuration` serves, for inspecting its routes; nothing connects.
    public static func router(for configuration: Configuration, logger: Logger) -> Router<CustosRequestContext> {
        assemble(configuration, logger: logger).router
    }

    /// The services of the process, in start order: the PostgreSQL pool, the anchoring of envelopes left pending,
    /// then the HTTP server.
    public static func services(_ configuration: Configuration, logger: Logger) -> [any Service] {
        assemble(configuration, logger: logger).services
    }

    static func makeRouter(server: ProcessServer, service: StreamsService) -> Router<CustosRequestContext> {
        let router = server.makeRouter()
        let internalRoutes = server.serviceTokenRoutes(router)
        // The generated registrations cover every typed operation of docs/openapi/streams-worker.yaml; they cannot
        // fail for a document the generator accepted.
        try! StreamsWorkerHandlers(service: service).registerHandlers(on: AbsentBodyTransport(internalRoutes))
        ChannelRoutes(service: service).add(to: internalRoutes)
        AdminChannelRoutes(service: service).add(to: internalRoutes)
        EntryBatchRoutes(service: service).add(to: internalRoutes)
        return router
    }

    static func assemble(_ configuration: Configuration, logger: Logger) -> ProcessAssembly {
        let client = PostgresClient(configuration: configuration.database.clientConfiguration, backgroundLogger: logger)
        let store = StreamsStore(
            client: client, masterKey: configuration.masterKey, logger: logger,
            queryTimeout: configuration.database.options.queryTimeout)
        let service = StreamsService(
            store: store, ledger: LedgerClient(baseURL: configuration.ledgerURL, token: configuration.token),
            ssi: SSIClient(baseURL: configuration.ssiURL, serviceToken: configuration.token.secret), logger: logger)
        let server = ProcessServer(
            role: "worker streams", host: configuration.host, port: configuration.port, token: configuration.token,
            limits: configuration.limits, readiness: Readiness { await DatabaseProbe.problem(client, logger) },
            logger: logger)
        return ProcessAssembly(
            server: server, router: makeRouter(server: server, service: service), dependencies: [client],
            background: [PendingEnvelopes(service: service)], prepare: { try await store.migrate() })
    }
}
