import AsyncHTTPClient
import CustosControlAPI
import CustosCore
import Foundation
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

    /// Provisions a tenant on `plan` (the default plan when nil) and returns it with its first API key and the
    /// provisioning operation, once that has finished or `wait` has passed (`Prefer: wait=`, RFC 7240).
    public func createTenant(
        id: String, name: String?, plan: String? = nil, idempotencyKey: String? = nil, wait: Int = 30
    ) async throws -> ControlAPI.CreatedTenant {
        try await call(Self.service) {
            let output = try await client.createTenant(
                headers: .init(idempotencyKey: idempotencyKey, prefer: "wait=\(wait)"),
                body: .json(.init(id: id, name: name, plan: plan)))
            if case .accepted(let accepted) = output { return try accepted.body.json }
            return try output.created.body.json
        }
    }

    /// Suspends a tenant; the operation as it stands after at most `wait` seconds.
    public func suspendTenant(_ id: String, idempotencyKey: String? = nil, wait: Int = 30) async throws
        -> ControlAPI.Operation
    {
        try await call(Self.service) {
            let output = try await client.suspendTenant(
                path: .init(tenant: id), headers: .init(idempotencyKey: idempotencyKey, prefer: "wait=\(wait)"))
            if case .accepted(let accepted) = output { return try accepted.body.json }
            return try output.ok.body.json
        }
    }

    /// Resumes a suspended tenant; the operation as it stands after at most `wait` seconds.
    public func resumeTenant(_ id: String, idempotencyKey: String? = nil, wait: Int = 30) async throws
        -> ControlAPI.Operation
    {
        try await call(Self.service) {
            let output = try await client.resumeTenant(
                path: .init(tenant: id), headers: .init(idempotencyKey: idempotencyKey, prefer: "wait=\(wait)"))
            if case .accepted(let accepted) = output { return try accepted.body.json }
            return try output.ok.body.json
        }
    }

    /// Deletes a tenant (its data and keys destroyed); the operation as it stands after at most `wait` seconds.
    public func deleteTenant(_ id: String, idempotencyKey: String? = nil, wait: Int = 30) async throws
        -> ControlAPI.Operation
    {
        try await call(Self.service) {
            let output = try await client.deleteTenant(
                path: .init(tenant: id), headers: .init(idempotencyKey: idempotencyKey, prefer: "wait=\(wait)"))
            if case .accepted(let accepted) = output { return try accepted.body.json }
            return try output.ok.body.json
        }
    }

    /// Moves a tenant to another plan; the operation as it stands after at most `wait` seconds.
    public func setTenantPlan(_ id: String, plan: String, idempotencyKey: String? = nil, wait: Int = 30)
        async throws -> ControlAPI.Operation
    {
        try await call(Self.service) {
            let output = try await client.setTenantPlan(
                path: .init(tenant: id), headers: .init(idempotencyKey: idempotencyKey, prefer: "wait=\(wait)"),
                body: .json(.init(plan: plan)))
            if case .accepted(let accepted) = output { return try accepted.body.json }
            return try output.ok.body.json
        }
    }

    /// Operations newest first, of one tenant when named.
    public func operations(tenant: String? = nil, limit: Int = 100) async throws -> [ControlAPI.Operation] {
        try await call(Self.service) {
            try await client.listOperations(query: .init(tenant: tenant, limit: limit)).ok.body.json.operations
        }
    }

    /// One operation.
    public func operation(_ id: String) async throws -> ControlAPI.Operation {
        try await call(Self.service) { try await client.getOperation(path: .init(operation: id)).ok.body.json }
    }

    /// The plans in force.
    public func plans() async throws -> [ControlAPI.Plan] {
        try await call(Self.service) { try await client.listPlans().ok.body.json.plans }
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
    public func createKey(
        tenant: String, name: String?, scopes: [ControlAPI.Scope]? = nil, expiresAt: Date? = nil
    ) async throws -> ControlAPI.CreatedKey {
        try await call(Self.service) {
            try await client.createKey(
                path: .init(tenant: tenant), body: .json(.init(expiresAt: expiresAt, name: name, scopes: scopes))
            ).created.body.json
        }
    }

    /// Replaces a key by a new one; the old one keeps working `overlapSeconds` (the control plane's default
    /// when nil).
    public func rotateKey(tenant: String, keyID: String, overlapSeconds: Int?) async throws -> ControlAPI.RotatedKey {
        try await call(Self.service) {
            try await client.rotateKey(
                path: .init(tenant: tenant, keyId: keyID), body: .json(.init(overlapSeconds: overlapSeconds))
            ).created.body.json
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

    /// The platform's audit ledger: origin, coordinator key, events not yet recorded.
    public func platformAudit() async throws -> ControlAPI.PlatformAudit {
        try await call(Self.service) { try await client.getPlatformAudit().ok.body.json }
    }

    /// A page of the platform's audit ledger, oldest first; `after` is a `next` of an earlier page.
    public func auditEntries(after: Int?, limit: Int) async throws -> ControlAPI.AuditEntryList {
        try await call(Self.service) {
            try await client.listPlatformAuditEntries(query: .init(after: after, limit: limit)).ok.body.json
        }
    }

    /// A consistency proof of the platform's audit ledger from size `from` to size `to`, as hashes.
    public func auditConsistency(from: UInt64, to: UInt64) async throws -> [Digest32] {
        try await call(Self.service) {
            let answer = try await client.getPlatformAuditConsistency(query: .init(from: Int(from), to: Int(to))).ok
                .body.json
            return try answer.proof.map { try Digest32(bytes: try Base64.decode($0)) }
        }
    }

    /// The receipt of an audit entry, as the ledger produced it.
    public func auditReceipt(messageID: String) async throws -> [UInt8] {
        try await call(Self.service) {
            let body = try await client.getPlatformAuditReceipt(path: .init(messageId: messageID)).ok.body
            return try await [UInt8](collecting: try body.applicationVnd_custos_receipt, upTo: 1 << 20)
        }
    }
}

extension Client: GeneratedClient {}
