import CustosCore
import CustosPolicy
import Logging

/// The policies every authorization decision is asked of: the shipped base policies of `Policies/`, validated
/// against the shipped schema, with the schema's action groups as entities.
public struct PolicyEngine: Sendable {
    /// The policies evaluated.
    public let policies: PolicySet
    /// The schema's action entities, closed under their hierarchy once; each request adds its own.
    private let actions: Entities

    /// Parses and validates policies against a schema.
    public init(schema: String, policies texts: [String]) throws(PolicyError) {
        let schema = try Schema(parsing: schema)
        let policies = try PolicySet(parsing: texts.joined(separator: "\n"))
        try Validator.validate(policies, against: schema)
        self.policies = policies
        actions = try Entities(schema.actionEntities)
    }

    private init(policies: PolicySet, actions: Entities) {
        self.policies = policies
        self.actions = actions
    }

    /// These policies followed by a tenant's own (already checked by ``TenantPolicies/validate(_:tenant:schema:base:)``).
    public func adding(_ tenantPolicies: PolicySet) throws(PolicyError) -> PolicyEngine {
        PolicyEngine(policies: try PolicySet(policies.policies + tenantPolicies.policies), actions: actions)
    }

    /// `Policies/` as shipped; the policy tests hold the files valid, so this cannot fail.
    public static let shipped = try! PolicyEngine(
        schema: BasePolicies.schema, policies: BasePolicies.files.map(\.text))

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
