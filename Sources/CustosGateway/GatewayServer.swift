import CustosAuth
import CustosClients
import CustosCore
import CustosPolicy
import CustosServer
import CustosStore
import Hummingbird
import Logging
import OpenAPIHummingbird
import PostgresNIO
import ServiceLifecycle

/// The `custos gateway` process: the tenant REST API of one tenant (dedicated) or of many (pooled).
public enum GatewayServer {
    /// Settings of a gateway.
    public struct Configuration: Sendable {
        /// The tenants served, and how a request names its tenant.
        public var tenancy: GatewayTenancy
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
        /// The ssi worker's base URL.
        public var ssiURL: String
        /// The streams worker's base URL.
        public var streamsURL: String
        /// The control plane's base URL (for the tenant's own policies).
        public var controlURL: String
        /// Timeouts and connection limits.
        public var limits: ConnectionLimits = .standard
        /// The plans whose rate limits and quotas apply (the control plane's).
        public var plans: PlanCatalog = .shipped
        /// Requests a pooled gateway works on at once, past which tenants are let in by turns
        /// (``FairAdmission``); nil for no bound. A dedicated gateway serves one tenant and has none.
        public var concurrentRequests: Int? = 64

        /// Creates a configuration.
        public init(
            tenancy: GatewayTenancy, port: Int, host: String, token: ServiceToken, database: DatabaseConfiguration,
            ledgerURL: String, ssiURL: String = "http://127.0.0.1:7103", streamsURL: String = "http://127.0.0.1:7102",
            controlURL: String = "http://127.0.0.1:7100"
        ) {
            self.ssiURL = ssiURL
            self.streamsURL = streamsURL
            self.controlURL = controlURL
            self.tenancy = tenancy
            self.port = port
            self.host = host
            self.token = token
            self.database = database
            self.ledgerURL = ledgerURL
        }
    }

    /// The policy action of every tenant API route: its operationId in docs/openapi/tenant.json.
    static let routeActions: RouteActions = {
        // The served document is the committed one, which the tests parse; this cannot fail.
        var actions = try! RouteActions(openAPIDocument: TenantOpenAPI.json)
        actions.alias(.get, "/api/v1/ledger/tile/**", to: "/api/v1/ledger/tile/{path}")
        return actions
    }()

    /// `PUT /api/v1/policies`: room for a text of the control plane's largest (262,144 characters) even when much
    /// of it is escaped; every other route of the ledger group keeps ``LedgerMessageRoutes/bodyLimit``.
    static let policiesBodyLimit = 2 * 1024 * 1024

    /// The router a gateway with `configuration` serves, for inspecting its routes; nothing connects.
    public static func router(for configuration: Configuration, logger: Logger) -> Router<CustosRequestContext> {
        assemble(configuration, logger: logger).router
    }

    /// The gateway's router: public health routes, and the tenant API (docs/openapi/tenant.json) behind the API
    /// key authenticator.
    static func makeRouter(
        server: ProcessServer, tenancy: GatewayTenancy, keys: any APIKeyVerifier, keyVerdicts: APIKeyCache,
        policies: TenantPolicyCache, ledger: LedgerClient, submissions: LedgerSubmitQueue, receipts: LedgerReceiptQueue,
        ssi: SSIClient,
        streams: StreamsClient, channelWrites: TenantSubmitQueues<StreamsClient.EntryWrite, JSONValue>,
        identityFacts: IdentityFactsQueue, control: ControlInternalClient, limiter: RateLimiter, usage: UsageMeter,
        admission: FairAdmission? = nil
    ) -> Router<CustosRequestContext> {
        let router = server.makeRouter()
        let rateLimits = RateLimitMiddleware(limiter: limiter)
        let turns = FairAdmissionMiddleware(admission: admission)
        let facts = TenantPolicyFacts(ssi: ssi, streams: streams, identities: identityFacts)
        let authenticator = APIKeyAuthenticator(tenancy: tenancy, verifier: keys, cache: keyVerdicts)
        let policy = RoutePolicyMiddleware(
            engine: { caller in try await policies.engine(for: try caller.requireTenantKey().tenant) },
            actions: routeActions, facts: facts.facts)
        let api = router.group()
            .add(middleware: authenticator)
            .add(middleware: rateLimits)
            .add(
                middleware: BufferedBodyMiddleware(
                    limit: LedgerMessageRoutes.bodyLimit, routeLimits: ["/api/v1/policies": Self.policiesBodyLimit])
            )
            .add(middleware: turns)
            .add(middleware: policy)
            .add(middleware: CallerScopeMiddleware())
        let tokens = IdentityTokenMiddleware(keys: TenantTokenKeys(ssi: ssi))
        // The SSI Bridge group also reads the identity's JWT, and its body once before the policies look into it.
        let identityAPI = router.group("/api/v0.2")
            .add(middleware: authenticator)
            .add(middleware: rateLimits)
            .add(middleware: BufferedBodyMiddleware(limit: IdentityRelay.bodyLimit))
            .add(middleware: turns)
            .add(middleware: tokens)
            .add(middleware: policy)
        // The Audit Trail group likewise; its bodies are log entries, as large as a ledger message allows.
        let channelAPI = router.group("/api/v0.1")
            .add(middleware: authenticator)
            .add(middleware: rateLimits)
            .add(middleware: BufferedBodyMiddleware(limit: ChannelRelay.bodyLimit))
            .add(middleware: turns)
            .add(middleware: tokens)
            .add(middleware: policy)
        // The generated registrations cover the operations tenant-server.yaml selects; they cannot fail for a
        // document the generator accepted. The others are marked x-custos-routed-by-hand in the document.
        try! TenantLedgerHandlers(ledger: ledger, control: control).registerHandlers(on: AbsentBodyTransport(api))
        LedgerMessageRoutes(ledger: ledger, submissions: submissions, usage: usage, cache: ImmutableResponses())
            .add(to: api)
        LedgerProofRoutes(ledger: ledger, receipts: receipts).add(to: api)
        IdentityRelay.routes(to: ssi).add(to: identityAPI)
        ChannelRelay.routes(to: streams).add(to: channelAPI)
        ChannelWriteRoute(writes: channelWrites, usage: usage).add(to: channelAPI)
        ChannelRelay.adminRoutes(to: streams).add(to: api)
        PublicIdentityRoutes(tenancy: tenancy, ssi: ssi).add(to: router)
        return router
    }

