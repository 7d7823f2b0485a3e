import CustosClients
import CustosCore
import CustosServer
import Foundation

/// `/api/v1/policies`: a tenant administrator's key reads and replaces the tenant's own policies; the control
/// plane validates them and records the change with the key's id, as for the admin API. `/api/v1/usage`: the
/// same key reads the tenant's usage of its plan, from the control plane.
extension TenantLedgerHandlers {
    func getOwnPolicies(_ input: Operations.GetOwnPolicies.Input) async throws -> Operations.GetOwnPolicies.Output {
        let key = try CallerScope.tenantKey()
        return .ok(.init(body: .json(Self.body(try await control.policies(tenant: key.tenant.rawValue)))))
    }

    func putOwnPolicies(_ input: Operations.PutOwnPolicies.Input) async throws -> Operations.PutOwnPolicies.Output {
        let key = try CallerScope.tenantKey()
        guard case .json(let body) = input.body else { throw RequestError(.unsupportedMediaType, "expected JSON") }
        let stored = try await control.replacePolicies(
            tenant: key.tenant.rawValue, text: body.text, actor: Self.actor(key))
        return .ok(.init(body: .json(Self.body(stored))))
    }

    func getUsage(_ input: Operations.GetUsage.Input) async throws -> Operations.GetUsage.Output {
        let usage = try await control.usage(tenant: try CallerScope.tenantKey().tenant.rawValue)
        return .ok(
            .init(
                body: .json(
                    .init(
                        tenant: usage.tenant, plan: usage.plan, day: usage.day,
                        entries: .init(used: usage.entries.used, quota: usage.entries.quota),
                        apiKeys: .init(used: usage.apiKeys.used, quota: usage.apiKeys.quota)))))
    }

    private static func body(_ policies: ControlAPI.OwnPolicies) -> Components.Schemas.OwnPolicies {
        .init(
            tenant: policies.tenant, text: policies.text, policyIds: policies.policyIds, updatedAt: policies.updatedAt)
    }
}
