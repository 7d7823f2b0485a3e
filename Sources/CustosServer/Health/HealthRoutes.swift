import Hummingbird
import NIOCore
import Prometheus

/// `/health/live`, `/health/ready` and Prometheus `/metrics`, served by every Custos process.
public enum HealthRoutes {
    /// The JSON body of the health endpoints.
    public struct Status: Codable, Sendable {
        /// `ok` or `unavailable`.
        public var status: String
        /// The process role, e.g. `worker ledger`.
        public var role: String
        /// Why the process is not ready, when it is not.
        public var reason: String?
    }

    /// Adds the routes to a router.
    public static func add<Context: RequestContext>(
        to router: Router<Context>, role: String, readiness: Readiness, registry: PrometheusCollectorRegistry
    ) {
        router.get("/health/live") { _, _ in try JSONResponse.make(Status(status: "ok", role: role)) }
        router.get("/health/ready") { _, _ -> Response in
            if let reason = await readiness.check() {
                var response = ErrorResponseMiddleware<Context>.response(
                    status: .serviceUnavailable, message: "not ready: \(reason)")
                response.headers[.retryAfter] = "2"
                return response
            }
            return try JSONResponse.make(Status(status: "ok", role: role))
        }
        router.get("/metrics") { _, _ -> Response in
            var bytes: [UInt8] = []
            bytes.reserveCapacity(8192)
            registry.emit(into: &bytes)
            return Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
        }
    }
}
