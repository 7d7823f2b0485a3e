import CustosCore
import CustosLedger
import Testing

@Suite struct MerkleLogTests {
    @Test func appendReturnsIndicesAndKeepsCompleteSubtrees() throws {
        var log = MerkleLog()
        for value in 0..<1000 {
            #expect(log.append(messageID: syntheticDigest(value)) == UInt64(value))
        }
        #expect(log.size == 1000)
        for level in 0..<12 { #expect(log.hashCount(level: level) == 1000 >> level) }
        // The stored hash at (level, index) is the root of that aligned subtree.
        let leaves = (0..<1000).map { MerkleHash.leafHash(messageID: syntheticDigest($0)) }
        #expect(try log.hash(level: 3, index: 5) == NaiveMerkle.root(leaves[40..<48]))
        #expect(try log.hash(level: 9, index: 0) == NaiveMerkle.root(leaves[0..<512]))
        #expect(try log.leafHash(at: 999) == leaves[999])
        #expect(throws: ProofError.indexOutOfRange(index: 1000, size: 1000)) { try log.leafHash(at: 1000) }
        #expect(throws: ProofError.self) { try log.hash(level: 9, index: 1) }
        #expect(throws: ProofError.sizeBeyondLog(size: 1001, available: 1000)) {
            try log.inclusionProof(index: 3, size: 1001)
        }
        #expect(throws: ProofError.indexOutOfRange(index: 7, size: 7)) { try log.inclusionProof(index: 7, size: 7) }
        #expect(throws: ProofError.consistencySizesReversed(size1: 9, size2: 8)) {
            try log.consistencyProof(from: 9, to: 8)
        }
        #expect(throws: ProofError.consistencyFromEmptyTree(size2: 8)) { try log.consistencyProof(from: 0, to: 8) }
    }

    @Test func restoringFromTileBytesGivesTheSameLog() throws {
        let leaves = (0..<700).map { MerkleHash.leafHash(messageID: syntheticDigest($0)) }
        let original = MerkleLog(leafHashes: leaves)
        var restored = MerkleLog()
        for tile in TileID.tiles(treeSize: 700) where tile.level == 0 {
            try restored.append(concatenatedLeafHashes: try original.tile(tile))
        }
        #expect(restored == original)
        #expect(restored.root == original.root)
        #expect(try restored.hash(level: 8, index: 1) == original.hash(level: 8, index: 1))
        #expect(throws: LedgerError.self) { try restored.append(concatenatedLeafHashes: [1, 2, 3]) }
        #expect(throws: ProofError.self) { try original.hashes(level: 0, from: 690, count: 11) }
        #expect(throws: ProofError.self) { try original.hashes(level: 0, from: 0, count: -1) }
        #expect(try original.hashes(level: 0, from: 690, count: 10).count == 320)
    }

    @Test func leafHashIsSHA256OfZeroAndMessageID() {
        let id = syntheticDigest(1)
        #expect(MerkleHash.leafHash(messageID: id) == MerkleHash.leafHash(id.bytes))
        #expect(MerkleHash.nodeHash(id, id) == NaiveMerkle.node(id, id))
    }

    @Test func equalityFollowsTheLeaves() {
        let leaves = (0..<10).map { syntheticDigest($0) }
        #expect(MerkleLog(leafHashes: leaves) == MerkleLog(leafHashes: leaves))
        #expect(MerkleLog(leafHashes: leaves) != MerkleLog(leafHashes: leaves.dropLast()))
    }

    /// The ingest path must stay amortised O(1): one leaf hash and about one node hash per append.
    @Test func appendingHundredThousandLeavesIsFast() {
        let ids = (0..<100_000).map { syntheticDigest($0) }
        let clock = ContinuousClock()
        var log = MerkleLog()
        let elapsed = clock.measure {
            for id in ids { log.append(messageID: id) }
        }
        #expect(log.size == 100_000)
        #expect(elapsed < .seconds(5), "100k appends took \(elapsed)")
    }
}
