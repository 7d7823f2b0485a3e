import CustosControlInternalAPI
import CustosCore
import CustosPolicy
import Logging

/// The internal API (docs/openapi/control-internal.yaml): what other Custos processes ask the control plane.
struct ControlInternalHandlers: APIProtocol {
    let store: ControlStore
    let plans: PlanCatalog
    let logger: Logger

    func listGateways(_ input: Operations.ListGateways.Input) async throws -> Operations.ListGateways.Output {
        let gateways = try await store.dedicatedGateways()
            .map { Components.Schemas.Gateway(tenant: $0.tenant.rawValue, port: $0.port) }
        return .ok(.init(body: .json(.init(gateways: gateways))))
    }

    func getTenantPolicies(_ input: Operations.GetTenantPolicies.Input) async throws
        -> Operations.GetTenantPolicies.Output
    {
        let tenant = try await existingTenant(input.path.tenant)
        let current = try await TenantPolicyChanges(store: store, logger: logger).current(tenant)
        return .ok(.init(body: .json(Self.body(tenant, current))))
    }

    func putTenantPolicies(_ input: Operations.PutTenantPolicies.Input) async throws
        -> Operations.PutTenantPolicies.Output
    {
        let tenant = try await existingTenant(input.path.tenant)
        guard case .json(let body) = input.body else { throw RequestError(.unsupportedMediaType, "expected JSON") }
        let current = try await TenantPolicyChanges(store: store, logger: logger)
            .replace(tenant, text: body.text, actor: body.actor)
        return .ok(.init(body: .json(Self.body(tenant, current))))
    }

    func getTenantUsage(_ input: Operations.GetTenantUsage.Input) async throws -> Operations.GetTenantUsage.Output {
        guard let id = TenantID(input.path.tenant), let row = try await store.tenant(id) else {
            throw RequestError(.notFound, "no tenant \(input.path.tenant)")
        }
        let usage = try await TenantUsage.of(row, store: store, plans: plans)
        return .ok(
            .init(
                body: .json(
                    .init(
                        tenant: usage.tenant.rawValue, plan: usage.plan, day: usage.day,
                        entries: .init(used: usage.entries, quota: usage.entriesQuota),
                        apiKeys: .init(used: usage.apiKeys, quota: usage.apiKeysQuota)))))
    }

    func listTenantKeys(_ input: Operations.ListTenantKeys.Input) async throws -> Operations.ListTenantKeys.Output {
        let tenant = try await existingTenant(input.path.tenant)
        return .ok(.init(body: .json(.init(keys: try await store.keys(tenant: tenant).map(Self.body)))))
    }

    func createTenantKey(_ input: Operations.CreateTenantKey.Input) async throws -> Operations.CreateTenantKey.Output {
        let tenant = try await existingTenant(input.path.tenant)
        guard case .json(let body) = input.body, let row = try await store.tenant(tenant) else {
            throw RequestError(.unsupportedMediaType, "expected JSON")
        }
        let (key, secret) = try await keys.create(
            row, name: body.name, scopes: body.scopes?.map(\.rawValue), expiresAt: body.expiresAt,
            actor: Self.actor(body.actor))
        return .created(.init(body: .json(.init(key: Self.body(key), secret: secret))))
    }

    func revokeTenantKey(_ input: Operations.RevokeTenantKey.Input) async throws -> Operations.RevokeTenantKey.Output {
        try await keys.revoke(
            try await existingTenant(input.path.tenant), keyID: input.path.keyId, actor: Self.actor(input.query.actor))
        return .noContent(.init())
    }

    func rotateTenantKey(_ input: Operations.RotateTenantKey.Input) async throws -> Operations.RotateTenantKey.Output {
        let tenant = try await existingTenant(input.path.tenant)
        var body: Components.Schemas.RotateKey?
        if case .json(let json) = input.body { body = json }
        let rotated = try await keys.rotate(
            tenant, keyID: input.path.keyId, overlapSeconds: body?.overlapSeconds, actor: Self.actor(body?.actor))
        return .created(
            .init(
                body: .json(
                    .init(key: Self.body(rotated.new), secret: rotated.secret, previous: Self.body(rotated.previous)))))
    }

    /// The gateway names the key that asked; an older gateway names none.
    private static func actor(_ named: String?) -> String { named ?? "tenant API" }

    private var keys: TenantKeys { TenantKeys(store: store, plans: plans, logger: logger) }

    private static func body(_ row: ControlStore.KeyRow) -> Components.Schemas.Key {
        .init(
            id: row.id, name: row.name, createdAt: row.createdAt, revokedAt: row.revokedAt, expiresAt: row.expiresAt,
            lastUsedAt: row.lastUsedAt, scopes: row.scopes?.compactMap(Components.Schemas.Key.ScopesPayloadPayload.init)
        )
    }

    private func existingTenant(_ raw: String) async throws -> TenantID {
        guard let id = TenantID(raw), try await store.tenant(id) != nil else {
            throw RequestError(.notFound, "no tenant \(raw)")
        }
        return id
    }

    private static func body(_ tenant: TenantID, _ current: TenantPolicyChanges.Current)
        -> Components.Schemas.TenantPolicies
    {
        .init(tenant: tenant.rawValue, text: current.text, policyIds: current.ids, updatedAt: current.updatedAt)
    }
}
