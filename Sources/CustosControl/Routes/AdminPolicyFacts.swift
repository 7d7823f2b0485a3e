import CustosAuth
import CustosCore
import CustosPolicy
import CustosServer
import Hummingbird

/// The facts of an admin API request for the policies (Policies/schema.cedarschema): the administrator as
/// principal and the platform, tenant, key or coordinator key the route addresses.
enum AdminPolicyFacts {
    static func facts(_ action: String, _ caller: Caller, _ request: Request, _ context: CustosRequestContext)
        async throws
        -> PolicyFacts
    {
        guard case .administrator(let tokenID) = caller else {
            throw RequestError(.forbidden, "this route is for administrator tokens")
        }
        let principal = EntityUID(type: "Administrator", id: tokenID)
        var entities = [Entity(uid: principal)]
        let tenantID = context.parameters.get("tenant") ?? ""
        let tenant = EntityUID(type: "Tenant", id: tenantID)
        let resource: EntityUID
        switch action {
        case "listTenants", "createTenant", "listAuditEvents", "listOperations", "getOperation", "listPlans",
            "getPlatformAudit", "listPlatformAuditEntries", "getPlatformAuditReceipt",
            "getPlatformAuditConsistency":
            resource = EntityUID(type: "Platform", id: "custos")
            entities.append(Entity(uid: resource))
        case "getTenant", "listKeys", "createKey", "getTenantPolicies", "putTenantPolicies", "suspendTenant",
            "resumeTenant", "setTenantPlan", "getTenantUsage", "deleteTenant":
            resource = tenant
        case "revokeKey", "rotateKey":
            resource = EntityUID(type: "ApiKey", id: context.parameters.get("keyId") ?? "")
            entities.append(
                Entity(
                    uid: resource, attributes: ["tenant": .entity(tenant), "scopes": .set([])], parents: [tenant]))
        case "rotateCoordinatorKey":
            resource = EntityUID(type: "CoordinatorKey", id: tenantID)
            entities.append(Entity(uid: resource, attributes: ["tenant": .entity(tenant)], parents: [tenant]))
        default:
            throw RequestError(.internalFailure, "no policy facts for \(action)")
        }
        if resource.type != "Platform" {
            entities.append(Entity(uid: tenant, attributes: ["status": .string("active")]))
        }
        return PolicyFacts(
            request: CustosPolicy.Request(
                principal: principal, action: EntityUID(type: "Action", id: action), resource: resource),
            entities: entities)
    }
}
