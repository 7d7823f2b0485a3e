import AsyncHTTPClient
import CustosControlInternalAPI
import NIOCore
import OpenAPIRuntime

/// The control plane's internal API, over the client generated from docs/openapi/control-internal.yaml.
public struct ControlInternalClient: Sendable {
    static let service = "control plane"
    private let client: Client

    /// Creates a client for the control plane at `baseURL`, authenticated by the service token's text.
    public init(
        baseURL: String, serviceToken: String, http: HTTPClient = .internalCalls, timeout: TimeAmount = .seconds(30)
    ) {
        client = Client(
            service: Self.service, baseURL: baseURL, bearer: serviceToken, http: http, timeout: timeout)
    }

    /// The gateways the local provisioner should run.
    public func gateways() async throws -> [ControlAPI.Gateway] {
        try await call(Self.service) { try await client.listGateways().ok.body.json.gateways }
    }

    /// A tenant's own policies.
    public func policies(tenant: String) async throws -> ControlAPI.OwnPolicies {
        try await call(Self.service) { try await client.getTenantPolicies(path: .init(tenant: tenant)).ok.body.json }
    }

    /// A tenant's keys, without secrets.
    public func keys(tenant: String) async throws -> [ControlAPI.InternalKey] {
        try await call(Self.service) { try await client.listTenantKeys(path: .init(tenant: tenant)).ok.body.json.keys }
    }

    /// A new key of the tenant, shown once, on behalf of `actor`.
    public func createKey(tenant: String, _ request: ControlAPI.InternalCreateKey) async throws
        -> ControlAPI.InternalCreatedKey
    {
        try await call(Self.service) {
            try await client.createTenantKey(path: .init(tenant: tenant), body: .json(request)).created.body.json
        }
    }

    /// Revokes a key of the tenant.
    public func revokeKey(tenant: String, keyID: String, actor: String) async throws {
        try await call(Self.service) {
            _ = try await client.revokeTenantKey(
                path: .init(tenant: tenant, keyId: keyID), query: .init(actor: actor)
            ).noContent
        }
    }

    /// Rotates a key of the tenant with an overlap.
    public func rotateKey(tenant: String, keyID: String, overlapSeconds: Int?, actor: String) async throws
        -> ControlAPI.InternalRotatedKey
    {
        try await call(Self.service) {
            try await client.rotateTenantKey(
                path: .init(tenant: tenant, keyId: keyID),
                body: .json(.init(overlapSeconds: overlapSeconds, actor: actor))
            ).created.body.json
        }
    }

    /// A tenant's usage of its plan today.
    public func usage(tenant: String) async throws -> ControlAPI.InternalUsage {
        try await call(Self.service) { try await client.getTenantUsage(path: .init(tenant: tenant)).ok.body.json }
    }

    /// Replaces a tenant's own policies (validated and audited by the control plane) on behalf of `actor`.
    public func replacePolicies(tenant: String, text: String, actor: String) async throws -> ControlAPI.OwnPolicies {
        try await call(Self.service) {
            try await client.putTenantPolicies(
                path: .init(tenant: tenant), body: .json(.init(text: text, actor: actor))
            ).ok.body.json
        }
    }
}

extension Client: GeneratedClient {}
