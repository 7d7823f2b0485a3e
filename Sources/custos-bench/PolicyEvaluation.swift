import ArgumentParser
import CustosPolicy
import Foundation

/// The cost of one authorization decision, as the gateway asks it: entities of a tenant API request, the shipped
/// policies, then the same with a tenant's own policies added.
struct PolicyEvaluation: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "policies", abstract: "Policy evaluation time per request: shipped set, then with tenant policies."
    )

    @Option(help: "Decisions to time per configuration.")
    var iterations: Int = 100_000

    @Option(help: "Tenant policies added in the second run (forbids on the write route, each about another key).")
    var tenantPolicies: Int = 1000

    func run() throws {
        let schema = BasePolicies.parsedSchema
        let base = BasePolicies.files.map(\.text).joined(separator: "\n")
        // The worst case: every tenant policy is about the benchmarked action and decided only by its condition.
        let conditioned = (0..<tenantPolicies).map { index in
            """
            @id("tenant/acme/\(index)")
            forbid (principal, action == Action::"createLedgerMessage", resource)
            when { context.key == ApiKey::"key_other_\(index)" };
            """
        }.joined(separator: "\n")
        // The usual form: each policy scoped to one key, so the scope decides before any condition runs.
        let scoped = (0..<tenantPolicies).map { index in
            """
            @id("tenant/acme/\(index)")
            forbid (principal == ApiKey::"key_other_\(index)", action == Action::"createLedgerMessage", resource)
            when { resource.tenant == Tenant::"acme" };
            """
        }.joined(separator: "\n")
        let runs = [
            ("shipped set", base),
            ("shipped set + \(tenantPolicies) tenant policies scoped to other keys", base + scoped),
            ("shipped set + \(tenantPolicies) tenant policies decided by their conditions", base + conditioned),
        ]
        for (label, text) in runs {
            let policies = try PolicySet(parsing: text)
            try Validator.validate(policies, against: schema)
            var samples: [Double] = []
            samples.reserveCapacity(iterations)
            var allowed = 0
            for index in 0..<iterations {
                let start = ContinuousClock.now
                let (request, entities) = Self.request(index)
                let decision = Authorizer.isAuthorized(
                    request, policies: policies, entities: try BasePolicies.actionEntities.adding(entities))
                samples.append((ContinuousClock.now - start).seconds * 1e6)
                if decision.isAllowed { allowed += 1 }
            }
            precondition(allowed == iterations, "every benchmark request is one the policies allow")
            samples.sort()
            print(
                String(
                    format: "policy evaluation, %@ (%d policies), %d decisions: p50 %.2f µs, p99 %.2f µs", label,
                    policies.policies.count, iterations, percentile(samples, 0.5), percentile(samples, 0.99)))
        }
    }

    /// A write by a key of tenant acme, with the entities the gateway builds for it.
    static func request(_ index: Int) -> (CustosPolicy.Request, [Entity]) {
        let tenant = EntityUID(type: "Tenant", id: "acme")
        let key = EntityUID(type: "ApiKey", id: "key_\(index % 8)")
        let ledger = EntityUID(type: "Ledger", id: "acme")
        let scopes: Set<Value> = [.string("ledger:read"), .string("ledger:write")]
        return (
            CustosPolicy.Request(
                principal: key, action: EntityUID(type: "Action", id: "createLedgerMessage"), resource: ledger,
                context: ["key": .entity(key)]),
            [
                Entity(uid: tenant, attributes: ["status": .string("active")]),
                Entity(uid: key, attributes: ["tenant": .entity(tenant), "scopes": .set(scopes)], parents: [tenant]),
                Entity(uid: ledger, attributes: ["tenant": .entity(tenant)], parents: [tenant]),
            ]
        )
    }
}
