import CustosAuth
import CustosControlAPI
import CustosCore
import CustosPolicy
import CustosServer
import Foundation

/// The tenant policy routes: read, replace after validation, and the audit events that record each change.
extension ControlAdminHandlers {
    /// The longest policy text a tenant may store, as control.json documents.
    static let maximumTextLength = 256 * 1024

    func getTenantPolicies(_ input: Operations.GetTenantPolicies.Input) async throws
        -> Operations.GetTenantPolicies.Output
    {
        let tenant = try await existingTenant(input.path.tenant)
        return .ok(.init(body: .json(try await policiesBody(tenant.id))))
    }

    func putTenantPolicies(_ input: Operations.PutTenantPolicies.Input) async throws
        -> Operations.PutTenantPolicies.Output
    {
        let tenant = try await existingTenant(input.path.tenant)
        guard case .json(let body) = input.body else { throw RequestError(.unsupportedMediaType, "expected JSON") }
        guard body.text.utf8.count <= Self.maximumTextLength else {
            throw RequestError(.payloadTooLarge, "policy text is at most \(Self.maximumTextLength) bytes")
        }
        let ids: [String]
        do {
            ids = try TenantPolicies.validate(body.text, tenant: tenant.id.rawValue).policies.map(\.id)
        } catch { throw RequestError(.invalidInput, "tenant policies refused: \(error)") }
        let before = try await store.tenantPolicies(tenant.id).map { try? PolicySet(parsing: $0.text) }??.policies
        let detail = "policies \(Self.list(before?.map(\.id) ?? [])) -> \(Self.list(ids))"
        try await store.replaceTenantPolicies(
            tenant.id, text: ids.isEmpty ? "" : body.text, actor: actor, detail: detail)
        logger.info(
            "tenant policies replaced",
            metadata: ["tenant": "\(tenant.id)", "by": "\(actor)", "policies": "\(ids.count)"])
        return .ok(.init(body: .json(try await policiesBody(tenant.id))))
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

    private func policiesBody(_ tenant: TenantID) async throws -> Components.Schemas.TenantPolicies {
        let row = try await store.tenantPolicies(tenant)
        let ids = try row.map { try PolicySet(parsing: $0.text).policies.map(\.id) } ?? []
        return .init(policyIds: ids, tenant: tenant.rawValue, text: row?.text ?? "", updatedAt: row?.updatedAt)
    }

    private static func list(_ ids: [String]) -> String { ids.isEmpty ? "(none)" : ids.joined(separator: ", ") }
}
