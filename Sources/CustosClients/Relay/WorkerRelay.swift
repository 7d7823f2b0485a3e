import AsyncHTTPClient
import NIOCore
import NIOHTTP1

/// Relays tenant API requests a gateway has authenticated and the policies allowed to the worker that serves them
/// (the Integration Services routes of the ssi and streams workers), and brings back the worker's answer as it was.
///
/// Those routes are relayed as bytes rather than through generated code: their bodies are credentials, claims and
/// log entries that the worker keeps and verifies as the exact JSON the client sent.
public struct WorkerRelay: Sendable {
    /// A request relayed to the worker as it came.
    public struct Request: Sendable {
        /// The method.
        public var method: HTTPMethod
        /// The worker path, starting with `/internal/`.
        public var path: String
        /// The query string without `?`, already stripped of credentials.
        public var query: String?
        /// The caller, as `X-Custos-Caller` says it: `identity <did>` or `key`.
        public var caller: String
        /// The caller identity's current role, in `X-Custos-Role`, where the worker needs it.
        public var role: String?
        /// The body and its content type.
        public var body: ByteBuffer?
        public var contentType: String?

        /// Creates a relayed request.
        public init(
            method: HTTPMethod, path: String, query: String?, caller: String, role: String? = nil, body: ByteBuffer?,
            contentType: String?
        ) {
            self.method = method
            self.path = path
            self.query = query
            self.caller = caller
            self.role = role
            self.body = body
            self.contentType = contentType
        }
    }

    /// The worker's answer to a relayed request.
    public struct Answer: Sendable {
        /// The status.
        public let status: Int
        /// The content type, if any.
        public let contentType: String?
        /// The body, at most ``maximumAnswerBytes``.
        public let body: ByteBuffer
    }

    /// The largest answer relayed (a page of identities with their claims, or of channel entries).
    public static let maximumAnswerBytes = 32 << 20

    let service: String
    let baseURL: String
    let serviceToken: String
    let http: HTTPClient
    let timeout: TimeAmount

    /// A relay to the worker named `service` at `baseURL`.
    public init(service: String, baseURL: String, serviceToken: String, http: HTTPClient, timeout: TimeAmount) {
        self.service = service
        self.baseURL = baseURL
        self.serviceToken = serviceToken
        self.http = http
        self.timeout = timeout
    }

    /// Relays a request; transport failures are an ``RPCError`` without status (503 to the caller).
    public func forward(_ relay: Request) async throws -> Answer {
        var request = HTTPClientRequest(url: baseURL + relay.path + (relay.query.map { "?" + $0 } ?? ""))
        request.method = relay.method
        request.headers.add(name: "Authorization", value: "Bearer \(serviceToken)")
        request.headers.add(name: "X-Custos-Caller", value: relay.caller)
        if let role = relay.role { request.headers.add(name: "X-Custos-Role", value: role) }
        if let body = relay.body {
            request.body = .bytes(body)
            request.headers.add(name: "Content-Type", value: relay.contentType ?? "application/json")
        }
        do {
            let response = try await http.execute(request, timeout: timeout)
            let body = try await response.body.collect(upTo: Self.maximumAnswerBytes)
            return Answer(
                status: Int(response.status.code), contentType: response.headers.first(name: "Content-Type"),
                body: body)
        } catch {
            throw RPCError(service: service, status: nil, message: "the \(service) did not answer: \(error)")
        }
    }
}
