import AsyncHTTPClient
import CustosAuth
import CustosCore
import CustosLedgerWorkerAPI
import CustosServer
import CustosStore
import Hummingbird
import Logging
import OpenAPIHummingbird
import PostgresNIO
import ServiceLifecycle

/// The `custos worker ledger` process: per-tenant private ledgers behind an internal API.
public enum LedgerWorker {
    /// Settings of the ledger worker.
    public struct Configuration: Sendable {
        /// Port to listen on.
        public var port: Int
        /// Address to bind (the loopback interface unless a deployment needs another).
        public var host = "127.0.0.1"
        /// The service token.
        public var token: ServiceToken
        /// The database.
        public var database: DatabaseConfiguration
        /// Seals tenant data keys, which seal coordinator keys.
        public var masterKey: MasterKey
        /// How often, at most, a milestone confirms new entries (default 250 ms).
        public var milestoneInterval: Duration
        /// The first part of every checkpoint origin, `<prefix>/<tenant>`.
        public var originPrefix: String
        /// Timeouts and connection limits.
        public var limits: ConnectionLimits = .standard
        /// The URL other ledger workers on the same database forward this worker's tenants to; by default
        /// `http://<host>:<port>` (with `127.0.0.1` for a wildcard host).
        public var advertiseURL: String?

        /// Creates a configuration.
        public init(
            port: Int, token: ServiceToken, database: DatabaseConfiguration, masterKey: MasterKey,
            milestoneInterval: Duration = .milliseconds(250), originPrefix: String = "custos.local"
        ) {
            self.port = port
            self.token = token
            self.database = database
            self.masterKey = masterKey
            self.milestoneInterval = milestoneInterval
            self.originPrefix = originPrefix
        }
    }

    /// The router a ledger worker with `configuration` serves, for inspecting its routes; nothing connects.
    public static func router(for configuration: Configuration, logger: Logger) -> Router<CustosRequestContext> {
        assemble(configuration, logger: logger).router
    }

    /// The worker's router: public health routes and the ledger API behind the service token, each request
    /// answered by the worker that sequences its tenant.
    static func makeRouter(
        server: ProcessServer, store: LedgerStore, ledgers: SequencerRegistry, forwarder: SequencerForwarder,
        originPrefix: String
    ) -> Router<CustosRequestContext> {
        let router = server.makeRouter()
        let handlers = LedgerWorkerHandlers(
            store: store, ledgers: ledgers, proofs: LedgerProofs(store: store, ledgers: ledgers),
            originPrefix: originPrefix)
        let tenantRoutes = server.serviceTokenRoutes(router)
            .add(middleware: SequencerRoutingMiddleware(ledgers: ledgers, forwarder: forwarder))
        // The generated registrations cover every operation of docs/openapi/ledger-worker.yaml; they cannot fail
        // for a document the generator accepted.
        try! handlers.registerHandlers(on: AbsentBodyTransport(tenantRoutes))
        return router
    }

    /// The services of the process, in start order: the PostgreSQL pool, the tenant writer loops, then the HTTP
    /// server. They stop in reverse order: the server finishes its requests, the writers their last commits and
    /// milestones, and only then does the pool close.
    public static func services(_ configuration: Configuration, logger: Logger) -> [any Service] {
        assemble(configuration, logger: logger).services
    }

    /// The process, built without connecting anything.
    static func assemble(_ configuration: Configuration, logger: Logger) -> ProcessAssembly {
        let client = PostgresClient(configuration: configuration.database.clientConfiguration, backgroundLogger: logger)
        let store = LedgerStore(
            client: client, masterKey: configuration.masterKey, logger: logger,
            queryTimeout: configuration.database.options.queryTimeout)
        let advertiseURL = configuration.advertiseURL ?? configuration.defaultAdvertiseURL
        let lease = SequencerLease(
            configuration: configuration.database.connectionConfiguration, database: store.database,
            advertiseURL: advertiseURL, logger: logger)
        let ledgers = SequencerRegistry(store: store, lease: lease, milestoneInterval: configuration.milestoneInterval)
        let forwarder = SequencerForwarder(
            client: SequencerForwarder.client, advertiseURL: advertiseURL,
            bodyLimit: configuration.limits.maximumBodySize,
            timeout: .seconds(30))
        let server = ProcessServer(
            role: "worker ledger", host: configuration.host, port: configuration.port, token: configuration.token,
            limits: configuration.limits,
            readiness: Readiness { await DatabaseProbe.problem(client, logger) }, logger: logger)
        return ProcessAssembly(
            server: server,
            router: makeRouter(
                server: server, store: store, ledgers: ledgers, forwarder: forwarder,
                originPrefix: configuration.originPrefix),
            dependencies: [client], background: [ledgers],
            prepare: {
                try await store.migrate()
                // Unconfirmed entries left by a crash get their milestone without waiting for new traffic.
                await ledgers.adopt()
            })
    }
}

extension LedgerWorker.Configuration {
    /// `http://<host>:<port>`, with `127.0.0.1` for a wildcard host.
    var defaultAdvertiseURL: String {
        let reachable = host == "0.0.0.0" || host == "::" || host.isEmpty ? "127.0.0.1" : host
        return "http://\(reachable.contains(":") ? "[\(reachable)]" : reachable):\(port)"
    }
}
