import Hummingbird
import Logging
import NIOCore
import Prometheus
import ServiceLifecycle

/// What every Custos HTTP process shares: bind address, role, service token, readiness and metrics.
public struct ProcessServer: Sendable {
    /// The process role for logs and health bodies (`control`, `worker ledger`, `gateway acme`).
    public let role: String
    /// Loopback host to bind.
    public let host: String
    /// Port to bind; 0 picks a free one (the bound port is logged).
    public let port: Int
    /// The internal service token guarding `/internal/`.
    public let token: ServiceToken
    /// The readiness check behind `/health/ready`.
    public let readiness: Readiness
    /// Logger of the process.
    public let logger: Logger
    /// The OpenAPI document served at `/openapi.json`, when the process has a public API.
    public let openAPIDocument: String?

    /// Creates a server description.
    public init(
        role: String, host: String = "127.0.0.1", port: Int, token: ServiceToken, readiness: Readiness = .always,
        openAPIDocument: String? = nil, logger: Logger
    ) {
        self.role = role
        self.host = host
        self.port = port
        self.token = token
        self.readiness = readiness
        self.openAPIDocument = openAPIDocument
        self.logger = logger
    }

    /// A router with the shared middleware (errors, metrics, service token) and the health routes.
    public func makeRouter() -> Router<BasicRequestContext> {
        let router = Router(context: BasicRequestContext.self)
        router.add(middleware: RequestLogMiddleware())
        router.add(middleware: ErrorResponseMiddleware())
        router.add(middleware: MetricsMiddleware())
        router.add(middleware: ServiceTokenMiddleware(token: token))
        HealthRoutes.add(to: router, role: role, readiness: readiness, registry: MetricsBootstrap.registry())
        if let openAPIDocument {
            let body = ByteBuffer(string: openAPIDocument)
            router.get("/openapi.json") { _, _ in
                Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: body))
            }
        }
        return router
    }

    /// The application serving `router`.
    public func makeApplication(router: Router<BasicRequestContext>) -> Application<
        RouterResponder<BasicRequestContext>
    > {
        let logger = self.logger
        let role = self.role
        return Application(
            router: router,
            configuration: .init(address: .hostname(host, port: port), serverName: "custos \(role)"),
            onServerRunning: { channel in
                logger.info("listening", metadata: ["role": "\(role)", "port": "\(channel.localAddress?.port ?? 0)"])
            },
            logger: logger
        )
    }
}
