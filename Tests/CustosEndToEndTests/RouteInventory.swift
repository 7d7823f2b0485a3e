import CustosAuth
import CustosControl
import CustosCore
import CustosCrypto
import CustosGateway
import CustosIdentityService
import CustosLedgerService
import CustosServer
import CustosStore
import CustosStreamsService
import Hummingbird
import Logging

/// Every route of every Custos process, read from the routers the processes build (not a hand-kept list).
enum RouteInventory {
    struct Route: CustomStringConvertible {
        let method: String
        let path: String
        var description: String { "\(method) \(path)" }
        /// Health, metrics and the OpenAPI document answer without credentials by design, and so does what a
        /// gateway publishes for verifiers: its JWKS, DID resolution and status lists (docs/identity.md §9), and
        /// the control plane's self-service signup (bounded per client address instead).
        var isPublic: Bool {
            path.hasPrefix("/health/") || path == "/metrics" || path == "/openapi.json"
                || path == "/.well-known/jwks.json" || path == "/1.0/identifiers/:did"
                || path == "/status/v1/lists/:list/:purpose" || path == "/v1/signup"
        }
    }

    private static let logger = Logger(label: "route-inventory")
    private static let token = try! ServiceToken(secret: String(repeating: "t", count: 40))
    private static let database = try! DatabaseConfiguration(url: "postgres://nobody@127.0.0.1:1/nothing")

    static var gateway: [Route] {
        routes(
            GatewayServer.router(
                for: .init(
                    tenancy: .dedicated(TenantID("acme")!), port: 0, host: "127.0.0.1", token: token,
                    database: database,
                    ledgerURL: "http://127.0.0.1:1"), logger: logger))
    }

    static var control: [Route] {
        routes(
            ControlServer.router(
                for: .init(
                    port: 0, host: "127.0.0.1", token: token, database: database, ledgerURL: "http://127.0.0.1:1",
                    addresses: .local(publicHost: "127.0.0.1", pooledPort: 7000)), logger: logger))
    }

    static var ledgerWorker: [Route] {
        routes(
            LedgerWorker.router(
                for: .init(port: 0, token: token, database: database, masterKey: MasterKey(key: SymmetricKey())),
                logger: logger))
    }

    static var ssiWorker: [Route] {
        routes(
            SSIWorker.router(
                for: .init(
                    port: 0, token: token, database: database, masterKey: MasterKey(key: SymmetricKey()),
                    ledgerURL: "http://127.0.0.1:1"),
                logger: logger))
    }

    static var streamsWorker: [Route] {
        routes(
            StreamsWorker.router(
                for: .init(
                    port: 0, token: token, database: database, masterKey: MasterKey(key: SymmetricKey()),
                    ledgerURL: "http://127.0.0.1:1", ssiURL: "http://127.0.0.1:1"),
                logger: logger))
    }

    private static func routes(_ router: Router<CustosRequestContext>) -> [Route] {
        router.routes.map { Route(method: $0.method.rawValue, path: "\($0.path)") }
    }
}
