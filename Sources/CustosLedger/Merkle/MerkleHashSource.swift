import CustosCore

/// Anything that can hand out the hashes of complete, aligned subtrees of an RFC 6962 tree: an in-memory
/// `MerkleLog`, a set of tlog tiles, or a database of persisted tiles.
///
/// From those stored hashes alone, roots and proofs for any earlier tree size cost O(log n) lookups and at
/// most O(log n) node hashes (see the extension below).
public protocol MerkleHashSource {
    /// How many leaves the source covers; proofs can be drawn for any tree size up to this.
    var size: UInt64 { get }

    /// The hash of the complete subtree of `2^level` leaves starting at leaf `index << level`.
    ///
    /// Callers only ask for subtrees that lie entirely below `size`.
    func hash(level: Int, index: UInt64) throws(ProofError) -> Digest32
}

extension MerkleHashSource {
    /// The root of the tree formed by the first `size` leaves.
    public func rootHash(size treeSize: UInt64) throws(ProofError) -> Digest32 {
        guard treeSize <= size else { throw .sizeBeyondLog(size: treeSize, available: size) }
        guard treeSize > 0 else { return MerkleHash.emptyRoot }
        return try subtreeHash(from: 0, to: treeSize)
    }

    /// The RFC 9162 §2.1.3.1 inclusion proof (audit path) for leaf `index` in the tree of `size` leaves.
    public func inclusionProof(index: UInt64, size treeSize: UInt64) throws(ProofError) -> [Digest32] {
        guard treeSize <= size else { throw .sizeBeyondLog(size: treeSize, available: size) }
        guard index < treeSize else { throw .indexOutOfRange(index: index, size: treeSize) }
        // Walk down from the root; each step contributes the sibling subtree, collected root-first.
        var proof: [Digest32] = []
        var low: UInt64 = 0
        var high = treeSize
        while high - low > 1 {
            let split = low + Self.largestPowerOfTwo(below: high - low)
            if index < split {
                proof.append(try subtreeHash(from: split, to: high))
                high = split
            } else {
                proof.append(try subtreeHash(from: low, to: split))
                low = split
            }
        }
        return proof.reversed()
    }

    /// The RFC 9162 §2.1.4.1 consistency proof from the tree of `size1` leaves to the tree of `size2` leaves.
    public func consistencyProof(from size1: UInt64, to size2: UInt64) throws(ProofError) -> [Digest32] {
        guard size1 <= size2 else { throw .consistencySizesReversed(size1: size1, size2: size2) }
        guard size1 > 0 else { throw .consistencyFromEmptyTree(size2: size2) }
        guard size2 <= size else { throw .sizeBeyondLog(size: size2, available: size) }
        var proof: [Digest32] = []
        var low: UInt64 = 0
        var high = size2
        // Whether the current subtree is still a left edge of the old tree, whose hash the verifier knows.
        var onLeftEdge = true
        while true {
            let width = high - low
            let oldWidth = size1 - low
            if oldWidth == width {
                if !onLeftEdge { proof.append(try subtreeHash(from: low, to: high)) }
                break
            }
            let split = Self.largestPowerOfTwo(below: width)
            if oldWidth <= split {
                proof.append(try subtreeHash(from: low + split, to: high))
                high = low + split
            } else {
                proof.append(try subtreeHash(from: low, to: low + split))
                low += split
                onLeftEdge = false
            }
        }
        return proof.reversed()
    }

    /// The hash of leaves `low..<high`, where `low` is aligned as RFC 6962 splits produce it.
    ///
    /// The range decomposes into at most 64 complete subtrees of decreasing size, combined right to left.
    func subtreeHash(from low: UInt64, to high: UInt64) throws(ProofError) -> Digest32 {
        var parts: [Digest32] = []
        var start = low
        while start < high {
            let alignment = start == 0 ? 63 : start.trailingZeroBitCount
            let fit = 63 - (high - start).leadingZeroBitCount
            let level = min(alignment, fit)
            parts.append(try hash(level: level, index: start >> level))
            start += UInt64(1) << level
        }
        var hasher = NodeHasher()
        var result = parts.removeLast()
        for part in parts.reversed() { result = hasher.hash(part, result) }
        return result
    }

    /// The largest power of two strictly below `count` (count ≥ 2): the RFC 6962 split point.
    static func largestPowerOfTwo(below count: UInt64) -> UInt64 {
        UInt64(1) << (63 - (count - 1).leadingZeroBitCount)
    }
}