    /// The services of the process, in start order.
    public static func services(_ configuration: Configuration, logger: Logger) -> [any Service] {
        assemble(configuration, logger: logger).services
    }

    /// The process, built without connecting anything.
    static func assemble(_ configuration: Configuration, logger: Logger) -> ProcessAssembly {
        var logger = logger
        let role: String
        switch configuration.tenancy {
        case .dedicated(let tenant):
            logger[metadataKey: "tenant"] = "\(tenant)"
            role = "gateway \(tenant)"
        case .pooled: role = "gateway (pooled)"
        }
        // A small pool that empties when idle is what lets many gateways share one PostgreSQL.
        var database = configuration.database
        // At least two: the listener for tenant changes holds one for good.
        database.options.maximumConnections = max(
            2, min(database.options.maximumConnections, ConnectionBudget.gateway))
        database.options.minimumConnections = 0
        let client = PostgresClient(configuration: database.clientConfiguration, backgroundLogger: logger)
        let keys = PostgresAPIKeyVerifier(client: client, logger: logger, queryTimeout: database.options.queryTimeout)
        let probeLogger = logger
        let server = ProcessServer(
            role: role, host: configuration.host, port: configuration.port,
            token: configuration.token, limits: configuration.limits,
            readiness: Readiness { await DatabaseProbe.problem(client, probeLogger) },
            openAPIDocument: TenantOpenAPI.json, logger: logger)
        let ledger = LedgerClient(baseURL: configuration.ledgerURL, token: configuration.token)
        let submissions = LedgerSubmitQueue(ledger: ledger)
        let receipts = LedgerReceiptQueue(receiptsFrom: ledger)
        let policies = TenantPolicyCache(client: client, queryTimeout: database.options.queryTimeout, logger: logger)
        let streams = StreamsClient(baseURL: configuration.streamsURL, serviceToken: configuration.token.secret)
        let channelWrites = ChannelWriteRoute.queues(streams: streams)
        let ssi = SSIClient(baseURL: configuration.ssiURL, serviceToken: configuration.token.secret)
        let identityFacts = IdentityFactsQueue(ssi: ssi)
        let keyVerdicts = APIKeyCache()
        let usage = UsageMeter(
            client: client, plans: configuration.plans, queryTimeout: database.options.queryTimeout, logger: logger)
        let router = makeRouter(
            server: server, tenancy: configuration.tenancy, keys: keys, keyVerdicts: keyVerdicts, policies: policies,
            ledger: ledger, submissions: submissions, receipts: receipts,
            ssi: ssi, streams: streams, channelWrites: channelWrites, identityFacts: identityFacts,
            control: ControlInternalClient(baseURL: configuration.controlURL, serviceToken: configuration.token.secret),
            limiter: RateLimiter(plans: configuration.plans), usage: usage,
            admission: configuration.tenancy.isPooled ? configuration.concurrentRequests.map(FairAdmission.init) : nil)
        return ProcessAssembly(
            server: server, router: router, dependencies: [client],
            background: [
                submissions, receipts, channelWrites, identityFacts, usage,
                TenantChangeListener(client: client, keys: keyVerdicts, logger: logger),
            ])
    }
}
