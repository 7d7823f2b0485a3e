import CustosCore
import CustosLedger
import Testing

/// The verified RFC 6962 vectors of protocols.md §4.1 (transparency-dev/merkle testonly and verify_test.go).
@Suite struct MerkleVectorTests {
    static let entries: [[UInt8]] = [
        [], [0x00], [0x10], [0x20, 0x21], [0x30, 0x31], [0x40, 0x41, 0x42, 0x43],
        [0x50, 0x51, 0x52, 0x53, 0x54, 0x55, 0x56, 0x57],
        [0x60, 0x61, 0x62, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68, 0x69, 0x6a, 0x6b, 0x6c, 0x6d, 0x6e, 0x6f],
    ]
    static let leafHashes = entries.map { MerkleHash.leafHash($0) }

    static let roots = [
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
        "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
        "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
        "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
        "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
        "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
    ].map(digest)

    static let h96a2 = "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7"
    static let h5f08 = "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e"
    static let h6b47 = "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"
    static let hbc1a = "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"
    static let hca85 = "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0"
    static let hd37e = "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"
    static let hfac5 = "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"
    static let h6e34 = "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d"
    static let h0ebc = "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a"
    static let hb086 = "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f"

    struct InclusionVector: Sendable, CustomTestStringConvertible {
        let index: UInt64
        let size: UInt64
        let proof: [String]
        var testDescription: String { "(\(index), \(size))" }
    }

    struct ConsistencyVector: Sendable, CustomTestStringConvertible {
        let size1: UInt64
        let size2: UInt64
        let proof: [String]
        var testDescription: String { "\(size1)→\(size2)" }
    }

    static let inclusionVectors = [
        InclusionVector(index: 0, size: 8, proof: [h96a2, h5f08, h6b47]),
        InclusionVector(index: 5, size: 8, proof: [hbc1a, hca85, hd37e]),
        InclusionVector(index: 2, size: 3, proof: [hfac5]),
        InclusionVector(index: 1, size: 5, proof: [h6e34, h5f08, hbc1a]),
        InclusionVector(index: 0, size: 1, proof: []),
    ]

    static let consistencyVectors = [
        ConsistencyVector(size1: 6, size2: 8, proof: [h0ebc, hca85, hd37e]),
        ConsistencyVector(size1: 2, size2: 5, proof: [h5f08, hbc1a]),
        ConsistencyVector(size1: 6, size2: 7, proof: [h0ebc, hb086, hd37e]),
        ConsistencyVector(size1: 1, size2: 8, proof: [h96a2, h5f08, h6b47]),
        ConsistencyVector(size1: 8, size2: 8, proof: []),
    ]

    @Test func rootsForSizesZeroToEight() throws {
        #expect(MerkleHash.emptyRoot == Self.roots[0])
        var log = MerkleLog()
        #expect(log.root == Self.roots[0])
        for (size, leafHash) in Self.leafHashes.enumerated() {
            log.append(leafHash: leafHash)
            #expect(log.root == Self.roots[size + 1], "size \(size + 1)")
            #expect(MerkleTree.root(leafHashes: Array(Self.leafHashes.prefix(size + 1))) == Self.roots[size + 1])
        }
        for size in 0...8 {
            #expect(try log.rootHash(size: UInt64(size)) == Self.roots[size], "historic root of size \(size)")
        }
    }

