/// An ordered set of parsed policies.
public struct PolicySet: Sendable {
    /// The policies, in text order.
    public let policies: [Policy]
    /// The indices of the policies whose action scope is unconstrained.
    let anyAction: [Int]
    /// For each action named in an `action == A` scope, the indices of those policies.
    let byAction: [EntityUID: [Int]]
    /// For each action or group named in an `action in ...` scope, the indices of those policies.
    let byGroup: [EntityUID: [Int]]

    /// Parses Cedar policies.
    ///
    /// - Throws: ``PolicyError/syntax(_:_:)`` for text that is not Cedar and ``PolicyError/unsupported(_:_:)``
    ///   for Cedar outside the supported subset, both with the line and column.
    public init(parsing text: String) throws(PolicyError) {
        var parser = try Parser(text: text)
        let parsed = try parser.parsePolicies()
        (anyAction, byAction, byGroup) = Self.index(parsed)
        policies = parsed
    }

    /// Combines already parsed policies; their ids must be distinct.
    public init(_ policies: [Policy]) throws(PolicyError) {
        var ids: Set<String> = []
        for policy in policies where !ids.insert(policy.id).inserted {
            throw .syntax(policy.location, "duplicate policy id `\(policy.id)`")
        }
        self.policies = policies
        (anyAction, byAction, byGroup) = Self.index(policies)
    }

    private static func index(_ policies: [Policy]) -> ([Int], [EntityUID: [Int]], [EntityUID: [Int]]) {
        var anyAction: [Int] = []
        var byAction: [EntityUID: [Int]] = [:]
        var byGroup: [EntityUID: [Int]] = [:]
        for (index, policy) in policies.enumerated() {
            switch policy.action {
            case .any: anyAction.append(index)
            case .equal(let uid): byAction[uid, default: []].append(index)
            case .in(let uids):
                for uid in Set(uids) { byGroup[uid, default: []].append(index) }
            }
        }
        return (anyAction, byAction, byGroup)
    }

    /// The policy with this id, if any.
    public func policy(withID id: String) -> Policy? {
        policies.first { $0.id == id }
    }
}
