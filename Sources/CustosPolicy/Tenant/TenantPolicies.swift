/// The rules a tenant's own policies must follow before they are accepted: they parse, validate against the
/// schema, only narrow what the base policies allow, and carry ids of their own.
public enum TenantPolicies {
    /// The most policies one tenant may hold; evaluation cost grows with those about the same action.
    public static let maximumCount = 1000

    /// The tenant's policies from `text`, checked against `schema` and alongside `base` (the shipped ones unless
    /// a test says otherwise).
    ///
    /// - Throws: ``PolicyError`` naming the first rule broken, with its line and column where there is one.
    public static func validate(
        _ text: String, tenant: String, schema: Schema = BasePolicies.parsedSchema,
        base: PolicySet = BasePolicies.policySet
    ) throws(PolicyError) -> PolicySet {
        let policies = try PolicySet(parsing: text)
        guard policies.policies.count <= maximumCount else {
            throw .request("a tenant holds at most \(maximumCount) policies, this text has \(policies.policies.count)")
        }
        for policy in policies.policies {
            // A permit could widen what the base allows inside the tenant; only forbids are sure to narrow.
            guard policy.effect == .forbid else {
                throw .validation(
                    policy: policy.id, policy.location, "it is a permit; tenant policies can only narrow (use forbid)")
            }
            guard policy.id.hasPrefix("\(tenant)/") else {
                throw .validation(policy: policy.id, policy.location, "its @id must start with \"\(tenant)/\"")
            }
        }
        try Validator.validate(policies, against: schema)
        _ = try PolicySet(base.policies + policies.policies)  // ids stay unique
        return policies
    }
}
