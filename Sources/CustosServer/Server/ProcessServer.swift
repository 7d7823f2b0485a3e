import CustosAuth
import Hummingbird
import HummingbirdAuth
import HummingbirdCore
import Logging
import NIOCore
import Prometheus
import ServiceLifecycle

/// What every Custos HTTP process shares: bind address, role, service token, limits, readiness and metrics.
public struct ProcessServer: Sendable {
    /// The process role for logs and health bodies (`control`, `worker ledger`, `gateway acme`).
    public let role: String
    /// Loopback host to bind.
    public let host: String
    /// Port to bind; 0 picks a free one (the bound port is logged).
    public let port: Int
    /// The internal service token guarding the `/internal` route group.
    public let token: ServiceToken
    /// Timeouts and connection limits.
    public let limits: ConnectionLimits
    /// The readiness check behind `/health/ready`.
    public let readiness: Readiness
    /// Logger of the process.
    public let logger: Logger
    /// The OpenAPI document served at `/openapi.json`, when the process has a public API.
    public let openAPIDocument: String?

    /// Creates a server description.
    public init(
        role: String, host: String = "127.0.0.1", port: Int, token: ServiceToken, limits: ConnectionLimits = .standard,
        readiness: Readiness = .always, openAPIDocument: String? = nil, logger: Logger
    ) {
        self.role = role
        self.host = host
        self.port = port
        self.token = token
        self.limits = limits
        self.readiness = readiness
        self.openAPIDocument = openAPIDocument
        self.logger = logger
    }

    /// A router with the shared middleware (logging, metrics, errors) and the public health routes.
    ///
    /// Every other route belongs to a group with its own authenticator: ``serviceTokenRoutes(_:)`` here, the admin
    /// and tenant groups in the control plane and gateway.
    public func makeRouter() -> Router<CustosRequestContext> {
        let router = Router(context: CustosRequestContext.self)
        router.add(middleware: RequestLogMiddleware())
        // Outside the error mapping, so metrics record the status the client received.
        router.add(middleware: MetricsMiddleware())
        router.add(middleware: ErrorResponseMiddleware())
        HealthRoutes.add(to: router, role: role, readiness: readiness, registry: MetricsBootstrap.registry())
        if let openAPIDocument {
            let body = ByteBuffer(string: openAPIDocument)
            router.get("/openapi.json") { _, _ in
                Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: body))
            }
        }
        return router
    }

    /// Routes for other Custos processes only, behind the service token; they are registered with their full
    /// paths (`/internal/...`), as generated server protocols register theirs.
    public func serviceTokenRoutes(_ router: Router<CustosRequestContext>) -> RouterGroup<CustosRequestContext> {
        router.group().add(middleware: ServiceTokenAuthenticator(token: token))
    }

    /// The application serving `router` with this process's limits.
    public func makeApplication(router: Router<CustosRequestContext>) -> Application<
        RouterResponder<CustosRequestContext>
    > {
        let logger = self.logger
        let role = self.role
        let limits = self.limits
        router.addMethodNotAllowed()
        return Application(
            router: router,
            server: .http1(configuration: .init(additionalChannelHandlers: [RequestGuardHandler(limits: limits)])),
            configuration: .init(
                address: .hostname(host, port: port), serverName: "custos \(role)",
                availableConnectionsDelegate: MaximumAvailableConnections(limits.maximumConnections, logger: logger)),
            onServerRunning: { channel in
                logger.info("listening", metadata: ["role": "\(role)", "port": "\(channel.localAddress?.port ?? 0)"])
            },
            logger: logger
        )
    }
}
