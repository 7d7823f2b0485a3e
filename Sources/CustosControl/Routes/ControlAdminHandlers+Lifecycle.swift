import CustosAuth
import CustosClients
import CustosControlAPI
import CustosCore
import CustosPolicy
import CustosServer
import Foundation

/// The tenant lifecycle: operations that change tenants, and the plans they may be on.
extension ControlAdminHandlers {
    func suspendTenant(_ input: Operations.SuspendTenant.Input) async throws -> Operations.SuspendTenant.Output {
        let (operation, done) = try await change(
            .suspend, input.path.tenant, request: [:], idempotencyKey: OperationHeaders.current.idempotencyKey,
            prefer: OperationHeaders.current.prefer)
        return done ? .ok(.init(body: .json(operation))) : .accepted(.init(body: .json(operation)))
    }

    func resumeTenant(_ input: Operations.ResumeTenant.Input) async throws -> Operations.ResumeTenant.Output {
        let (operation, done) = try await change(
            .resume, input.path.tenant, request: [:], idempotencyKey: OperationHeaders.current.idempotencyKey,
            prefer: OperationHeaders.current.prefer)
        return done ? .ok(.init(body: .json(operation))) : .accepted(.init(body: .json(operation)))
    }

    func deleteTenant(_ input: Operations.DeleteTenant.Input) async throws -> Operations.DeleteTenant.Output {
        let (operation, done) = try await change(
            .delete, input.path.tenant, request: [:], idempotencyKey: OperationHeaders.current.idempotencyKey,
            prefer: OperationHeaders.current.prefer)
        return done ? .ok(.init(body: .json(operation))) : .accepted(.init(body: .json(operation)))
    }

    func setTenantPlan(_ input: Operations.SetTenantPlan.Input) async throws -> Operations.SetTenantPlan.Output {
        guard case .json(let body) = input.body else { throw RequestError(.unsupportedMediaType, "expected JSON") }
        let plan = try provisioner.plan(named: body.plan)
        let (operation, done) = try await change(
            .setPlan, input.path.tenant, request: ["plan": plan.name],
            idempotencyKey: OperationHeaders.current.idempotencyKey,
            prefer: OperationHeaders.current.prefer)
        return done ? .ok(.init(body: .json(operation))) : .accepted(.init(body: .json(operation)))
    }

    func listOperations(_ input: Operations.ListOperations.Input) async throws -> Operations.ListOperations.Output {
        let limit = try Self.pageLimit(input.query.limit)
        var tenant: TenantID?
        if let raw = input.query.tenant {
            guard let id = TenantID(raw) else { throw RequestError(.invalidInput, "invalid tenant id \(raw)") }
            tenant = id
        }
        let rows = try await store.operations(tenant: tenant, limit: limit)
        return .ok(.init(body: .json(.init(operations: try rows.map { try $0.apiBody() }))))
    }

    func getOperation(_ input: Operations.GetOperation.Input) async throws -> Operations.GetOperation.Output {
        guard let row = try await store.operation(input.path.operation) else {
            throw RequestError(.notFound, "no operation \(input.path.operation)")
        }
        return .ok(.init(body: .json(try row.apiBody())))
    }

    func listPlans(_ input: Operations.ListPlans.Input) async throws -> Operations.ListPlans.Output {
        let catalog = provisioner.plans
        return .ok(.init(body: .json(.init(plans: catalog.sorted.map { Self.body($0, catalog) }))))
    }

    func getTenantUsage(_ input: Operations.GetTenantUsage.Input) async throws -> Operations.GetTenantUsage.Output {
        let usage = try await TenantUsage.of(
            try await existingTenant(input.path.tenant), store: store, plans: provisioner.plans)
        return .ok(
            .init(
                body: .json(
                    .init(
                        apiKeys: .init(quota: usage.apiKeysQuota, used: usage.apiKeys), day: usage.day,
                        entries: .init(quota: usage.entriesQuota, used: usage.entries), plan: usage.plan,
                        tenant: usage.tenant.rawValue))))
    }

    /// Starts (or, for a retry, finds) an operation on an existing tenant, and waits for it as `Prefer` says.
    private func change(
        _ kind: CustosControl.OperationKind, _ rawTenant: String, request: [String: String], idempotencyKey: String?,
        prefer: String?
    ) async throws -> (ControlAPI.Operation, done: Bool) {
        let tenant = try await existingTenant(rawTenant).id
        let started = try await store.begin(
            .init(
                kind: kind, tenant: tenant, request: request, actor: try Self.actor(),
                idempotencyKey: try OperationPreference.idempotencyKey(idempotencyKey),
                firstStep: TenantProvisioner.steps(kind)[0]))
        let row = try await runner.settle(started.operation, upTo: OperationPreference(prefer: prefer).wait)
        return (try row.apiBody(), row.isFinished)
    }

    /// Who asks, as operations record it.
    static func actor() throws(RequestError) -> String {
        switch CallerScope.current {
        case .administrator(let tokenID): tokenID
        default: throw RequestError(.forbidden, "this route is for administrator tokens")
        }
    }

    static func body(_ plan: Plan, _ catalog: PlanCatalog) -> ControlAPI.Plan {
        func rate(_ rate: Plan.Rate?) -> Components.Schemas.PlanRate? {
            rate.map { .init(burst: $0.burst, requestsPerSecond: $0.requestsPerSecond) }
        }
        return ControlAPI.Plan(
            _default: plan.name == catalog.defaultPlan, description: plan.description,
            isolation: .init(rawValue: plan.isolation.rawValue) ?? .pooled, name: plan.name,
            quotas: .init(apiKeys: plan.quotas.apiKeys, entriesPerDay: plan.quotas.entriesPerDay),
            rateLimits: .init(perKey: rate(plan.rateLimits.perKey), perTenant: rate(plan.rateLimits.perTenant)),
            signup: plan.name == catalog.signupPlan)
    }
}
