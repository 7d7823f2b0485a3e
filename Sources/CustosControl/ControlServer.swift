import CustosRPC
import CustosStore
import Hummingbird
import Logging
import PostgresNIO
import ServiceLifecycle

/// The `custos control` process: tenants, keys and provisioning behind the admin API.
public enum ControlServer {
    /// Settings of the control plane.
    public struct Configuration: Sendable {
        /// Port to listen on.
        public var port: Int
        /// Address to bind.
        public var host: String
        /// The service token.
        public var token: ServiceToken
        /// The database.
        public var database: DatabaseConfiguration
        /// The ledger worker's base URL.
        public var ledgerURL: String
        /// The host integrators use to reach gateways.
        public var publicHost: String

        /// Creates a configuration.
        public init(
            port: Int, host: String, token: ServiceToken, database: DatabaseConfiguration, ledgerURL: String,
            publicHost: String
        ) {
            self.port = port
            self.host = host
            self.token = token
            self.database = database
            self.ledgerURL = ledgerURL
            self.publicHost = publicHost
        }
    }

    /// The services of the process, in start order.
    public static func services(
        _ configuration: Configuration, logger: Logger
    ) -> [any Service] {
        let client = PostgresClient(configuration: configuration.database.clientConfiguration, backgroundLogger: logger)
        let store = ControlStore(client: client, logger: logger)
        let provisioner = TenantProvisioner(
            store: store, ledger: LedgerClient(baseURL: configuration.ledgerURL, token: configuration.token),
            publicHost: configuration.publicHost, logger: logger)
        let server = ProcessServer(
            role: "control", host: configuration.host, port: configuration.port, token: configuration.token,
            readiness: .database(client, logger), openAPIDocument: ControlOpenAPI.json,
            logger: logger)
        let router = server.makeRouter()
        router.add(middleware: AdminAuthMiddleware(store: store))
        AdminRoutes(store: store, provisioner: provisioner).add(to: router)
        InternalRoutes(store: store).add(to: router)
        var app = server.makeApplication(router: router)
        app.beforeServerStarts { try await store.migrate() }
        return [client, app]
    }
}
