import CustosCore
import CustosLedger
import Testing

@Suite struct TileTests {
    @Test func indexEncodingFollowsTheSpec() {
        #expect(TileID.encodeIndex(1_234_067) == "x001/x234/067")
        #expect(TileID.encodeIndex(0) == "000")
        #expect(TileID.encodeIndex(5) == "005")
        #expect(TileID.encodeIndex(999) == "999")
        #expect(TileID.encodeIndex(1000) == "x001/000")
        #expect(TileID.encodeIndex(UInt64.max) == "x018/x446/x744/x073/x709/x551/615")
        #expect(TileID.decodeIndex("x001/x234/067") == 1_234_067)
        for bad in ["1234067", "001/234/067", "x001/x234/x067", "x001/23/067", "x000/067", "0067", "", "x1/067", "-01"]
        {
            #expect(TileID.decodeIndex(bad) == nil, "\(bad)")
        }
        #expect(TileID.decodeIndex("x018/x446/x744/x073/x709/x551/616") == nil)
    }

    @Test func pathsOfFullAndPartialTiles() throws {
        #expect(try TileID(level: 0, index: 1_234_067).path == "tile/0/x001/x234/067")
        #expect(try TileID(level: 1, index: 5, width: 17).path == "tile/1/005.p/17")
        #expect(try TileID(level: 0, index: 1_234_067, width: 112).entriesPath == "tile/entries/x001/x234/067.p/112")
        for path in ["tile/0/x001/x234/067", "tile/1/005.p/17", "tile/63/000.p/1", "tile/0/x001/x234/067.p/255"] {
            #expect(try TileID(path: path).path == path)
        }
        #expect(try TileID(path: "tile/1/005.p/17") == TileID(level: 1, index: 5, width: 17))
        for bad in [
            "tile/0/x001/x234/067.p/256", "tile/0/067.p/0", "tile/0/067.p/012", "tile/64/000", "tile/01/000",
            "tile/0/67", "tiles/0/000", "tile/0", "tile/0/000/", "tile/0/000.p", "tile/0/000.p/", "tile/entries/000",
        ] {
            #expect(throws: LedgerError.self, "\(bad)") { try TileID(path: bad) }
        }
        #expect(throws: LedgerError.self) { try TileID(level: 0, index: 0, width: 0) }
        #expect(throws: LedgerError.self) { try TileID(level: 64, index: 0) }
    }

    /// Entry bundles (docs/ledger.md §7) parse as the level-0 tile they match, and only in canonical form.
    @Test func entryBundlePaths() throws {
        for path in ["tile/entries/000", "tile/entries/x001/x234/067.p/112", "tile/entries/005.p/255"] {
            let id = try TileID(entriesPath: path)
            #expect(id.level == 0)
            #expect(id.entriesPath == path)
        }
        #expect(try TileID(entriesPath: "tile/entries/005.p/17") == TileID(level: 0, index: 5, width: 17))
        for bad in ["tile/entries/", "tile/entries/67", "tile/entries/000.p/256", "tile/0/000", "tile/entries/0/000"] {
            #expect(throws: LedgerError.self, "\(bad)") { try TileID(entriesPath: bad) }
        }
    }

