import CustosCore
import CustosPolicy
import Logging

/// The policies every authorization decision is asked of: the shipped base policies of `Policies/` (and a
/// tenant's own after them), with the schema's action groups as entities.
public struct PolicyEngine: Sendable {
    /// The policies evaluated.
    public let policies: PolicySet
    /// The schema's action entities, closed under their hierarchy once; each request adds its own.
    private let actions: Entities

    /// These policies followed by a tenant's own (already checked by ``TenantPolicies/validate(_:tenant:schema:base:)``).
    public func adding(_ tenantPolicies: PolicySet) throws(PolicyError) -> PolicyEngine {
        PolicyEngine(policies: try PolicySet(policies.policies + tenantPolicies.policies), actions: actions)
    }

    /// `Policies/` as shipped.
    public static let shipped = PolicyEngine(policies: BasePolicies.policySet, actions: BasePolicies.actionEntities)

    /// The decision on a request about `entities`.
    public func decision(_ request: CustosPolicy.Request, entities: [Entity]) throws(PolicyError) -> Decision {
        Authorizer.isAuthorized(request, policies: policies, entities: try actions.adding(entities))
    }

    /// Throws 403 unless the policies allow the request. The answer names the policies that forbade it (or says
    /// that none permits it), never the entities' attributes.
    public func authorize(
        _ request: CustosPolicy.Request, entities: [Entity], logger: Logger
    ) throws(RequestError) {
        let decision: Decision
        do { decision = try self.decision(request, entities: entities) } catch {
            throw RequestError(.internalFailure, "the policy request is malformed: \(error)")
        }
        for failure in decision.failures {
            logger.warning(
                "policy evaluation error", metadata: ["policy": "\(failure.policy)", "error": "\(failure.message)"])
        }
        guard decision.isAllowed else {
            let why =
                decision.reasons.isEmpty
                ? "no policy permits it" : "forbidden by \(decision.reasons.joined(separator: ", "))"
            throw RequestError(.forbidden, "\(request.action.id) is not allowed: \(why)")
        }
    }
}
