import CustosCore
import CustosPolicy
import Foundation
import Logging

/// Reading and replacing a tenant's own policies, for the admin API (an administrator) and the internal API (a
/// tenant administrator's key, through the tenant's gateway): validated before they are stored, each change an
/// audit event naming who made it.
struct TenantPolicyChanges: Sendable {
    let store: ControlStore
    let logger: Logger

    /// The longest policy text a tenant may store, in characters (Unicode scalars), as the API documents'
    /// `maxLength` counts them: a byte limit would refuse a schema-valid text of non-ASCII characters.
    static let maximumTextLength = 256 * 1024

    /// The stored policies: their text, ids and time of the last change.
    struct Current: Sendable {
        let text: String
        let ids: [String]
        let updatedAt: Date?
    }

    func current(_ tenant: TenantID) async throws -> Current {
        let row = try await store.tenantPolicies(tenant)
        let ids = try row.map { try PolicySet(parsing: $0.text).policies.map(\.id) } ?? []
        return Current(text: row?.text ?? "", ids: ids, updatedAt: row?.updatedAt)
    }

    /// Validates `text` for `tenant` and stores it (an empty text removes the policies); `actor` names who asked.
    func replace(_ tenant: TenantID, text: String, actor: String) async throws -> Current {
        guard text.unicodeScalars.count <= Self.maximumTextLength else {
            throw RequestError(
                .invalidInput,
                "text is at most \(Self.maximumTextLength) characters (Unicode scalars); this one has "
                    + "\(text.unicodeScalars.count)")
        }
        let ids: [String]
        do {
            ids = try TenantPolicies.validate(text, tenant: tenant.rawValue).policies.map(\.id)
        } catch { throw RequestError(.invalidInput, "tenant policies refused: \(error)") }
        let before = try await current(tenant).ids
        let detail = "policies \(Self.list(before)) -> \(Self.list(ids))"
        try await store.replaceTenantPolicies(tenant, text: ids.isEmpty ? "" : text, actor: actor, detail: detail)
        logger.info(
            "tenant policies replaced", metadata: ["tenant": "\(tenant)", "by": "\(actor)", "policies": "\(ids.count)"])
        return try await current(tenant)
    }

    private static func list(_ ids: [String]) -> String { ids.isEmpty ? "(none)" : ids.joined(separator: ", ") }
}
