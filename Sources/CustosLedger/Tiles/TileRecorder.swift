import CustosCore

/// A hash source that serves placeholder hashes and records which tiles a computation read.
///
/// Running the ordinary proof algorithms against it yields exactly the tiles a client must fetch.
final class TileRecorder: MerkleHashSource {
    let size: UInt64
    private(set) var tiles: [TileID] = []
    private var seen: Set<TileID> = []

    init(size: UInt64) { self.size = size }

    func hash(level: Int, index: UInt64) throws(ProofError) -> Digest32 {
        let id = TileHashReader.tile(containing: level, index: index, treeSize: size)
        if seen.insert(id).inserted { tiles.append(id) }
        return Digest32.zero
    }
}
