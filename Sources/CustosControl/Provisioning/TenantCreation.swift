import CustosAuth
import CustosClients
import CustosControlAPI
import CustosCore
import CustosPolicy
import CustosServer
import Logging

/// Creating a tenant, for the admin API and for self-service signup alike: the tenant row, its first key and its
/// provisioning operation stored together, the operation run and waited for.
struct TenantCreation: Sendable {
    /// The answer, and whether provisioning had finished when it was given (201) or still runs (202).
    struct Outcome: Sendable {
        var created: ControlAPI.CreatedTenant
        var finished: Bool
    }

    let store: ControlStore
    let provisioner: TenantProvisioner
    let runner: OperationRunner
    let logger: Logger

    func create(
        id: TenantID, name: String, plan: Plan, contactEmail: String?, actor: String, idempotencyKey: String?,
        prefer: String?
    ) async throws -> Outcome {
        guard id != PlatformAuditRecord.ledgerTenant else {
            throw RequestError(.conflict, "tenant id \(id) is reserved for the platform's audit ledger")
        }
        let operation = ControlStore.NewOperation(
            kind: .create, tenant: id,
            request: ["name": name, "plan": plan.name].merging(
                contactEmail.map { ["email": $0] } ?? [:]
            ) { $1 }, actor: actor,
            idempotencyKey: try OperationPreference.idempotencyKey(idempotencyKey),
            firstStep: TenantProvisioner.steps(.create)[0])
        // A retry is answered whatever the capacity now; only a new tenant must fit.
        if try await store.idempotentReplay(operation) == nil { try await provisioner.checkCapacity(adding: plan) }
        let key = SecretToken.generate(.apiKey)
        let started = try await store.beginCreate(
            .init(
                id: id, name: name, plan: plan, gatewayPort: plan.isolation == .dedicated ? try FreePort.find() : nil,
                contactEmail: contactEmail, key: key),
            operation)
        let finished = try await runner.settle(started.operation, upTo: OperationPreference(prefer: prefer).wait)
        if finished.status == "failed" {
            throw RequestError(
                .unavailable,
                "provisioning tenant \(id) failed at \(finished.step) (operation \(finished.id)): "
                    + (finished.error ?? "unknown error"))
        }
        guard let row = try await store.tenant(id) else { throw RequestError(.internalFailure, "tenant vanished") }
        // The secret exists only in this process's memory, so a replay cannot show it again; it re-issues the first
        // key instead while nobody has used it, as the answer that showed it was lost.
        var keyRow: ControlStore.KeyRow?
        switch started {
        case .started: keyRow = try await store.keys(tenant: id).first(where: { $0.id == key.id })
        case .replayed:
            keyRow = try await store.reissueFirstKey(tenant: id, replacement: key, actor: actor, operation: finished.id)
        }
        let apiKey = keyRow.map { ControlAPI.CreatedKey(key: TenantProvisioner.body($0), secret: key.secret) }
        let created = ControlAPI.CreatedTenant(
            apiKey: apiKey, gatewayReady: finished.status == "succeeded",
            operation: try finished.apiBody(), tenant: provisioner.body(row))
        return Outcome(created: created, finished: finished.isFinished)
    }
}