    @Test(arguments: inclusionVectors) func inclusionProofs(_ vector: InclusionVector) throws {
        let expected = vector.proof.map(digest)
        let log = MerkleLog(leafHashes: Self.leafHashes)
        #expect(try log.inclusionProof(index: vector.index, size: vector.size) == expected)
        #expect(
            try MerkleTree.inclusionProof(index: vector.index, size: vector.size, leafHashes: Self.leafHashes)
                == expected)
        try MerkleVerifier.verifyInclusion(
            leafHash: Self.leafHashes[Int(vector.index)], index: vector.index, size: vector.size, proof: expected,
            root: Self.roots[Int(vector.size)])
    }

    @Test(arguments: consistencyVectors) func consistencyProofs(_ vector: ConsistencyVector) throws {
        let expected = vector.proof.map(digest)
        let log = MerkleLog(leafHashes: Self.leafHashes)
        #expect(try log.consistencyProof(from: vector.size1, to: vector.size2) == expected)
        #expect(
            try MerkleTree.consistencyProof(from: vector.size1, to: vector.size2, leafHashes: Self.leafHashes)
                == expected)
        try MerkleVerifier.verifyConsistency(
            size1: vector.size1, size2: vector.size2, proof: expected, root1: Self.roots[Int(vector.size1)],
            root2: Self.roots[Int(vector.size2)])
    }

    /// The corruption probes of verify_test.go: wrong index ±1, wrong size ×2 and /2, a flipped bit in each
    /// element, truncation, and an extra element at the front or back.
    @Test(arguments: inclusionVectors) func inclusionCorruptionProbes(_ vector: InclusionVector) {
        let proof = vector.proof.map(digest)
        let leaf = Self.leafHashes[Int(vector.index)]
        let root = Self.roots[Int(vector.size)]
        func rejects(index: UInt64, size: UInt64, proof: [Digest32], root: Digest32) -> Bool {
            (try? MerkleVerifier.verifyInclusion(leafHash: leaf, index: index, size: size, proof: proof, root: root))
                == nil
        }
        #expect(rejects(index: vector.index + 1, size: vector.size, proof: proof, root: root))
        if vector.index > 0 { #expect(rejects(index: vector.index - 1, size: vector.size, proof: proof, root: root)) }
        #expect(rejects(index: vector.index, size: vector.size * 2, proof: proof, root: root))
        #expect(rejects(index: vector.index, size: vector.size / 2, proof: proof, root: root))
        for position in proof.indices {
            for bit in [0, 7, 128, 255] {
                var corrupted = proof
                corrupted[position] = flipped(proof[position], bit: bit)
                #expect(rejects(index: vector.index, size: vector.size, proof: corrupted, root: root))
            }
        }
        if !proof.isEmpty {
            #expect(rejects(index: vector.index, size: vector.size, proof: Array(proof.dropLast()), root: root))
        }
        #expect(rejects(index: vector.index, size: vector.size, proof: [leaf] + proof, root: root))
        #expect(rejects(index: vector.index, size: vector.size, proof: proof + [leaf], root: root))
        #expect(rejects(index: vector.index, size: vector.size, proof: proof, root: Self.roots[0]))
        #expect(rejects(index: vector.index, size: vector.size, proof: proof, root: flipped(root, bit: 3)))
    }

    @Test(arguments: consistencyVectors) func consistencyCorruptionProbes(_ vector: ConsistencyVector) {
        let proof = vector.proof.map(digest)
        let root1 = Self.roots[Int(vector.size1)]
        let root2 = Self.roots[Int(vector.size2)]
        func rejects(_ size1: UInt64, _ size2: UInt64, _ proof: [Digest32], _ root1: Digest32, _ root2: Digest32)
            -> Bool
        {
            (try? MerkleVerifier.verifyConsistency(size1: size1, size2: size2, proof: proof, root1: root1, root2: root2))
                == nil
        }
        #expect(rejects(vector.size1 - 1, vector.size2, proof, root1, root2))
        #expect(rejects(vector.size1 + 1, vector.size2, proof, root1, root2))
        #expect(rejects(vector.size1, vector.size2 * 2, proof, root1, root2))
        #expect(rejects(vector.size1 ^ 2, vector.size2, proof, root1, root2))
        #expect(rejects(vector.size1, vector.size2 / 2, proof, root1, root2))
        for position in proof.indices {
            var corrupted = proof
            corrupted[position] = flipped(proof[position], bit: 42)
            #expect(rejects(vector.size1, vector.size2, corrupted, root1, root2))
        }
        if !proof.isEmpty { #expect(rejects(vector.size1, vector.size2, Array(proof.dropLast()), root1, root2)) }
        if !proof.isEmpty { #expect(rejects(vector.size1, vector.size2, Array(proof.dropFirst()), root1, root2)) }
        #expect(rejects(vector.size1, vector.size2, [root1] + proof, root1, root2))
        #expect(rejects(vector.size1, vector.size2, proof + [root1], root1, root2))
        #expect(rejects(vector.size1, vector.size2, proof, root2 == root1 ? Self.roots[0] : root2, root1))
        #expect(rejects(vector.size1, vector.size2, proof, flipped(root1, bit: 9), root2))
        #expect(rejects(vector.size1, vector.size2, proof, root1, flipped(root2, bit: 9)))
    }

    @Test func verifierErrorsNameTheNumbers() {
        let proof = Self.inclusionVectors[1].proof.map(digest)
        #expect(throws: ProofError.inclusionProofLength(actual: 2, expected: 3, index: 5, size: 8)) {
            try MerkleVerifier.verifyInclusion(
                leafHash: Self.leafHashes[5], index: 5, size: 8, proof: Array(proof.prefix(2)), root: Self.roots[8])
        }
        let error = ProofError.inclusionProofLength(actual: 3, expected: 4, index: 5, size: 12)
        #expect(error.description == "inclusion proof has 3 hashes, expected 4 for index 5 in a tree of 12")
        #expect(throws: ProofError.indexOutOfRange(index: 8, size: 8)) {
            try MerkleVerifier.verifyInclusion(
                leafHash: Self.leafHashes[5], index: 8, size: 8, proof: proof, root: Self.roots[8])
        }
        #expect(throws: ProofError.consistencySizesReversed(size1: 8, size2: 6)) {
            try MerkleVerifier.verifyConsistency(
                size1: 8, size2: 6, proof: [], root1: Self.roots[8], root2: Self.roots[6])
        }
        #expect(throws: ProofError.consistencyFromEmptyTree(size2: 8)) {
            try MerkleVerifier.verifyConsistency(
                size1: 0, size2: 8, proof: [], root1: Self.roots[0], root2: Self.roots[8])
        }
        #expect(throws: ProofError.equalSizesDifferentRoots(size: 8, root1: Self.roots[8], root2: Self.roots[7])) {
            try MerkleVerifier.verifyConsistency(
                size1: 8, size2: 8, proof: [], root1: Self.roots[8], root2: Self.roots[7])
        }
    }
}
