import AsyncHTTPClient
import CustosCore
import CustosSSIWorkerAPI
import Foundation
import NIOCore
import NIOHTTP1
import OpenAPIRuntime

/// The ssi worker's internal API: the typed operations over the client generated from
/// docs/openapi/ssi-worker.yaml, and ``forward(_:)`` for the Integration Services routes the gateway relays.
public struct SSIClient: Sendable, CustomStringConvertible, CustomReflectable {
    static let service = "ssi worker"
    private let client: Client
    private let baseURL: String
    private let serviceToken: String
    private let http: HTTPClient
    private let timeout: TimeAmount

    /// Creates a client for the worker at `baseURL`, authenticated by the service token's text.
    public init(
        baseURL: String, serviceToken: String, http: HTTPClient = .internalCalls, timeout: TimeAmount = .seconds(30)
    ) {
        client = Client(service: Self.service, baseURL: baseURL, bearer: serviceToken, http: http, timeout: timeout)
        self.baseURL = baseURL
        self.serviceToken = serviceToken
        self.http = http
        self.timeout = timeout
    }

    /// The worker's URL, never the token.
    public var description: String { "SSIClient(\(baseURL))" }

    // Reflection (`String(reflecting:)`, a description of a value holding the client) would spell out the token.
    public var customMirror: Mirror { Mirror(self, children: ["baseURL": baseURL]) }

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

    /// Erases a deleted tenant's identities, credentials and keys; returns the rows deleted.
    public func erase(tenant: TenantID) async throws -> Int {
        try await call(Self.service) {
            try await client.eraseIdentities(path: .init(tenant: tenant.rawValue)).ok.body.json.rows
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

    /// Relays a request; transport failures are an ``RPCError`` without status (503 to the caller).
    public func forward(_ relay: WorkerRelay.Request) async throws -> WorkerRelay.Answer {
        try await WorkerRelay(
            service: Self.service, baseURL: baseURL, serviceToken: serviceToken, http: http, timeout: timeout
        ).forward(relay)
    }
}

extension Client: GeneratedClient {}
