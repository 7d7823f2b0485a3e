extension TileID {
    /// The tiles a client needs to build the inclusion proof of leaf `index` in the tree of `treeSize`.
    public static func required(forInclusionOf index: UInt64, treeSize: UInt64) throws(ProofError) -> [TileID] {
        let recorder = TileRecorder(size: treeSize)
        _ = try recorder.inclusionProof(index: index, size: treeSize)
        return recorder.tiles
    }

    /// The tiles a client needs to build the consistency proof from `size1` to `size2`.
    public static func required(forConsistencyFrom size1: UInt64, to size2: UInt64) throws(ProofError) -> [TileID] {
        let recorder = TileRecorder(size: size2)
        _ = try recorder.consistencyProof(from: size1, to: size2)
        return recorder.tiles
    }

    /// The tiles a client needs to recompute the root of the tree of `treeSize` leaves.
    public static func required(forRootOf treeSize: UInt64) -> [TileID] {
        let recorder = TileRecorder(size: treeSize)
        _ = try! recorder.rootHash(size: treeSize)  // the recorder never fails within its own size
        return recorder.tiles
    }
}
