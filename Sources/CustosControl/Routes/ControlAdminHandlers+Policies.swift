import CustosAuth
import CustosControlAPI
import CustosCore
import CustosPolicy
import CustosServer
import Foundation

/// The tenant policy routes: read, replace after validation, and the audit events that record each change.
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
        let current = try await policies.replace(tenant.id, text: body.text, actor: actor)
        return .ok(.init(body: .json(Self.body(tenant.id, current))))
    }

    func listAuditEvents(_ input: Operations.ListAuditEvents.Input) async throws
        -> Operations.ListAuditEvents.Output
    {
        let limit = input.query.limit ?? 100
        guard (1...1000).contains(limit) else {
            throw RequestError(.invalidInput, "query parameter limit must be an integer from 1 to 1000")
        }
        let events = try await store.auditEvents(limit: limit).map {
            Components.Schemas.AuditEvent(
                actor: $0.actor, at: $0.at, detail: $0.detail, event: $0.event, sequence: Int($0.sequence),
                tenant: $0.tenant)
        }
        return .ok(.init(body: .json(.init(events: events))))
    }

    /// The administrator credential of the request, as the audit events name it.
    private var actor: String {
        if case .administrator(let tokenID) = CallerScope.current { return tokenID }
        return "-"
    }

    private static func body(_ tenant: TenantID, _ current: TenantPolicyChanges.Current)
        -> Components.Schemas.TenantPolicies
    {
        .init(policyIds: current.ids, tenant: tenant.rawValue, text: current.text, updatedAt: current.updatedAt)
    }
}
