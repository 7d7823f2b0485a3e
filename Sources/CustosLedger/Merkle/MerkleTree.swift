import CustosCore

/// One-shot RFC 6962 computations over a list of leaf hashes, for callers that do not keep a `MerkleLog`.
///
/// Each call builds the needed prefix of the tree once (O(n) hashes); keep a `MerkleLog` to answer many
/// queries over the same leaves.
public enum MerkleTree {
    /// MTH of the given leaf hashes; the empty list has `MerkleHash.emptyRoot`.
    public static func root(leafHashes: [Digest32]) -> Digest32 {
        MerkleLog(leafHashes: leafHashes).root
    }

    /// The inclusion proof for leaf `index` in the tree formed by the first `size` leaf hashes.
    public static func inclusionProof(index: UInt64, size: UInt64, leafHashes: [Digest32]) throws(ProofError)
        -> [Digest32]
    {
        try prefixLog(size: size, leafHashes: leafHashes).inclusionProof(index: index, size: size)
    }

    /// The consistency proof between the trees formed by the first `size1` and `size2` leaf hashes.
    public static func consistencyProof(from size1: UInt64, to size2: UInt64, leafHashes: [Digest32])
        throws(ProofError) -> [Digest32]
    {
        try prefixLog(size: size2, leafHashes: leafHashes).consistencyProof(from: size1, to: size2)
    }

    private static func prefixLog(size: UInt64, leafHashes: [Digest32]) throws(ProofError) -> MerkleLog {
        guard size <= UInt64(leafHashes.count) else {
            throw .sizeBeyondLog(size: size, available: UInt64(leafHashes.count))
        }
        return MerkleLog(leafHashes: leafHashes.prefix(Int(size)))
    }
}
