import CustosAuth
import CustosClients
import CustosCore
import CustosServer
import Foundation

/// `/api/v1/keys`: a tenant administrator's key manages the tenant's API keys (create with scopes and expiry,
/// list, revoke, rotate with an overlap); the control plane holds them and applies the plan's quota, as for the
/// admin API.
extension TenantLedgerHandlers {
    func listOwnKeys(_ input: Operations.ListOwnKeys.Input) async throws -> Operations.ListOwnKeys.Output {
        let keys = try await control.keys(tenant: try CallerScope.tenantKey().tenant.rawValue)
        return .ok(.init(body: .json(.init(keys: keys.map(Self.body)))))
    }

    func createOwnKey(_ input: Operations.CreateOwnKey.Input) async throws -> Operations.CreateOwnKey.Output {
        let caller = try CallerScope.tenantKey()
        guard case .json(let body) = input.body else { throw RequestError(.unsupportedMediaType, "expected JSON") }
        let created = try await control.createKey(
            tenant: caller.tenant.rawValue,
            .init(
                name: body.name, scopes: body.scopes?.compactMap { .init(rawValue: $0.rawValue) },
                expiresAt: body.expiresAt, actor: Self.actor(caller)))
        return .created(.init(body: .json(.init(key: Self.body(created.key), secret: created.secret))))
    }

    func revokeOwnKey(_ input: Operations.RevokeOwnKey.Input) async throws -> Operations.RevokeOwnKey.Output {
        let caller = try CallerScope.tenantKey()
        try await control.revokeKey(tenant: caller.tenant.rawValue, keyID: input.path.keyId, actor: Self.actor(caller))
        return .noContent(.init())
    }

    func rotateOwnKey(_ input: Operations.RotateOwnKey.Input) async throws -> Operations.RotateOwnKey.Output {
        var overlap: Int?
        if case .json(let body) = input.body { overlap = body.overlapSeconds }
        let caller = try CallerScope.tenantKey()
        let rotated = try await control.rotateKey(
            tenant: caller.tenant.rawValue, keyID: input.path.keyId, overlapSeconds: overlap, actor: Self.actor(caller))
        return .created(
            .init(
                body: .json(
                    .init(key: Self.body(rotated.key), secret: rotated.secret, previous: Self.body(rotated.previous)))))
    }

    /// The calling key, as the platform's audit names it.
    static func actor(_ caller: Caller.TenantKey) -> String { "\(caller.keyID) (tenant API)" }

    private static func body(_ key: ControlAPI.InternalKey) -> Components.Schemas.OwnKey {
        .init(
            id: key.id, name: key.name, createdAt: key.createdAt, revokedAt: key.revokedAt, expiresAt: key.expiresAt,
            lastUsedAt: key.lastUsedAt, scopes: key.scopes?.compactMap { .init(rawValue: $0.rawValue) })
    }
}
