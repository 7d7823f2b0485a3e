/// Checks policies against a ``Schema``: known entity types, actions and attributes, and well-typed conditions in
/// every request environment the policy's scope admits.
///
/// A policy that passes cannot raise a type error at evaluation for a request and entities that conform to the
/// schema; it can still fail on a missing entity or an integer overflow, and then it is skipped (fail closed for a
/// permit).
public enum Validator {
    /// Throws the first problem found.
    ///
    /// - Throws: ``PolicyError/validation(policy:_:_:)`` with the policy id, the line and column, and the problem.
    public static func validate(_ policies: PolicySet, against schema: Schema) throws(PolicyError) {
        if let first = problems(policies, against: schema).first { throw first }
    }

    /// Every problem found, at most one per policy.
    public static func problems(_ policies: PolicySet, against schema: Schema) -> [PolicyError] {
        var problems: [PolicyError] = []
        for policy in policies.policies {
            do throws(TypeChecker.Failure) {
                try validate(policy, schema)
            } catch {
                problems.append(.validation(policy: policy.id, error.location, error.message))
            }
        }
        return problems
    }

    private static func checkScopeEntity(_ uid: EntityUID, _ schema: Schema, _ location: SourceLocation)
        throws(TypeChecker.Failure)
    {
        guard schema.entityTypes[uid.type] != nil else {
            throw TypeChecker.Failure(location: location, message: "unknown entity type `\(uid.type)` in the scope")
        }
    }

    private static func admits(_ constraint: Policy.EntityConstraint, _ type: String, _ schema: Schema) -> Bool {
        switch constraint {
        case .any: true
        case .equal(let uid): uid.type == type
        case .in(let uid): schema.entityType(type, mayBeIn: uid.type)
        case .isType(let required, let ancestor):
            type == required && (ancestor.map { schema.entityType(type, mayBeIn: $0.type) } ?? true)
        }
    }

    private static func validate(_ policy: Policy, _ schema: Schema) throws(TypeChecker.Failure) {
        for constraint in [policy.principal, policy.resource] {
            switch constraint {
            case .any: break
            case .equal(let uid), .in(let uid): try checkScopeEntity(uid, schema, policy.location)
            case .isType(let type, let ancestor):
                guard schema.entityTypes[type] != nil else {
                    throw TypeChecker.Failure(
                        location: policy.location, message: "unknown entity type `\(type)` in the scope")
                }
                if let ancestor { try checkScopeEntity(ancestor, schema, policy.location) }
            }
        }
        let scopeActions: [EntityUID]
        switch policy.action {
        case .any: scopeActions = []
        case .equal(let uid): scopeActions = [uid]
        case .in(let uids): scopeActions = uids
        }
        for uid in scopeActions where uid.type != "Action" || schema.actions[uid.id] == nil {
            throw TypeChecker.Failure(location: policy.location, message: "unknown action \(uid) in the scope")
        }
        var environments: [TypeChecker.Environment] = []
        for action in schema.actions.values.sorted(by: { $0.uid.id < $1.uid.id }) where !action.principals.isEmpty {
            switch policy.action {
            case .any: break
            case .equal(let uid): if uid != action.uid { continue }
            case .in(let groups): if !groups.contains(where: { schema.action(action.uid.id, isIn: $0.id) }) { continue }
            }
            for principal in action.principals where admits(policy.principal, principal, schema) {
                for resource in action.resources where admits(policy.resource, resource, schema) {
                    environments.append(.init(principal: principal, action: action, resource: resource))
                }
            }
        }
        guard !environments.isEmpty else {
            throw TypeChecker.Failure(
                location: policy.location,
                message:
                    "the scope matches no request of the schema (no action applies to these principal and resource types)"
            )
        }
        for environment in environments {
            let checker = TypeChecker(schema: schema, environment: environment)
            for condition in policy.conditions {
                do throws(TypeChecker.Failure) {
                    try checker.checkCondition(condition.expression)
                } catch {
                    throw TypeChecker.Failure(
                        location: error.location,
                        message:
                            "\(error.message) (for \(environment.principal), Action::\"\(environment.action.uid.id)\", \(environment.resource))"
                    )
                }
            }
        }
    }
}
