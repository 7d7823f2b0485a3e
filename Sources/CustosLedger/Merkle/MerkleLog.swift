import CustosCore

/// An append-only RFC 6962 log held as the hashes of all its complete subtrees, level by level.
///
/// `levels[l]` stores, back to back, the 32-byte hashes of the complete subtrees of `2^l` leaves, so level 0
/// is the leaf hashes and level `8·L` is exactly the content of tlog tiles at tile level `L`. Appending a
/// leaf costs one leaf hash plus, amortised, one node hash; roots and proofs for any earlier size are
/// O(log n) lookups (see `MerkleHashSource`).
public struct MerkleLog: MerkleHashSource, Sendable, Hashable {
    /// The number of leaves.
    public private(set) var size: UInt64 = 0
    private var levels: [[UInt8]] = [[]]
    private var hasher = NodeHasher()

    /// An empty log.
    public init() {}

    /// A log of the given leaf hashes, in order.
    public init(leafHashes: some Sequence<Digest32>) {
        for leafHash in leafHashes { append(leafHash: leafHash) }
    }

    /// Appends a leaf hash and returns its index.
    @discardableResult
    public mutating func append(leafHash: Digest32) -> UInt64 {
        levels[0].append(contentsOf: leafHash.bytes)
        return completeAppendedLeaf()
    }

    /// Appends leaf hashes given back to back (e.g. the content of level-0 tiles when restoring a log) and
    /// returns the index of the first; the byte count must be a multiple of 32.
    @discardableResult
    public mutating func append(concatenatedLeafHashes bytes: [UInt8]) throws(LedgerError) -> UInt64 {
        guard bytes.count % 32 == 0 else {
            throw LedgerError("concatenated leaf hashes are \(bytes.count) bytes, not a multiple of 32")
        }
        let first = size
        for start in stride(from: 0, to: bytes.count, by: 32) {
            levels[0].append(contentsOf: bytes[start..<start + 32])
            completeAppendedLeaf()
        }
        return first
    }

    /// Counts the leaf just stored in level 0 and hashes the subtrees it completes.
    @discardableResult
    private mutating func completeAppendedLeaf() -> UInt64 {
        let index = size
        size += 1
        // Each time a level gains an even number of hashes, its last two form a new node one level up.
        var level = 0
        while (size >> level) & 1 == 0 {
            let count = levels[level].count
            let node = levels[level].withUnsafeBytes { bytes in
                hasher.hash(
                    UnsafeRawBufferPointer(rebasing: bytes[(count - 64)..<(count - 32)]),
                    UnsafeRawBufferPointer(rebasing: bytes[(count - 32)..<count]))
            }
            if levels.count == level + 1 { levels.append([]) }
            levels[level + 1].append(contentsOf: node)
            level += 1
        }
        return index
    }

    /// Appends the leaf for a message id (SHA-256(0x00 ‖ id)) and returns its index.
    @discardableResult
    public mutating func append(messageID: Digest32) -> UInt64 {
        append(leafHash: MerkleHash.leafHash(messageID: messageID))
    }

    /// The root of the whole log.
    public var root: Digest32 {
        try! rootHash(size: size)  // every size up to `size` is available
    }

    /// The leaf hash at `index`.
    public func leafHash(at index: UInt64) throws(ProofError) -> Digest32 {
        guard index < size else { throw .indexOutOfRange(index: index, size: size) }
        return try hash(level: 0, index: index)
    }

    /// The stored hash of the complete subtree of `2^level` leaves starting at leaf `index << level`.
    public func hash(level: Int, index: UInt64) throws(ProofError) -> Digest32 {
        guard level >= 0, level < levels.count, index < UInt64(levels[level].count / 32) else {
            throw .sizeBeyondLog(size: (index &+ 1) << level, available: size)
        }
        let start = Int(index) * 32
        return MerkleHash.digest(Array(levels[level][start..<start + 32]))
    }

    /// How many complete-subtree hashes level `level` holds (`size >> level`).
    public func hashCount(level: Int) -> UInt64 {
        level >= 0 && level < levels.count ? UInt64(levels[level].count / 32) : 0
    }

    /// The concatenated hashes `first..<first + count` of one level, e.g. the content of a tile.
    public func hashes(level: Int, from first: UInt64, count: Int) throws(ProofError) -> [UInt8] {
        let available = hashCount(level: level)
        guard count >= 0, first <= available, UInt64(count) <= available - first else {
            throw .sizeBeyondLog(size: (first &+ UInt64(max(count, 0))) << level, available: size)
        }
        let end = first + UInt64(count)
        return Array(levels[level][Int(first) * 32..<Int(end) * 32])
    }

    /// Equal logs hold equal leaves; the scratch hasher is not part of the value.
    public static func == (lhs: MerkleLog, rhs: MerkleLog) -> Bool {
        lhs.size == rhs.size && lhs.levels[0] == rhs.levels[0]
    }

    /// Hashes the leaves, consistent with `==`.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(size)
        hasher.combine(levels[0])
    }
}
