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

/// The `custos worker ssi` process: identities, DID documents, credentials, status lists and trust per tenant,
/// behind an internal API (docs/openapi/ssi-worker.yaml).
public enum SSIWorker {
    /// Settings of the ssi worker.
    public struct Configuration: Sendable {
        /// Port to listen on.
        public var port: Int
        /// Address to bind (the loopback interface unless a deployment needs another).
        public var host = "127.0.0.1"
        /// The service token.
        public var token: ServiceToken
        /// The database.
        public var database: DatabaseConfiguration
        /// Seals tenant data keys, which seal the identity keys held in custody.
        public var masterKey: MasterKey
        /// The ledger worker's base URL, where DID documents are anchored.
        public var ledgerURL: String
        /// Timeouts and connection limits.
        public var limits: ConnectionLimits = .standard

        /// Creates a configuration.
        public init(
            port: Int, token: ServiceToken, database: DatabaseConfiguration, masterKey: MasterKey, ledgerURL: String
        ) {
            self.port = port
            self.token = token
            self.database = database
            self.masterKey = masterKey
            self.ledgerURL = ledgerURL
        }
    }

    /// The router a worker with `configuration` serves, for inspecting its routes; nothing connects.
    public static func router(for configuration: Configuration, logger: Logger) -> Router<CustosRequestContext> {
        assemble(configuration, logger: logger).router
    }

    /// The services of the process, in start order: the PostgreSQL pool, then the HTTP server.
    public static func services(_ configuration: Configuration, logger: Logger) -> [any Service] {
        assemble(configuration, logger: logger).services
    }

    static func makeRouter(server: ProcessServer, service: SSIService) -> Router<CustosRequestContext> {
        let router = server.makeRouter()
        let internalRoutes = server.serviceTokenRoutes(router)
        // The generated registrations cover every typed operation of docs/openapi/ssi-worker.yaml; they cannot
        // fail for a document the generator accepted.
        try! SSIWorkerHandlers(service: service).registerHandlers(on: AbsentBodyTransport(internalRoutes))
        SSIBridgeRoutes(service: service).add(to: internalRoutes)
        SSIPublicRoutes(service: service).add(to: internalRoutes)
        return router
    }

    static func assemble(_ configuration: Configuration, logger: Logger) -> ProcessAssembly {
        let client = PostgresClient(configuration: configuration.database.clientConfiguration, backgroundLogger: logger)
        let store = SSIStore(
            client: client, masterKey: configuration.masterKey, logger: logger,
            queryTimeout: configuration.database.options.queryTimeout)
        let service = SSIService(
            store: store, ledger: LedgerClient(baseURL: configuration.ledgerURL, token: configuration.token),
            logger: logger)
        let server = ProcessServer(
            role: "worker ssi", host: configuration.host, port: configuration.port, token: configuration.token,
            limits: configuration.limits,
            readiness: Readiness { await DatabaseProbe.problem(client, logger) }, logger: logger)
        return ProcessAssembly(
            server: server, router: makeRouter(server: server, service: service), dependencies: [client],
            background: [service.credentialWrites], prepare: { try await store.migrate() })
    }
}
