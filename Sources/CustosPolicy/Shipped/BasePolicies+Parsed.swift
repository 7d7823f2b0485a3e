extension BasePolicies {
    /// The shipped schema, parsed once; the policy tests hold it valid, so this cannot fail.
    public static let parsedSchema = try! Schema(parsing: schema)

    /// The shipped base policies, parsed and validated against ``parsedSchema`` once.
    public static let policySet: PolicySet = {
        let policies = try! PolicySet(parsing: files.map(\.text).joined(separator: "\n"))
        try! Validator.validate(policies, against: parsedSchema)
        return policies
    }()

    /// The schema's action entities, closed under their hierarchy once; each request adds its own entities
    /// (``Entities/adding(_:)``).
    public static let actionEntities = try! Entities(parsedSchema.actionEntities)
}
