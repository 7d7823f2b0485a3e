import CustosCore

/// Serves Merkle hashes out of fetched tlog tiles, so a client holding tiles can compute any root or proof
/// (through `MerkleHashSource`) for trees up to `size`.
///
/// Tiles are untrusted input: a proof read from them means nothing until it is verified against a root from
/// a signed checkpoint, which is also what catches forged or stale tiles.
public struct TileHashReader: MerkleHashSource, Sendable {
    /// The tree size the tiles were fetched for.
    public let size: UInt64
    private var tiles: [TileKey: [UInt8]] = [:]

    private struct TileKey: Hashable, Sendable {
        let level: Int
        let index: UInt64
    }

    /// Wraps fetched tiles; each tile's content must be exactly `width` hashes. Of several widths of one
    /// tile the widest is kept, since a wider tile has every hash a narrower one has.
    public init(treeSize: UInt64, tiles: [TileID: [UInt8]]) throws(ProofError) {
        size = treeSize
        for (id, content) in tiles {
            guard content.count == id.byteCount else {
                throw .malformedTile(path: id.path, byteCount: content.count, expected: id.byteCount)
            }
            let key = TileKey(level: id.level, index: id.index)
            if (self.tiles[key]?.count ?? 0) < content.count { self.tiles[key] = content }
        }
    }

    /// Reads or recomputes a complete-subtree hash from the one tile that covers it.
    public func hash(level: Int, index: UInt64) throws(ProofError) -> Digest32 {
        guard (0..<64).contains(level), index < size >> level else {
            throw .sizeBeyondLog(size: (index &+ 1) << level, available: size)
        }
        let id = Self.tile(containing: level, index: index, treeSize: size)
        let span = 1 << (level % TileID.height)
        let offset = Int((index << (level % TileID.height)) - id.firstHash)
        guard let content = tiles[TileKey(level: id.level, index: id.index)], content.count >= (offset + span) * 32
        else { throw .missingTile(path: id.path) }
        if span == 1 { return MerkleHash.digest(Array(content[offset * 32..<(offset + 1) * 32])) }
        // Levels between tile levels are rebuilt by hashing the tile's hashes pairwise.
        var hasher = NodeHasher()
        var row = Array(content[offset * 32..<(offset + span) * 32])
        while row.count > 32 {
            var next: [UInt8] = []
            next.reserveCapacity(row.count / 2)
            row.withUnsafeBytes { bytes in
                for pair in stride(from: 0, to: bytes.count, by: 64) {
                    next.append(
                        contentsOf: hasher.hash(
                            UnsafeRawBufferPointer(rebasing: bytes[pair..<pair + 32]),
                            UnsafeRawBufferPointer(rebasing: bytes[pair + 32..<pair + 64])))
                }
            }
            row = next
        }
        return MerkleHash.digest(row)
    }

    /// The tile, with its width at `treeSize`, that holds the hashes under Merkle node (`level`, `index`).
    static func tile(containing level: Int, index: UInt64, treeSize: UInt64) -> TileID {
        let tileLevel = level / TileID.height
        let first = index << (level % TileID.height)
        let tileIndex = first / UInt64(TileID.fullWidth)
        let count = treeSize >> (tileLevel * TileID.height)
        let start = tileIndex * UInt64(TileID.fullWidth)
        let width = count > start ? Int(min(UInt64(TileID.fullWidth), count - start)) : 1
        return try! TileID(level: tileLevel, index: tileIndex, width: width)  // level ≤ 7, width 1...256
    }
}
