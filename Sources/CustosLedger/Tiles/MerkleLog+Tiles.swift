extension MerkleLog {
    /// The content of a tile: its `width` hashes, concatenated; the tile must lie within the log.
    public func tile(_ id: TileID) throws(ProofError) -> [UInt8] {
        do {
            return try hashes(level: id.merkleLevel, from: id.firstHash, count: id.width)
        } catch {
            throw .missingTile(path: id.path)
        }
    }

    /// The tiles to write after the log grew from `oldSize` to its current size, with their contents.
    public func tiles(changedSince oldSize: UInt64) -> [(id: TileID, content: [UInt8])] {
        TileID.changedTiles(from: oldSize, to: size).map { id in
            (id, try! tile(id))  // changed tiles lie within the current size by construction
        }
    }
}
