import CustosAuth
import CustosClients
import CustosControlInternalAPI
import CustosPolicy
import CustosServer
import CustosStore
import Hummingbird
import Logging
import OpenAPIHummingbird
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
        /// The ssi worker's base URL, where tenants get their trust roots.
        public var ssiURL: String
        /// The streams worker's base URL, where a deleted tenant's channels are erased.
        public var streamsURL = "http://127.0.0.1:7102"
        /// Where integrators reach gateways.
        public var addresses: GatewayAddresses
        /// The plans tenants may be on.
        public var plans: PlanCatalog = .shipped
        /// Administrator tokens registered at start (idempotent; an earlier one stays valid).
        public var administrators: [SecretToken] = []
        /// The key the platform audit's records are signed with; without one they are unsigned.
        public var auditSigningKey: PlatformAuditSigningKey?
        /// The key the audit is handed over from: given, the control plane records the rotation to
        /// ``auditSigningKey`` (once) and signs what comes before it with this key.
        public var previousAuditSigningKey: PlatformAuditSigningKey?
        /// Timeouts and connection limits.
        public var limits: ConnectionLimits = .standard
        /// An operator's limit on tenants, below what PostgreSQL's connections allow.
        public var maxTenants: Int?
        /// How long an operation's `gateway` step waits for a dedicated gateway to become ready, per attempt.
        public var dedicatedGatewayReadyTimeout: Duration = .seconds(20)
        /// Self-service signups accepted from one client address in an hour.
        public var signupsPerAddress = 3
        /// Self-service signups accepted in all in an hour.
        public var signupsPerHour = 100
        /// The proxies (an ingress controller) whose `X-Forwarded-For` names a signup's client address.
        public var trustedProxies: TrustedProxies = .none

        /// Creates a configuration.
        public init(
            port: Int, host: String, token: ServiceToken, database: DatabaseConfiguration, ledgerURL: String,
            ssiURL: String = "http://127.0.0.1:7103", addresses: GatewayAddresses
        ) {
            self.ssiURL = ssiURL
            self.port = port
            self.host = host
            self.token = token
            self.database = database
            self.ledgerURL = ledgerURL
            self.addresses = addresses
        }
    }

    /// The services of the process, in start order.
    public static func services(_ configuration: Configuration, logger: Logger) -> [any Service] {
        assemble(configuration, logger: logger).services
    }

    /// The router a control plane with `configuration` serves, for inspecting its routes; nothing connects.
    public static func router(for configuration: Configuration, logger: Logger) -> Router<CustosRequestContext> {
        assemble(configuration, logger: logger).router
    }

    /// The process, built without connecting anything.
    static func assemble(_ configuration: Configuration, logger: Logger) -> ProcessAssembly {
        let client = PostgresClient(configuration: configuration.database.clientConfiguration, backgroundLogger: logger)
        let store = ControlStore(
            client: client, logger: logger, queryTimeout: configuration.database.options.queryTimeout)
        let provisioner = TenantProvisioner(
            store: store, ledger: LedgerClient(baseURL: configuration.ledgerURL, token: configuration.token),
            ssi: SSIClient(baseURL: configuration.ssiURL, serviceToken: configuration.token.secret),
            streams: StreamsClient(baseURL: configuration.streamsURL, serviceToken: configuration.token.secret),
            addresses: configuration.addresses, plans: configuration.plans,
            gatewayReadyTimeout: configuration.dedicatedGatewayReadyTimeout,
            capacity: TenantCapacity(configuredLimit: configuration.maxTenants), logger: logger)
        let runner = OperationRunner(store: store, provisioner: provisioner, logger: logger)
        let server = ProcessServer(
            role: "control", host: configuration.host, port: configuration.port, token: configuration.token,
            limits: configuration.limits, readiness: Readiness { await DatabaseProbe.problem(client, logger) },
            openAPIDocument: ControlOpenAPI.json,
            logger: logger)
        return ProcessAssembly(
            server: server,
            router: makeRouter(
                server: server, store: store, provisioner: provisioner, runner: runner,
                signups: SignupLimiter(
                    store: store, perAddress: configuration.signupsPerAddress,
                    perPlatform: configuration.signupsPerHour),
                trustedProxies: configuration.trustedProxies),
            dependencies: [client],
            background: [
                runner,
                PlatformAuditRecorder(
                    store: store, ledger: provisioner.ledger, signingKey: configuration.auditSigningKey,
                    previousKey: configuration.previousAuditSigningKey, logger: logger),
            ],
            prepare: { [administrators = configuration.administrators] in
                try await store.migrate()
                for token in administrators { try await store.registerAdmin(token) }
            })
    }

    /// The policy action of every admin route: its operationId in docs/openapi/control.json (the served copy
    /// is the committed one, which the tests parse; this cannot fail).
    static let adminActions = try! RouteActions(openAPIDocument: ControlOpenAPI.json)

    /// The control plane's router: public health routes, the admin API behind the administrator
    /// authenticator, and the internal API behind the service token.
    static func makeRouter(
        server: ProcessServer, store: ControlStore, provisioner: TenantProvisioner, runner: OperationRunner,
        signups: SignupLimiter, trustedProxies: TrustedProxies
    ) -> Router<CustosRequestContext> {
        let router = server.makeRouter()
        let admin = router.group()
            .add(middleware: AdminAuthenticator(store: store))
            .add(middleware: RoutePolicyMiddleware(actions: adminActions, facts: AdminPolicyFacts.facts))
            .add(middleware: CallerScopeMiddleware())
            .add(middleware: StrictJSONBodyMiddleware(limit: 512 * 1024))
            .add(middleware: OperationHeadersMiddleware())
        // The generated registrations cover every operation of docs/openapi/control.json (paths below /admin/v1)
        // and of control-internal.yaml (below /internal/v1); they cannot fail for a document the generator accepted.
        try! ControlAdminHandlers(store: store, provisioner: provisioner, runner: runner, logger: server.logger)
            .registerHandlers(on: AbsentBodyTransport(admin))
        SignupRoute(
            creation: TenantCreation(store: store, provisioner: provisioner, runner: runner, logger: server.logger),
            limiter: signups, trustedProxies: trustedProxies
        ).add(to: router)
        try! ControlInternalHandlers(store: store, plans: provisioner.plans, logger: server.logger).registerHandlers(
            on: AbsentBodyTransport(server.serviceTokenRoutes(router)))
        return router
    }
}
