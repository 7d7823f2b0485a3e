import CustosCore
import CustosLedger
import Testing

/// Proofs from `MerkleLog` against the naive recursive definitions, and adversarial mutations of valid proofs.
@Suite struct MerklePropertyTests {
    static let leaves = (0..<320).map { MerkleHash.leafHash(syntheticDigest($0).bytes) }
    static let log = MerkleLog(leafHashes: leaves)

    @Test func rootsMatchTheDefinitionForEverySize() throws {
        for size in 0...Self.leaves.count {
            #expect(try Self.log.rootHash(size: UInt64(size)) == NaiveMerkle.root(Self.leaves[..<size]), "size \(size)")
        }
        #expect(Self.log.root == NaiveMerkle.root(Self.leaves[...]))
    }

    @Test(arguments: [1, 2, 3]) func randomInclusionProofsMatchAndVerify(seed: UInt64) throws {
        var random = SeededGenerator(seed: seed)
        for _ in 0..<200 {
            let size = Int.random(in: 1...300, using: &random)
            let index = Int.random(in: 0..<size, using: &random)
            let proof = try Self.log.inclusionProof(index: UInt64(index), size: UInt64(size))
            #expect(proof == NaiveMerkle.path(index, Self.leaves[..<size]), "index \(index) size \(size)")
            #expect(
                proof.count == MerkleVerifier.expectedInclusionProofLength(index: UInt64(index), size: UInt64(size)))
            try MerkleVerifier.verifyInclusion(
                leafHash: Self.leaves[index], index: UInt64(index), size: UInt64(size), proof: proof,
                root: NaiveMerkle.root(Self.leaves[..<size]))
        }
    }

    @Test(arguments: [4, 5, 6]) func randomConsistencyProofsMatchAndVerify(seed: UInt64) throws {
        var random = SeededGenerator(seed: seed)
        for _ in 0..<200 {
            let size2 = Int.random(in: 1...300, using: &random)
            let size1 = Int.random(in: 1...size2, using: &random)
            let proof = try Self.log.consistencyProof(from: UInt64(size1), to: UInt64(size2))
            #expect(proof == NaiveMerkle.consistency(size1, size2, Self.leaves), "\(size1)→\(size2)")
            #expect(
                proof.count == MerkleVerifier.expectedConsistencyProofLength(size1: UInt64(size1), size2: UInt64(size2))
            )
            try MerkleVerifier.verifyConsistency(
                size1: UInt64(size1), size2: UInt64(size2), proof: proof,
                root1: NaiveMerkle.root(Self.leaves[..<size1]),
                root2: NaiveMerkle.root(Self.leaves[..<size2]))
        }
    }

    @Test func exhaustiveSmallTrees() throws {
        for size in 1...40 {
            let root = NaiveMerkle.root(Self.leaves[..<size])
            for index in 0..<size {
                let proof = try Self.log.inclusionProof(index: UInt64(index), size: UInt64(size))
                #expect(proof == NaiveMerkle.path(index, Self.leaves[..<size]))
                try MerkleVerifier.verifyInclusion(
                    leafHash: Self.leaves[index], index: UInt64(index), size: UInt64(size), proof: proof, root: root)
            }
            for size1 in 1...size {
                let proof = try Self.log.consistencyProof(from: UInt64(size1), to: UInt64(size))
                #expect(proof == NaiveMerkle.consistency(size1, size, Self.leaves))
                try MerkleVerifier.verifyConsistency(
                    size1: UInt64(size1), size2: UInt64(size), proof: proof,
                    root1: NaiveMerkle.root(Self.leaves[..<size1]), root2: root)
            }
        }
    }

    @Test(arguments: [7, 8]) func mutatedInclusionProofsAreRejected(seed: UInt64) throws {
        var random = SeededGenerator(seed: seed)
        let otherLog = MerkleLog(
            leafHashes: (0..<300).map { MerkleHash.leafHash(syntheticDigest($0, salt: "x").bytes) })
        for _ in 0..<60 {
            let size = UInt64.random(in: 2...300, using: &random)
            let index = UInt64.random(in: 0..<size, using: &random)
            let leaf = Self.leaves[Int(index)]
            let root = try Self.log.rootHash(size: size)
            let proof = try Self.log.inclusionProof(index: index, size: size)
            func rejected(_ proof: [Digest32], index: UInt64 = index, size: UInt64 = size, root: Digest32 = root)
                -> Bool
            {
                (try? MerkleVerifier.verifyInclusion(leafHash: leaf, index: index, size: size, proof: proof, root: root))
                    == nil
            }
            for position in proof.indices {
                var corrupted = proof
                corrupted[position] = flipped(proof[position], bit: Int.random(in: 0..<256, using: &random))
                #expect(rejected(corrupted))
            }
            #expect(rejected(proof, index: (index + 1) % size))
            #expect(rejected(proof, index: index + size))
            #expect(rejected(proof, size: size * 2))
            #expect(rejected(Array(proof.dropLast())))
            #expect(rejected(proof + [leaf]))
            #expect(rejected([leaf] + proof))
            #expect(rejected(try otherLog.inclusionProof(index: index, size: size)))
            #expect(rejected(proof, root: try otherLog.rootHash(size: size)))
        }
    }

    @Test(arguments: [9, 10]) func mutatedConsistencyProofsAreRejected(seed: UInt64) throws {
        var random = SeededGenerator(seed: seed)
        let otherLog = MerkleLog(
            leafHashes: (0..<300).map { MerkleHash.leafHash(syntheticDigest($0, salt: "y").bytes) })
        for _ in 0..<60 {
            let size2 = UInt64.random(in: 3...300, using: &random)
            let size1 = UInt64.random(in: 1..<size2, using: &random)
            let root1 = try Self.log.rootHash(size: size1)
            let root2 = try Self.log.rootHash(size: size2)
            let proof = try Self.log.consistencyProof(from: size1, to: size2)
            func rejected(
                _ proof: [Digest32], _ size1: UInt64 = size1, _ size2: UInt64 = size2, root1: Digest32 = root1,
                root2: Digest32 = root2
            ) -> Bool {
                (try? MerkleVerifier.verifyConsistency(
                    size1: size1, size2: size2, proof: proof, root1: root1, root2: root2)) == nil
            }
            for position in proof.indices {
                var corrupted = proof
                corrupted[position] = flipped(proof[position], bit: Int.random(in: 0..<256, using: &random))
                #expect(rejected(corrupted))
            }
            #expect(rejected(Array(proof.dropLast())))
            #expect(rejected(Array(proof.dropFirst())))
            #expect(rejected(proof + [root1]))
            #expect(rejected([root1] + proof))
            #expect(rejected(proof, root1: root2, root2: root1))
            #expect(rejected(proof, size2, size1))
            #expect(rejected(proof, 0, size2))
            #expect(rejected(try otherLog.consistencyProof(from: size1, to: size2)))
            #expect(rejected(proof, root1: try otherLog.rootHash(size: size1)))
            #expect(rejected(proof, root2: try otherLog.rootHash(size: size2)))
        }
    }
}
