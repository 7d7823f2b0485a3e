import CustosControl
import CustosCore
import CustosRPC
import CustosStore
import Hummingbird
import Logging
import PostgresNIO
import ServiceLifecycle

/// The `custos gateway` process: one tenant's REST API.
public enum GatewayServer {
    /// Settings of a gateway.
    public struct Configuration: Sendable {
        /// The tenant served.
        public var tenant: TenantID
        /// Port to listen on.
        public var port: Int
        /// Address to bind.
        public var host: String
        /// The service token for internal calls.
        public var token: ServiceToken
        /// The database (for API key verification).
        public var database: DatabaseConfiguration
        /// The ledger worker's base URL.
        public var ledgerURL: String

        /// Creates a configuration.
        public init(
            tenant: TenantID, port: Int, host: String, token: ServiceToken, database: DatabaseConfiguration,
            ledgerURL: String
        ) {
            self.tenant = tenant
            self.port = port
            self.host = host
            self.token = token
            self.database = database
            self.ledgerURL = ledgerURL
        }
    }

    /// The services of the process, in start order.
    public static func services(
        _ configuration: Configuration, logger: Logger
    ) -> [any Service] {
        var logger = logger
        logger[metadataKey: "tenant"] = "\(configuration.tenant)"
        let client = PostgresClient(configuration: configuration.database.clientConfiguration, backgroundLogger: logger)
        let store = ControlStore(client: client, logger: logger)
        let server = ProcessServer(
            role: "gateway \(configuration.tenant)", host: configuration.host, port: configuration.port,
            token: configuration.token,
            readiness: .database(client, logger), openAPIDocument: TenantOpenAPI.json, logger: logger)
        let router = server.makeRouter()
        router.add(middleware: APIKeyMiddleware(tenant: configuration.tenant, store: store, cache: APIKeyCache()))
        let ledger = LedgerClient(baseURL: configuration.ledgerURL, token: configuration.token)
        LedgerMessageRoutes(tenant: configuration.tenant, ledger: ledger).add(to: router)
        LedgerProofRoutes(tenant: configuration.tenant, ledger: ledger).add(to: router)
        return [client, server.makeApplication(router: router)]
    }
}
