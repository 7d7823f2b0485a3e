/// Answers authorization requests: forbid overrides permit, and without a satisfied permit the answer is deny.
public enum Authorizer {
    /// Decides `request` under `policies` with `entities`.
    ///
    /// A policy applies when its scope matches and every `when` condition is true and every `unless` condition is
    /// false. A policy whose condition raises an error (a type error, a missing entity or attribute, an integer
    /// overflow) is skipped and listed in ``Decision/failures``; it never decides the request.
    public static func isAuthorized(_ request: Request, policies: PolicySet, entities: Entities) -> Decision {
        let evaluator = Evaluator(request: request, entities: entities)
        var permits: [String] = []
        var forbids: [String] = []
        var failures: [Decision.Failure] = []
        for index in candidates(request.action, policies, entities) {
            let policy = policies.policies[index]
            guard evaluator.matches(policy.principal, request.principal),
                evaluator.matches(policy.resource, request.resource)
            else { continue }
            do throws(EvaluationError) {
                if try satisfied(policy, evaluator) {
                    if policy.effect == .permit { permits.append(policy.id) } else { forbids.append(policy.id) }
                }
            } catch {
                failures.append(Decision.Failure(policy: policy.id, message: error.message))
            }
        }
        if !forbids.isEmpty { return Decision(effect: .deny, reasons: forbids, failures: failures) }
        if !permits.isEmpty { return Decision(effect: .allow, reasons: permits, failures: failures) }
        return Decision(effect: .deny, reasons: [], failures: failures)
    }

    /// The indices, in policy order, of the policies whose action scope admits `action`: unconstrained ones,
    /// `action == A` and `action in A` ones that name it, and `action in G` ones that name one of its ancestors.
    /// Only these are evaluated.
    private static func candidates(_ action: EntityUID, _ policies: PolicySet, _ entities: Entities) -> [Int] {
        var result = policies.anyAction
        var buckets = 0
        if let named = policies.byAction[action] {
            result += named
            buckets += 1
        }
        if let named = policies.byGroup[action] {
            result += named
            buckets += 1
        }
        if let ancestors = entities.entry(action)?.ancestors {
            for ancestor in ancestors {
                if let named = policies.byGroup[ancestor] {
                    result += named
                    buckets += 1
                }
            }
        }
        if buckets > 1 || (buckets == 1 && !policies.anyAction.isEmpty) {
            result.sort()
            var previous = -1
            result.removeAll { index in
                defer { previous = index }
                return index == previous
            }
        }
        return result
    }

    private static func satisfied(_ policy: Policy, _ evaluator: Evaluator) throws(EvaluationError) -> Bool {
        for condition in policy.conditions {
            let value = try evaluator.evaluate(condition.expression)
            guard case .bool(let truth) = value else {
                throw EvaluationError(message: "type error: expected bool, got \(value.typeName)")
            }
            if truth != condition.isWhen { return false }
        }
        return true
    }
}
