import CustosCore

/// The current tips of a ledger (messages no other message references yet) in arrival order.
///
/// `select` returns the oldest tips first: with a single writer per ledger this is deterministic and
/// guarantees every tip is referenced within a few messages, so no message waits long for confirmation. The
/// random choice of URTS (TIP-3) only matters when many untrusted writers compete, which a private ledger
/// does not have. All operations are amortised O(1) per tip.
public struct TipSelector: Sendable {
    /// Slots in arrival order; a slot is cleared when its tip gets referenced.
    private var slots: [Digest32?] = []
    /// The first slot that may still hold a tip.
    private var head = 0
    /// Each live tip's slot.
    private var positions: [Digest32: Int] = [:]

    /// A selector holding the given tips, oldest first (e.g. the genesis parent of a new network).
    public init(tips: [Digest32] = []) {
        for tip in tips where positions[tip] == nil {
            positions[tip] = slots.count
            slots.append(tip)
        }
    }

    /// The number of tips.
    public var count: Int { positions.count }

    /// Whether there are no tips.
    public var isEmpty: Bool { positions.isEmpty }

    /// All tips, oldest first.
    public var tips: [Digest32] { slots[head...].compactMap { $0 } }

    /// Whether `id` is currently a tip.
    public func contains(_ id: Digest32) -> Bool { positions[id] != nil }

    /// Up to `max` tips, oldest first; pass them as the parents of the next message.
    public func select(max: Int = LedgerMessage.maximumParents) -> [Digest32] {
        var chosen: [Digest32] = []
        var slot = head
        while chosen.count < max, slot < slots.count {
            if let tip = slots[slot] { chosen.append(tip) }
            slot += 1
        }
        return chosen
    }

    /// Records a new message: its parents stop being tips and it becomes one.
    public mutating func attach(_ id: Digest32, parents: [Digest32]) {
        for parent in parents {
            if let slot = positions.removeValue(forKey: parent) { slots[slot] = nil }
        }
        if positions[id] == nil {
            positions[id] = slots.count
            slots.append(id)
        }
        while head < slots.count, slots[head] == nil { head += 1 }
        if slots.count > 1024, positions.count * 2 < slots.count { compact() }
    }

    /// Drops cleared slots so memory tracks the number of live tips, not the number of messages seen.
    private mutating func compact() {
        slots = slots[head...].filter { $0 != nil }
        head = 0
        for (slot, tip) in slots.enumerated() { positions[tip!] = slot }
    }
}
