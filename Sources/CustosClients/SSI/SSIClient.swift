import AsyncHTTPClient
import CustosCore
import CustosSSIWorkerAPI
import Foundation
import NIOCore
import NIOHTTP1
import OpenAPIRuntime

/// The ssi worker's internal API: the typed operations over the client generated from
/// docs/openapi/ssi-worker.yaml, and ``forward(_:)`` for the Integration Services routes the gateway relays.
public struct SSIClient: Sendable {
    static let service = "ssi worker"
    private let client: Client
    private let baseURL: String
    private let serviceToken: String
    private let http: HTTPClient
    private let timeout: TimeAmount

    /// Creates a client for the worker at `baseURL`, authenticated by the service token's text.
    public init(baseURL: String, serviceToken: String, http: HTTPClient = .shared, timeout: TimeAmount = .seconds(30)) {
        client = Client(service: Self.service, baseURL: baseURL, bearer: serviceToken, http: http, timeout: timeout)
        self.baseURL = baseURL
        self.serviceToken = serviceToken
        self.http = http
        self.timeout = timeout
    }

    /// Creates the tenant's trust root, or returns the one it has.
    public func createTrustRoot(tenant: TenantID, gatewayURL: String) async throws -> SSIAPI.TrustRoot {
        try await call(Self.service) {
            try await client.createTrustRoot(
                path: .init(tenant: tenant.rawValue), body: .json(.init(gatewayURL: gatewayURL))
            ).ok.body.json
        }
    }

    /// The tenant's trust root.
    public func trustRoot(tenant: TenantID) async throws -> SSIAPI.TrustRoot {
        try await call(Self.service) {
            try await client.getTrustRoot(path: .init(tenant: tenant.rawValue)).ok.body.json
        }
    }

    /// Publishes a rotated ledger coordinator key in the trust root's DID document.
    public func publishCoordinatorKey(tenant: TenantID, index: Int, verifierKey: String) async throws {
        _ = try await call(Self.service) {
            try await client.publishCoordinatorKey(
                path: .init(tenant: tenant.rawValue, index: index), body: .json(.init(verifierKey: verifierKey))
            ).ok
        }
    }

    /// The keys that sign the tenant's identity tokens.
    public func jwks(tenant: TenantID) async throws -> SSIAPI.JWKS {
        try await call(Self.service) { try await client.getJWKS(path: .init(tenant: tenant.rawValue)).ok.body.json }
    }

    /// What the policies need to know about an identity's request.
    public func facts(tenant: TenantID, _ request: SSIAPI.FactsRequest) async throws -> SSIAPI.Facts {
        try await call(Self.service) {
            try await client.getPolicyFacts(path: .init(tenant: tenant.rawValue), body: .json(request)).ok.body.json
        }
    }

    /// A request relayed to the worker as it came, and the worker's answer as it went.
    public struct Relay: Sendable {
        /// The method.
        public var method: HTTPMethod
        /// The worker path, starting with `/internal/`.
        public var path: String
        /// The query string without `?`, already stripped of credentials.
        public var query: String?
        /// The caller, as ``SSICallerHeader`` says.
        public var caller: String
        /// The body and its content type.
        public var body: ByteBuffer?
        public var contentType: String?

        /// Creates a relayed request.
        public init(
            method: HTTPMethod, path: String, query: String?, caller: String, body: ByteBuffer?, contentType: String?
        ) {
            self.method = method
            self.path = path
            self.query = query
            self.caller = caller
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

    /// The largest answer relayed (a page of identities with their claims).
    public static let maximumAnswerBytes = 8 << 20

    /// Relays a request; transport failures are an ``RPCError`` without status (503 to the caller).
    public func forward(_ relay: Relay) async throws -> Answer {
        var request = HTTPClientRequest(url: baseURL + relay.path + (relay.query.map { "?" + $0 } ?? ""))
        request.method = relay.method
        request.headers.add(name: "Authorization", value: "Bearer \(serviceToken)")
        request.headers.add(name: "X-Custos-Caller", value: relay.caller)
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
            throw RPCError(service: Self.service, status: nil, message: "the ssi worker did not answer: \(error)")
        }
    }
}

extension Client: GeneratedClient {}