    /// The spec's example: a tree of 70,000 leaves has 273 full and one 112-wide level-0 tile, one full and one
    /// 17-wide level-1 tile, and one 1-wide level-2 tile.
    @Test func tilesOfTheSpecExampleTree() throws {
        let tiles = TileID.tiles(treeSize: 70_000)
        #expect(tiles.filter { $0.level == 0 && !$0.isPartial }.count == 273)
        #expect(tiles.filter { $0.level == 0 && $0.isPartial } == [try TileID(level: 0, index: 273, width: 112)])
        #expect(
            tiles.filter { $0.level == 1 } == [
                try TileID(level: 1, index: 0), try TileID(level: 1, index: 1, width: 17),
            ])
        #expect(tiles.filter { $0.level == 2 } == [try TileID(level: 2, index: 0, width: 1)])
        #expect(tiles.count == 277)
        #expect(
            TileID.tiles(treeSize: 256) == [try TileID(level: 0, index: 0), try TileID(level: 1, index: 0, width: 1)])
        #expect(TileID.tiles(treeSize: 0).isEmpty)
    }

    @Test func changedTilesAfterGrowth() throws {
        #expect(TileID.changedTiles(from: 10, to: 10).isEmpty)
        #expect(TileID.changedTiles(from: 10, to: 20) == [try TileID(level: 0, index: 0, width: 20)])
        #expect(
            TileID.changedTiles(from: 250, to: 600) == [
                try TileID(level: 0, index: 0), try TileID(level: 0, index: 1),
                try TileID(level: 0, index: 2, width: 88),
                try TileID(level: 1, index: 0, width: 2),
            ])
        // Growing step by step writes, in total, every tile the final tree has.
        var written: Set<TileID> = []
        var size: UInt64 = 0
        for step: UInt64 in [1, 255, 1, 300, 65_000, 4443] {
            written.formUnion(TileID.changedTiles(from: size, to: size + step))
            size += step
        }
        #expect(Set(TileID.tiles(treeSize: size)).isSubset(of: written))
    }

    @Test func tileContentsAreTheStoredLevelHashes() throws {
        let leaves = (0..<70_000).map { MerkleHash.leafHash(messageID: syntheticDigest($0)) }
        let log = MerkleLog(leafHashes: leaves)
        let first = try log.tile(try TileID(level: 0, index: 0))
        #expect(first.count == 8192)
        #expect(Array(first[32..<64]) == leaves[1].bytes)
        let levelOne = try log.tile(try TileID(level: 1, index: 1, width: 17))
        #expect(Array(levelOne[0..<32]) == NaiveMerkle.root(leaves[65_536..<65_792]).bytes)
        let top = try log.tile(try TileID(level: 2, index: 0, width: 1))
        #expect(top == NaiveMerkle.root(leaves[0..<65_536]).bytes)
        #expect(throws: ProofError.missingTile(path: "tile/0/273")) { try log.tile(try TileID(level: 0, index: 273)) }
        let grown = log.tiles(changedSince: 69_990)
        #expect(grown.map(\.id) == [try TileID(level: 0, index: 273, width: 112)])
        #expect(grown[0].content.count == 112 * 32)
    }

    /// A client holding only the tiles a proof needs computes the same proofs and roots as the log.
    @Test(arguments: [1, 2, 255, 256, 257, 1000, 65_536, 70_000]) func proofsReadBackFromTiles(size: Int) throws {
        let log = MerkleLog(leafHashes: (0..<size).map { MerkleHash.leafHash(messageID: syntheticDigest($0)) })
        let treeSize = UInt64(size)
        var random = SeededGenerator(seed: UInt64(size))
        for _ in 0..<10 {
            let index = UInt64.random(in: 0..<treeSize, using: &random)
            let needed = try TileID.required(forInclusionOf: index, treeSize: treeSize)
            let reader = try TileHashReader(
                treeSize: treeSize, tiles: Dictionary(uniqueKeysWithValues: try needed.map { ($0, try log.tile($0)) }))
            #expect(
                try reader.inclusionProof(index: index, size: treeSize)
                    == log.inclusionProof(index: index, size: treeSize))
            let size1 = UInt64.random(in: 1...treeSize, using: &random)
            let consistencyTiles = try TileID.required(forConsistencyFrom: size1, to: treeSize)
            let consistencyReader = try TileHashReader(
                treeSize: treeSize,
                tiles: Dictionary(uniqueKeysWithValues: try consistencyTiles.map { ($0, try log.tile($0)) }))
            #expect(
                try consistencyReader.consistencyProof(from: size1, to: treeSize)
                    == log.consistencyProof(from: size1, to: treeSize))
        }
        let rootTiles = TileID.required(forRootOf: treeSize)
        let rootReader = try TileHashReader(
            treeSize: treeSize, tiles: Dictionary(uniqueKeysWithValues: try rootTiles.map { ($0, try log.tile($0)) }))
        #expect(try rootReader.rootHash(size: treeSize) == log.root)
        #expect(rootTiles.count <= 3)
    }

    @Test func readerRejectsMissingAndMalformedTiles() throws {
        let log = MerkleLog(leafHashes: (0..<600).map { MerkleHash.leafHash(messageID: syntheticDigest($0)) })
        let full = try TileID(level: 0, index: 0)
        #expect(throws: ProofError.malformedTile(path: "tile/0/000", byteCount: 32, expected: 8192)) {
            try TileHashReader(treeSize: 600, tiles: [full: Array(repeating: 0, count: 32)])
        }
        let reader = try TileHashReader(treeSize: 600, tiles: [full: try log.tile(full)])
        #expect(throws: ProofError.missingTile(path: "tile/1/000.p/2")) {
            try reader.inclusionProof(index: 590, size: 600)
        }
        #expect(throws: ProofError.self) { try reader.hash(level: 0, index: 600) }
        // A narrower (stale) partial tile cannot serve hashes beyond its width.
        let stale = try TileID(level: 0, index: 2, width: 10)
        let staleReader = try TileHashReader(treeSize: 600, tiles: [stale: try log.tile(stale)])
        #expect(throws: ProofError.missingTile(path: "tile/0/002.p/88")) { try staleReader.hash(level: 0, index: 530) }
    }

    @Test func forgedTilesYieldProofsThatFailVerification() throws {
        let log = MerkleLog(leafHashes: (0..<300).map { MerkleHash.leafHash(messageID: syntheticDigest($0)) })
        let needed = try TileID.required(forInclusionOf: 17, treeSize: 300)
        var tiles = Dictionary(uniqueKeysWithValues: try needed.map { ($0, try log.tile($0)) })
        let zero = try TileID(level: 0, index: 0)
        tiles[zero]![100 * 32] ^= 1
        let proof = try TileHashReader(treeSize: 300, tiles: tiles).inclusionProof(index: 17, size: 300)
        #expect(throws: ProofError.self) {
            try MerkleVerifier.verifyInclusion(
                leafHash: try log.leafHash(at: 17), index: 17, size: 300, proof: proof, root: log.root)
        }
    }
}
