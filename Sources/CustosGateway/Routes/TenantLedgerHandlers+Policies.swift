import CustosClients
import CustosCore
import CustosServer
import Foundation

/// `/api/v1/policies`: a tenant administrator's key reads and replaces the tenant's own policies; the control
/// plane validates them and records the change with the key's id, as for the admin API.
extension TenantLedgerHandlers {
    func getOwnPolicies(_ input: Operations.GetOwnPolicies.Input) async throws -> Operations.GetOwnPolicies.Output {
        let key = try CallerScope.tenantKey()
        return .ok(.init(body: .json(Self.body(try await control.policies(tenant: key.tenant.rawValue)))))
    }

    func putOwnPolicies(_ input: Operations.PutOwnPolicies.Input) async throws -> Operations.PutOwnPolicies.Output {
        let key = try CallerScope.tenantKey()
        guard case .json(let body) = input.body else { throw RequestError(.unsupportedMediaType, "expected JSON") }
        let stored = try await control.replacePolicies(
            tenant: key.tenant.rawValue, text: body.text, actor: "\(key.keyID) (tenant API)")
        return .ok(.init(body: .json(Self.body(stored))))
    }

    private static func body(_ policies: ControlAPI.OwnPolicies) -> Components.Schemas.OwnPolicies {
        .init(
            tenant: policies.tenant, text: policies.text, policyIds: policies.policyIds, updatedAt: policies.updatedAt)
    }
}
