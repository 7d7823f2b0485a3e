import AsyncHTTPClient
import CustosControlAPI
import NIOCore
import OpenAPIRuntime

/// The control plane's admin API, over the client generated from docs/openapi/control.json.
public struct ControlClient: Sendable {
    static let service = "control plane"
    private let client: Client

    /// Creates a client for the control plane at `baseURL`, authenticated by an administrator token.
    public init(baseURL: String, adminToken: String, http: HTTPClient = .shared, timeout: TimeAmount = .seconds(60)) {
        client = Client(
            service: Self.service, baseURL: baseURL, bearer: adminToken, http: http, timeout: timeout)
    }

    /// Provisions a tenant and returns it with its first API key.
    public func createTenant(id: String, name: String?) async throws -> ControlAPI.CreatedTenant {
        try await call(Self.service) {
            try await client.createTenant(body: .json(.init(id: id, name: name))).created.body.json
        }
    }

    /// Every tenant.
    public func tenants() async throws -> [ControlAPI.Tenant] {
        try await call(Self.service) { try await client.listTenants().ok.body.json.tenants }
    }

    /// One tenant.
    public func tenant(_ id: String) async throws -> ControlAPI.Tenant {
        try await call(Self.service) { try await client.getTenant(path: .init(tenant: id)).ok.body.json }
    }

    /// Creates an API key, restricted to `scopes` when given; the secret is in the answer only.
    public func createKey(tenant: String, name: String?, scopes: [ControlAPI.Scope]? = nil) async throws
        -> ControlAPI.CreatedKey
    {
        try await call(Self.service) {
            try await client.createKey(path: .init(tenant: tenant), body: .json(.init(name: name, scopes: scopes)))
                .created.body.json
        }
    }

    /// A tenant's keys, without secrets.
    public func keys(tenant: String) async throws -> [ControlAPI.Key] {
        try await call(Self.service) { try await client.listKeys(path: .init(tenant: tenant)).ok.body.json.keys }
    }

    /// Revokes a key.
    public func revokeKey(tenant: String, keyID: String) async throws {
        try await call(Self.service) {
            _ = try await client.revokeKey(path: .init(tenant: tenant, keyId: keyID)).noContent
        }
    }

    /// Schedules a rotation of the tenant's ledger coordinator key.
    public func rotateCoordinatorKey(tenant: String) async throws -> ControlAPI.Rotation {
        try await call(Self.service) {
            try await client.rotateCoordinatorKey(path: .init(tenant: tenant)).accepted.body.json
        }
    }

    /// The tenant's own policies.
    public func tenantPolicies(tenant: String) async throws -> ControlAPI.TenantPolicies {
        try await call(Self.service) {
            try await client.getTenantPolicies(path: .init(tenant: tenant)).ok.body.json
        }
    }

    /// Replaces the tenant's own policies (none for an empty text), after the control plane validated them.
    public func replaceTenantPolicies(tenant: String, text: String) async throws -> ControlAPI.TenantPolicies {
        try await call(Self.service) {
            try await client.putTenantPolicies(path: .init(tenant: tenant), body: .json(.init(text: text))).ok.body.json
        }
    }

    /// The platform's audit events, newest first.
    public func auditEvents(limit: Int) async throws -> [ControlAPI.AuditEvent] {
        try await call(Self.service) {
            try await client.listAuditEvents(query: .init(limit: limit)).ok.body.json.events
        }
    }
}

extension Client: GeneratedClient {}
