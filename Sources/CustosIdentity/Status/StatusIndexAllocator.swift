import CustosCrypto

/// Assigns status-list indices at random without reuse, for herd privacy: an index says nothing about
/// when or to whom a credential was issued.
///
/// A value type over the bitset of used indices; persist ``usedBitmap`` and restore with
/// ``init(capacity:usedBitmap:)``.
public struct StatusIndexAllocator: Sendable, Hashable {
    /// The number of indices (the status list's length in entries).
    public let capacity: Int
    /// One bit per index, MSB-first like the status list; a set bit means assigned.
    public private(set) var usedBitmap: [UInt8]
    /// How many indices are assigned.
    public private(set) var usedCount: Int

    /// An allocator with nothing assigned.
    public init(capacity: Int = BitstringStatusList.minimumBitCount) throws(IdentityError) {
        guard capacity > 0, capacity <= Int(UInt32.max) else {
            throw IdentityError.malformed(field: "capacity", reason: "must be between 1 and \(UInt32.max)")
        }
        self.capacity = capacity
        self.usedBitmap = [UInt8](repeating: 0, count: (capacity + 7) / 8)
        self.usedCount = 0
    }

    /// An allocator restored from a stored bitmap.
    public init(capacity: Int, usedBitmap: [UInt8]) throws(IdentityError) {
        try self.init(capacity: capacity)
        guard usedBitmap.count == self.usedBitmap.count else {
            throw IdentityError.malformed(
                field: "usedBitmap", reason: "must be \(self.usedBitmap.count) bytes for \(capacity) indices")
        }
        self.usedBitmap = usedBitmap
        self.usedCount = (0..<capacity).reduce(0) { $0 + (usedBitmap[$1 / 8] & (0x80 >> UInt8($1 % 8)) != 0 ? 1 : 0) }
    }

    /// Whether `index` is assigned.
    public func isUsed(_ index: Int) -> Bool {
        index >= 0 && index < capacity && usedBitmap[index / 8] & (0x80 >> UInt8(index % 8)) != 0
    }

    /// Marks `index` assigned (e.g. when importing existing credentials).
    public mutating func markUsed(_ index: Int) throws(IdentityError) {
        guard index >= 0, index < capacity else {
            throw IdentityError.statusIndexOutOfRange(index: index, size: capacity)
        }
        if !isUsed(index) {
            usedBitmap[index / 8] |= 0x80 >> UInt8(index % 8)
            usedCount += 1
        }
    }

    /// A uniformly random unassigned index, now marked assigned.
    public mutating func allocate() throws(IdentityError) -> Int {
        guard usedCount < capacity else {
            throw IdentityError.statusListFull(capacity: capacity)
        }
        // Rejection sampling is uniform and fast while the list is not nearly full; after a few misses,
        // pick the k-th free index directly so the time stays bounded.
        for _ in 0..<32 {
            let candidate = Int(SecureRandom.uniform(upperBound: UInt32(capacity)))
            if !isUsed(candidate) {
                try markUsed(candidate)
                return candidate
            }
        }
        var skip = Int(SecureRandom.uniform(upperBound: UInt32(capacity - usedCount)))
        for index in 0..<capacity where !isUsed(index) {
            if skip == 0 {
                try markUsed(index)
                return index
            }
            skip -= 1
        }
        throw IdentityError.statusListFull(capacity: capacity)
    }
}
