import CustosAuth
import CustosCore
import CustosPolicy
import CustosServer

/// The facts of a tenant API request for the policies (Policies/schema.cedarschema): the API key as principal
/// with its tenant and scopes, the resource the route addresses, and the key in the context.
enum TenantPolicyFacts {
    /// The scopes of a key. Keys carry no scopes of their own yet, so each has every scope: the whole tenant API
    /// of its tenant, as before policies.
    static let scopes: Set<Value> = [
        "ledger:read", "ledger:write", "channels:read", "channels:write", "identities:read", "identities:write",
        "credentials:read", "credentials:write",
    ].reduce(into: []) { $0.insert(.string($1)) }

    /// The proof kind of each proof route.
    static let proofKinds = [
        "getReceipt": "receipt", "getCheckpoint": "checkpoint", "getConsistency": "consistency",
        "listMilestones": "milestone", "getLatestMilestone": "milestone", "getTile": "tile",
    ]

    static func facts(_ action: String, _ caller: Caller, _ context: CustosRequestContext) throws -> PolicyFacts {
        guard case .tenantKey(let key) = caller else {
            throw RequestError(.forbidden, "this route is for tenant API keys")
        }
        let tenant = EntityUID(type: "Tenant", id: key.tenant.rawValue)
        let principal = EntityUID(type: "ApiKey", id: key.keyID)
        let ledger = EntityUID(type: "Ledger", id: key.tenant.rawValue)
        var entities = [
            Entity(uid: tenant, attributes: ["status": .string("active")]),
            Entity(
                uid: principal, attributes: ["tenant": .entity(tenant), "scopes": .set(scopes)], parents: [tenant]),
            Entity(uid: ledger, attributes: ["tenant": .entity(tenant)], parents: [tenant]),
        ]
        let resource: EntityUID
        switch action {
        case "createLedgerMessage", "listLedgerMessages", "getLedger":
            resource = ledger
        case "getLedgerMessage":
            resource = EntityUID(type: "LedgerEntry", id: context.parameters.get("messageId") ?? "")
            entities.append(Entity(uid: resource, attributes: ["tenant": .entity(tenant)], parents: [ledger]))
        default:
            guard let kind = proofKinds[action] else {
                throw RequestError(.internalFailure, "no policy facts for \(action)")
            }
            resource = EntityUID(type: "Proof", id: action)
            entities.append(
                Entity(
                    uid: resource, attributes: ["tenant": .entity(tenant), "kind": .string(kind)], parents: [ledger]))
        }
        return PolicyFacts(
            request: CustosPolicy.Request(
                principal: principal, action: EntityUID(type: "Action", id: action), resource: resource,
                context: ["key": .entity(principal)]),
            entities: entities)
    }
}
