import AsyncHTTPClient
import CustosCore
import CustosStreamsWorkerAPI
import Foundation
import NIOCore
import OpenAPIRuntime

/// The streams worker's contract types (docs/openapi/streams-worker.yaml), under names for callers outside the
/// module.
public enum StreamsAPI {
    public typealias Facts = CustosStreamsWorkerAPI.Components.Schemas.Facts
    public typealias FactsRequest = CustosStreamsWorkerAPI.Components.Schemas.FactsRequest
}

/// The streams worker's internal API: the typed operations over the client generated from
/// docs/openapi/streams-worker.yaml, and ``forward(_:)`` for the Integration Services routes the gateway relays.
public struct StreamsClient: Sendable {
    static let service = "streams worker"
    private let client: Client
    private let relay: WorkerRelay

    /// Creates a client for the worker at `baseURL`, authenticated by the service token's text.
    public init(baseURL: String, serviceToken: String, http: HTTPClient = .shared, timeout: TimeAmount = .seconds(30)) {
        client = Client(service: Self.service, baseURL: baseURL, bearer: serviceToken, http: http, timeout: timeout)
        relay = WorkerRelay(
            service: Self.service, baseURL: baseURL, serviceToken: serviceToken, http: http, timeout: timeout)
    }

    /// What the policies need to know about a channel request.
    public func facts(tenant: TenantID, _ request: StreamsAPI.FactsRequest) async throws -> StreamsAPI.Facts {
        try await call(Self.service) {
            try await client.getPolicyFacts(path: .init(tenant: tenant.rawValue), body: .json(request)).ok.body.json
        }
    }

    /// Relays a request; transport failures are an ``RPCError`` without status (503 to the caller).
    public func forward(_ request: WorkerRelay.Request) async throws -> WorkerRelay.Answer {
        try await relay.forward(request)
    }
}

extension CustosStreamsWorkerAPI.Client: GeneratedClient {}
