import CustosCore

/// RFC 9162 §2.1.3.2 (inclusion) and §2.1.4.2 (consistency) verification.
///
/// The proof is split into an "inner" part (siblings below the point where the leaf's path meets the right
/// border of the tree) and a "border" part (left siblings on the border); this is equivalent to the RFC's
/// bit-walking loop but knows the exact expected proof length up front, so truncated or padded proofs are
/// rejected with a precise message before any hashing.
public enum MerkleVerifier {
    /// Checks that `leafHash` is at `index` in the tree of `size` leaves whose root is `root`.
    public static func verifyInclusion(
        leafHash: Digest32, index: UInt64, size: UInt64, proof: [Digest32], root: Digest32
    ) throws(ProofError) {
        let computed = try rootFromInclusionProof(leafHash: leafHash, index: index, size: size, proof: proof)
        guard computed == root else {
            throw .inclusionRootMismatch(index: index, size: size, computed: computed, expected: root)
        }
    }

    /// The root that an inclusion proof implies; callers compare it with a trusted root.
    public static func rootFromInclusionProof(
        leafHash: Digest32, index: UInt64, size: UInt64, proof: [Digest32]
    ) throws(ProofError) -> Digest32 {
        guard index < size else { throw .indexOutOfRange(index: index, size: size) }
        let (inner, border) = decomposeInclusion(index: index, size: size)
        guard proof.count == inner + border else {
            throw .inclusionProofLength(actual: proof.count, expected: inner + border, index: index, size: size)
        }
        var hasher = NodeHasher()
        var hash = chainInner(&hasher, leafHash, proof[..<inner], index: index)
        hash = chainBorderRight(&hasher, hash, proof[inner...])
        return hash
    }

    /// Checks that the tree of `size2` leaves with `root2` extends the tree of `size1` leaves with `root1`.
    public static func verifyConsistency(
        size1: UInt64, size2: UInt64, proof: [Digest32], root1: Digest32, root2: Digest32
    ) throws(ProofError) {
        guard size1 <= size2 else { throw .consistencySizesReversed(size1: size1, size2: size2) }
        guard size1 > 0 else { throw .consistencyFromEmptyTree(size2: size2) }
        if size1 == size2 {
            guard proof.isEmpty else {
                throw .consistencyProofLength(actual: proof.count, expected: 0, size1: size1, size2: size2)
            }
            guard root1 == root2 else { throw .equalSizesDifferentRoots(size: size1, root1: root1, root2: root2) }
            return
        }
        let expected = expectedConsistencyProofLength(size1: size1, size2: size2)
        guard proof.count == expected else {
            throw .consistencyProofLength(actual: proof.count, expected: expected, size1: size1, size2: size2)
        }
        let shift = size1.trailingZeroBitCount
        // Levels below `shift` are inside the seed subtree, so the proof has no siblings for them.
        let inner = decomposeInclusion(index: size1 - 1, size: size2).inner - shift
        // The first tree's rightmost complete subtree (2^shift leaves) is the seed; when the first tree is
        // exactly that subtree its hash is root1 itself and the proof omits it.
        let seed: Digest32
        let rest: ArraySlice<Digest32>
        if size1 == UInt64(1) << shift {
            seed = root1
            rest = proof[...]
        } else {
            seed = proof[0]
            rest = proof.dropFirst()
        }
        let mask = (size1 - 1) >> shift
        var hasher = NodeHasher()
        let innerPart = rest.prefix(inner)
        let borderPart = rest.dropFirst(inner)
        let first = chainBorderRight(&hasher, chainInnerRight(&hasher, seed, innerPart, index: mask), borderPart)
        guard first == root1 else {
            throw .consistencyFirstRootMismatch(size1: size1, computed: first, expected: root1)
        }
        let second = chainBorderRight(&hasher, chainInner(&hasher, seed, innerPart, index: mask), borderPart)
        guard second == root2 else {
            throw .consistencySecondRootMismatch(size2: size2, computed: second, expected: root2)
        }
    }

    /// The number of hashes in an inclusion proof for `index` in a tree of `size` (index < size).
    public static func expectedInclusionProofLength(index: UInt64, size: UInt64) -> Int {
        let (inner, border) = decomposeInclusion(index: index, size: size)
        return inner + border
    }

    /// The number of hashes in a consistency proof between two sizes (0 < size1 ≤ size2).
    public static func expectedConsistencyProofLength(size1: UInt64, size2: UInt64) -> Int {
        guard size1 < size2 else { return 0 }
        let (inner, border) = decomposeInclusion(index: size1 - 1, size: size2)
        let shift = size1.trailingZeroBitCount
        let seedIncluded = size1 == UInt64(1) << shift ? 0 : 1
        return seedIncluded + inner - shift + border
    }

    /// Splits a proof length into the levels below the right border and the border levels above.
    static func decomposeInclusion(index: UInt64, size: UInt64) -> (inner: Int, border: Int) {
        let inner = UInt64.bitWidth - (index ^ (size - 1)).leadingZeroBitCount
        let border = (index >> inner).nonzeroBitCount
        return (inner, border)
    }

    private static func chainInner(
        _ hasher: inout NodeHasher, _ seed: Digest32, _ proof: ArraySlice<Digest32>, index: UInt64
    ) -> Digest32 {
        var hash = seed
        for (level, sibling) in proof.enumerated() {
            hash = (index >> level) & 1 == 0 ? hasher.hash(hash, sibling) : hasher.hash(sibling, hash)
        }
        return hash
    }

    private static func chainInnerRight(
        _ hasher: inout NodeHasher, _ seed: Digest32, _ proof: ArraySlice<Digest32>, index: UInt64
    ) -> Digest32 {
        var hash = seed
        for (level, sibling) in proof.enumerated() where (index >> level) & 1 == 1 {
            hash = hasher.hash(sibling, hash)
        }
        return hash
    }

    private static func chainBorderRight(
        _ hasher: inout NodeHasher, _ seed: Digest32, _ proof: ArraySlice<Digest32>
    ) -> Digest32 {
        var hash = seed
        for sibling in proof { hash = hasher.hash(sibling, hash) }
        return hash
    }
}
