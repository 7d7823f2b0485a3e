import CustosAuth
import CustosControlAPI
import CustosCore
import CustosPolicy
import CustosServer
import Foundation

/// The tenant policy routes: read, and replace after validation (each change is an audit event).
extension ControlAdminHandlers {
    func getTenantPolicies(_ input: Operations.GetTenantPolicies.Input) async throws
        -> Operations.GetTenantPolicies.Output
    {
        let tenant = try await existingTenant(input.path.tenant)
        return .ok(.init(body: .json(Self.body(tenant.id, try await policies.current(tenant.id)))))
    }

    func putTenantPolicies(_ input: Operations.PutTenantPolicies.Input) async throws
        -> Operations.PutTenantPolicies.Output
    {
        let tenant = try await existingTenant(input.path.tenant)
        guard case .json(let body) = input.body else { throw RequestError(.unsupportedMediaType, "expected JSON") }
        let current = try await policies.replace(tenant.id, text: body.text, actor: try Self.actor())
        return .ok(.init(body: .json(Self.body(tenant.id, current))))
    }

    private static func body(_ tenant: TenantID, _ current: TenantPolicyChanges.Current)
        -> Components.Schemas.TenantPolicies
    {
        .init(policyIds: current.ids, tenant: tenant.rawValue, text: current.text, updatedAt: current.updatedAt)
    }
}
