import Yams

/// The plans of `Policies/plans.yaml`, validated: every field known and of its type, the default and signup
/// plans among them.
public struct PlanCatalog: Sendable, Equatable {
    /// Every plan, by name.
    public var plans: [String: Plan]
    /// The plan of tenants an administrator creates without naming one.
    public var defaultPlan: String
    /// The plan of self-service signups.
    public var signupPlan: String

    /// The plans shipped in `Policies/plans.yaml` (embedded by `make openapi`; the tests parse the file).
    public static let shipped: PlanCatalog = {
        // The shipped file is validated by the tests; this cannot fail.
        try! PlanCatalog(yaml: ShippedPlans.text)
    }()

    /// The named plan, or nil.
    public subscript(name: String) -> Plan? { plans[name] }

    /// The plans sorted by name.
    public var sorted: [Plan] { plans.values.sorted { $0.name < $1.name } }

    /// Parses and validates a plans file.
    public init(yaml: String) throws(PlanError) {
        let root: Any?
        do { root = try Yams.load(yaml: yaml) } catch { throw PlanError("not YAML: \(error)") }
        let top = try Self.mapping(root, at: "the file", keys: ["defaultPlan", "signupPlan", "plans"])
        let plansNode = try Self.mapping(top["plans"], at: "plans", keys: nil)
        guard !plansNode.isEmpty else { throw PlanError("plans: at least one plan is needed") }
        var plans: [String: Plan] = [:]
        for (name, node) in plansNode {
            guard Self.isName(name) else {
                throw PlanError("plans.\(name): a plan's name is 1 to 32 characters of a-z, 0-9 and -")
            }
            plans[name] = try Self.plan(name, node)
        }
        defaultPlan = try Self.string(top["defaultPlan"], at: "defaultPlan")
        signupPlan = try Self.string(top["signupPlan"], at: "signupPlan")
        for (field, name) in [("defaultPlan", defaultPlan), ("signupPlan", signupPlan)] where plans[name] == nil {
            throw PlanError("\(field): no plan \(name) in plans")
        }
        self.plans = plans
    }

    private static func plan(_ name: String, _ node: Any?) throws(PlanError) -> Plan {
        let at = "plans.\(name)"
        let fields = try mapping(node, at: at, keys: ["description", "isolation", "quotas", "rateLimits"])
        let isolationName = try string(fields["isolation"], at: "\(at).isolation")
        guard let isolation = Plan.Isolation(rawValue: isolationName) else {
            throw PlanError("\(at).isolation: pooled or dedicated, not \(isolationName)")
        }
        let quotas = try mapping(
            fields["quotas"] ?? [String: Any](), at: "\(at).quotas", keys: ["apiKeys", "entriesPerDay"])
        let limits = try mapping(
            fields["rateLimits"] ?? [String: Any](), at: "\(at).rateLimits", keys: ["perKey", "perTenant"])
        return Plan(
            name: name, description: try string(fields["description"], at: "\(at).description"), isolation: isolation,
            quotas: Plan.Quotas(
                apiKeys: try count(quotas["apiKeys"], at: "\(at).quotas.apiKeys"),
                entriesPerDay: try count(quotas["entriesPerDay"], at: "\(at).quotas.entriesPerDay")),
            rateLimits: Plan.RateLimits(
                perKey: try rate(limits["perKey"], at: "\(at).rateLimits.perKey"),
                perTenant: try rate(limits["perTenant"], at: "\(at).rateLimits.perTenant")))
    }

    private static func rate(_ node: Any?, at: String) throws(PlanError) -> Plan.Rate? {
        guard let node else { return nil }
        let fields = try mapping(node, at: at, keys: ["requestsPerSecond", "burst"])
        guard let perSecond = try count(fields["requestsPerSecond"], at: "\(at).requestsPerSecond"), perSecond > 0,
            let burst = try count(fields["burst"], at: "\(at).burst"), burst >= perSecond
        else {
            throw PlanError("\(at): requestsPerSecond (at least 1) and burst (at least requestsPerSecond) are needed")
        }
        return Plan.Rate(requestsPerSecond: perSecond, burst: burst)
    }

    /// A mapping with string keys, each among `keys` when they are given.
    private static func mapping(_ node: Any?, at: String, keys: Set<String>?) throws(PlanError) -> [String: Any] {
        guard let mapping = node as? [String: Any] else { throw PlanError("\(at): expected a mapping") }
        if let keys, let unknown = mapping.keys.sorted().first(where: { !keys.contains($0) }) {
            throw PlanError("\(at): unknown field \(unknown) (known: \(keys.sorted().joined(separator: ", ")))")
        }
        return mapping
    }

    private static func string(_ node: Any?, at: String) throws(PlanError) -> String {
        guard let value = node as? String, !value.isEmpty else { throw PlanError("\(at): expected a non-empty string") }
        return value
    }

    /// A non-negative whole number, or nil when absent.
    private static func count(_ node: Any?, at: String) throws(PlanError) -> Int? {
        guard let node else { return nil }
        guard let value = node as? Int, value >= 0 else { throw PlanError("\(at): expected a whole number ≥ 0") }
        return value
    }

    private static func isName(_ name: String) -> Bool {
        (1...32).contains(name.count)
            && name.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" }
    }
}

/// A plans file that does not validate: where, and what is wrong.
public struct PlanError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The message, starting with the field's path.
    public let description: String

    init(_ description: String) { self.description = description }
}
