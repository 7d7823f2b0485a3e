import CustosCore

/// White-flag ordering (TIP-2): the order in which a milestone confirms its past cone.
///
/// Post-order depth-first traversal from the milestone's parents, visiting each message's parents in their
/// listed (sorted) order and skipping anything already confirmed; every message therefore comes after all of
/// its unconfirmed ancestors. The walk uses an explicit stack because cones can be arbitrarily deep.
public enum WhiteFlag {
    /// The newly confirmed message ids in white-flag order.
    ///
    /// - Parameters:
    ///   - parents: the new milestone's parents, in listed order.
    ///   - parentsOf: the parents of a known message, or nil if the message is unknown.
    ///   - isConfirmed: whether an earlier milestone confirmed the id; must also return true for the genesis
    ///     parent and for earlier milestones' own messages, which are where the walk stops.
    public static func order(
        parents: [Digest32],
        parentsOf: (Digest32) -> [Digest32]?,
        isConfirmed: (Digest32) -> Bool
    ) throws(LedgerError) -> [Digest32] {
        var order: [Digest32] = []
        var visited: Set<Digest32> = []
        var stack: [(id: Digest32, parents: [Digest32], next: Int)] = []

        func enter(_ id: Digest32, from child: Digest32?) throws(LedgerError) {
            guard !isConfirmed(id), visited.insert(id).inserted else { return }
            guard let ancestors = parentsOf(id) else {
                let referrer = child.map { " referenced by \($0)" } ?? " referenced by the milestone"
                throw LedgerError("message \(id)\(referrer) is unknown, so its past cone cannot be confirmed")
            }
            stack.append((id, ancestors, 0))
        }

        for root in parents {
            try enter(root, from: nil)
            while let top = stack.last {
                if top.next < top.parents.count {
                    stack[stack.count - 1].next += 1
                    try enter(top.parents[top.next], from: top.id)
                } else {
                    stack.removeLast()
                    order.append(top.id)
                }
            }
        }
        return order
    }

    /// The same order over in-memory maps: `parentsByID` for unconfirmed messages, `confirmed` for the rest.
    public static func order(
        parents: [Digest32], parentsByID: [Digest32: [Digest32]], confirmed: Set<Digest32>
    ) throws(LedgerError) -> [Digest32] {
        try order(parents: parents, parentsOf: { parentsByID[$0] }, isConfirmed: { confirmed.contains($0) })
    }
}
