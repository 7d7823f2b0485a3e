import CustosAuth
import CustosClients
import CustosControlAPI
import CustosCore
import CustosServer
import Logging

/// The admin API (docs/openapi/control.json): thin translations between the generated operation types and the
/// control store and provisioner. Failures are thrown domain errors, mapped once by `CustosServer`.
struct ControlAdminHandlers: APIProtocol {
    let store: ControlStore
    let provisioner: TenantProvisioner
    let runner: OperationRunner
    let logger: Logger
    var policies: TenantPolicyChanges { TenantPolicyChanges(store: store, logger: logger) }
    var keys: TenantKeys { TenantKeys(store: store, plans: provisioner.plans, logger: logger) }
    var creation: TenantCreation {
        TenantCreation(store: store, provisioner: provisioner, runner: runner, logger: logger)
    }

    func createTenant(_ input: Operations.CreateTenant.Input) async throws -> Operations.CreateTenant.Output {
        guard case .json(let body) = input.body else { throw RequestError(.unsupportedMediaType, "expected JSON") }
        let id: TenantID
        do { id = try TenantID(validating: body.id) } catch { throw RequestError(.invalidInput, "\(error)") }
        let name = body.name ?? id.rawValue
        guard (1...200).contains(name.count) else {
            throw RequestError(.invalidInput, "name must be 1 to 200 characters")
        }
        let outcome = try await creation.create(
            id: id, name: name, plan: try provisioner.plan(named: body.plan), contactEmail: nil,
            actor: try Self.actor(),
            idempotencyKey: OperationHeaders.current.idempotencyKey, prefer: OperationHeaders.current.prefer)
        return outcome.finished
            ? .created(.init(body: .json(outcome.created))) : .accepted(.init(body: .json(outcome.created)))
    }

    func listTenants(_ input: Operations.ListTenants.Input) async throws -> Operations.ListTenants.Output {
        .ok(.init(body: .json(.init(tenants: try await store.tenants().map(provisioner.body)))))
    }

    func getTenant(_ input: Operations.GetTenant.Input) async throws -> Operations.GetTenant.Output {
        .ok(.init(body: .json(provisioner.body(try await existingTenant(input.path.tenant)))))
    }

    func createKey(_ input: Operations.CreateKey.Input) async throws -> Operations.CreateKey.Output {
        let tenant = try await existingTenant(input.path.tenant)
        guard case .json(let body) = input.body else { throw RequestError(.unsupportedMediaType, "expected JSON") }
        let (row, secret) = try await keys.create(
            tenant, name: body.name, scopes: body.scopes?.map(\.rawValue), expiresAt: body.expiresAt,
            actor: try Self.actor())
        return .created(.init(body: .json(.init(key: TenantProvisioner.body(row), secret: secret))))
    }

    func rotateKey(_ input: Operations.RotateKey.Input) async throws -> Operations.RotateKey.Output {
        let tenant = try await existingTenant(input.path.tenant)
        var overlap: Int?
        if case .json(let body) = input.body { overlap = body.overlapSeconds }
        let rotated = try await keys.rotate(
            tenant.id, keyID: input.path.keyId, overlapSeconds: overlap, actor: try Self.actor())
        return .created(
            .init(
                body: .json(
                    .init(
                        key: TenantProvisioner.body(rotated.new), previous: TenantProvisioner.body(rotated.previous),
                        secret: rotated.secret))))
    }

    func listKeys(_ input: Operations.ListKeys.Input) async throws -> Operations.ListKeys.Output {
        let tenant = try await existingTenant(input.path.tenant)
        return .ok(.init(body: .json(.init(keys: try await store.keys(tenant: tenant.id).map(TenantProvisioner.body)))))
    }

    func revokeKey(_ input: Operations.RevokeKey.Input) async throws -> Operations.RevokeKey.Output {
        try await keys.revoke(
            try await existingTenant(input.path.tenant).id, keyID: input.path.keyId, actor: try Self.actor())
        return .noContent(.init())
    }

    func rotateCoordinatorKey(_ input: Operations.RotateCoordinatorKey.Input) async throws
        -> Operations.RotateCoordinatorKey.Output
    {
        let tenant = try await existingTenant(input.path.tenant)
        let rotation = try await provisioner.ledger.rotateCoordinatorKey(tenant: tenant.id)
        // The trust root's DID document names the tenant's coordinator keys (docs/identity.md §8.1).
        do {
            try await provisioner.ssi.publishCoordinatorKey(
                tenant: tenant.id, index: rotation.keyIndex, verifierKey: rotation.coordinatorKey)
        } catch {
            throw RequestError(
                .unavailable,
                "the ledger rotated to key \(rotation.keyIndex), but its trust root's DID document was not updated "
                    + "(\(error)); rotate again to publish a newer key")
        }
        try await store.record(
            .init(
                actor: try Self.actor(), tenant: tenant.id, event: "tenant.coordinator-key.rotated",
                detail: "key \(rotation.keyIndex): \(rotation.coordinatorKey)"))
        return .accepted(.init(body: .json(.init(keyIndex: rotation.keyIndex))))
    }

    /// The page size a list route was asked for: 100 by default, 1 to 1000.
    static func pageLimit(_ given: Int?) throws(RequestError) -> Int {
        let limit = given ?? 100
        guard (1...1000).contains(limit) else {
            throw RequestError(.invalidInput, "query parameter limit must be an integer from 1 to 1000")
        }
        return limit
    }

    func existingTenant(_ raw: String) async throws -> ControlStore.TenantRow {
        guard let id = TenantID(raw), let row = try await store.tenant(id) else {
            throw RequestError(.notFound, "no tenant \(raw)")
        }
        return row
    }
}
