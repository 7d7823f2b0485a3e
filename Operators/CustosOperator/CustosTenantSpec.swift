import CustosCore

/// `spec` of a CustosTenant.
///
/// Read leniently: a field of the wrong type is recorded in ``problems`` (the CRD's schema refuses such objects
/// at the API server; this is for objects that reached the operator anyway), and the reconciler refuses the
/// whole object when there are any.
public struct CustosTenantSpec: Sendable, Equatable {
    /// The platform's tenant id (`TenantID`: 3 to 32 of a-z, 0-9 and '-', starting with a letter).
    public var tenantId: String
    /// The tenant's plan, as the control plane names it (informational: the plan's limits are enforced by the
    /// gateway from the plans file).
    public var plan: String
    /// Replicas of the tenant's gateway Deployment; `nil`: the gateway template's default.
    public var replicas: Int?
    /// The gateway container's `resources` (requests and limits); `nil`: the gateway template's default.
    public var resources: JSONValue?
    /// What is wrong with the fields as read.
    public var problems: [String]

    /// A spec.
    public init(tenantId: String, plan: String, replicas: Int? = nil, resources: JSONValue? = nil) {
        self.tenantId = tenantId
        self.plan = plan
        self.replicas = replicas
        self.resources = resources
        self.problems = []
    }

    /// Reads `spec`.
    public init(object: JSONValue) {
        var problems: [String] = []
        if object.objectValue == nil { problems.append("spec must be an object") }
        tenantId = object["tenantId"]?.stringValue ?? ""
        if object["tenantId"]?.stringValue == nil { problems.append("spec.tenantId must be a string") }
        plan = object["plan"]?.stringValue ?? ""
        if object["plan"]?.stringValue == nil { problems.append("spec.plan must be a string") }
        replicas = nil
        if let value = object["replicas"], !value.isNull {
            if let count = value.intValue, count >= 1, count <= Self.maxReplicas {
                replicas = count
            } else {
                problems.append("spec.replicas must be a whole number from 1 to \(Self.maxReplicas)")
            }
        }
        resources = nil
        if let value = object["resources"], !value.isNull {
            if let members = value.objectValue, Set(members.keys).isSubset(of: ["requests", "limits"]),
                members.values.allSatisfy({ $0.objectValue != nil })
            {
                resources = value
            } else {
                problems.append("spec.resources may hold only the objects requests and limits")
            }
        }
        let known: Set<String> = ["tenantId", "plan", "replicas", "resources"]
        for key in (object.objectValue ?? [:]).keys.sorted() where !known.contains(key) {
            problems.append("spec.\(key) is not a field of CustosTenant")
        }
        self.problems = problems
    }

    /// The most replicas the CRD allows.
    public static let maxReplicas = 50

    /// The spec as JSON, without the fields left to the template.
    public var object: JSONValue {
        var members: [String: JSONValue] = ["tenantId": .string(tenantId), "plan": .string(plan)]
        if let replicas { members["replicas"] = .number(Double(replicas)) }
        if let resources { members["resources"] = resources }
        return .object(members)
    }
}
