import CustosCore
import CustosCrypto
import CustosLedger
import Testing

@Suite struct MilestoneTests {
    static let networkID = LedgerMessage.networkID(forName: "custos-test")
    static let coordinator = seededKey(0x11)
    static let parents = [syntheticDigest(2, salt: "tip"), syntheticDigest(1, salt: "tip")]

    static func essence(nextKey: Ed25519.PublicKey? = nil) throws -> MilestoneEssence {
        try MilestoneEssence(
            index: 3, timestamp: 1_750_000_000_123, previousMilestoneID: syntheticDigest(9, salt: "milestone"),
            parents: parents, logSize: 42, logRoot: syntheticDigest(42, salt: "root"), nextCoordinatorKey: nextKey)
    }

    @Test func signAndVerify() throws {
        let milestone = try Self.essence().signed(networkID: Self.networkID, by: Self.coordinator)
        try milestone.verifySignature(networkID: Self.networkID, key: Self.coordinator.publicKey)
        #expect(throws: LedgerError.self) {
            try milestone.verifySignature(networkID: Self.networkID, key: seededKey(0x12).publicKey)
        }
        // The network id is part of the signing input: a milestone cannot be replayed on another ledger.
        #expect(throws: LedgerError.self) {
            try milestone.verifySignature(networkID: Self.networkID + 1, key: Self.coordinator.publicKey)
        }
        let input = milestone.essence.signingInput(networkID: Self.networkID)
        #expect(input.starts(with: Array("custos/milestone/v1".utf8) + [0]))
        #expect(Self.coordinator.publicKey.isValidSignature(milestone.signature, for: input))
    }

    @Test func roundTripInsideAMessage() throws {
        let rotated = seededKey(0x22).publicKey
        for nextKey in [nil, rotated] {
            let milestone = try Self.essence(nextKey: nextKey).signed(networkID: Self.networkID, by: Self.coordinator)
            let message = try LedgerMessage(
                networkID: Self.networkID, parents: Self.parents, payload: .milestone(milestone))
            let parsed = try LedgerMessage(bytes: message.serialized())
            #expect(parsed == message)
            #expect(parsed.payload.milestone == milestone)
            #expect(parsed.payload.taggedData == nil)
            #expect(parsed.payload.milestone?.essence.nextCoordinatorKey == nextKey)
            #expect(parsed.payload.milestone?.essence.parents == Self.parents.sorted())
        }
        let milestone = try Self.essence().signed(networkID: Self.networkID, by: Self.coordinator)
        #expect(throws: LedgerError("milestone parents must equal the message's parents")) {
            try LedgerMessage(networkID: Self.networkID, parents: [Self.parents[0]], payload: .milestone(milestone))
        }
    }

    /// The serialized payload: `type | index | timestamp | previous | count | parents | logSize | logRoot | flag
    /// [| key] | signature`.
    @Test func layoutIsAsDocumented() throws {
        let milestone = try Self.essence().signed(networkID: Self.networkID, by: Self.coordinator)
        let message = try LedgerMessage(
            networkID: Self.networkID, parents: Self.parents, payload: .milestone(milestone))
        let bytes = message.serialized()
        let payload = Array(bytes[(10 + 64 + 4)..<(bytes.count - 8)])
        #expect(payload.count == 4 + 4 + 8 + 32 + 1 + 64 + 8 + 32 + 1 + 64)
        #expect(Array(payload[0..<4]) == [7, 0, 0, 0])
        #expect(Array(payload[4..<8]) == [3, 0, 0, 0])
        #expect(Array(payload[48..<49]) == [2])
        #expect(payload[4 + 4 + 8 + 32 + 1 + 64 + 8 + 32] == 0)
        #expect(Array(payload.suffix(64)) == milestone.signature)
        // The signing input is the 20-byte prefix, the network id, then the payload up to the signature.
        let input = milestone.essence.signingInput(networkID: Self.networkID)
        #expect(Array(input.dropFirst(28)) == Array(payload.dropLast(64)))
        #expect(Array(input[20..<28]) == withUnsafeBytes(of: Self.networkID.littleEndian) { Array($0) })
    }

    @Test func adversarialMilestoneDecodes() throws {
        let milestone = try Self.essence(nextKey: seededKey(0x22).publicKey)
            .signed(networkID: Self.networkID, by: Self.coordinator)
        let bytes = try LedgerMessage(networkID: Self.networkID, parents: Self.parents, payload: .milestone(milestone))
            .serialized()
        let payloadStart = 10 + 64 + 4
        for length in stride(from: 0, to: bytes.count, by: 7) {
            #expect(throws: LedgerError.self) { try LedgerMessage(bytes: Array(bytes.prefix(length))) }
        }
        let flagOffset = payloadStart + 4 + 4 + 8 + 32 + 1 + 64 + 8 + 32
        var badFlag = bytes
        badFlag[flagOffset] = 2
        #expect(throws: LedgerError("next coordinator key flag must be 0 or 1, got 2")) {
            try LedgerMessage(bytes: badFlag)
        }
        var swapped = bytes
        let first = payloadStart + 49
        swapped.replaceSubrange(first..<first + 64, with: bytes[first + 32..<first + 64] + bytes[first..<first + 32])
        #expect(throws: LedgerError("milestone parents must be sorted and unique")) {
            try LedgerMessage(bytes: swapped)
        }
        var noParents = bytes
        noParents[payloadStart + 48] = 0
        #expect(throws: LedgerError.self) { try LedgerMessage(bytes: noParents) }
        // Any flipped bit in the essence or signature invalidates the signature.
        for offset in [payloadStart + 5, payloadStart + 20, flagOffset - 1, flagOffset + 5, bytes.count - 20] {
            var tampered = bytes
            tampered[offset] ^= 0x40
            let parsed = try LedgerMessage(bytes: tampered)
            #expect(throws: LedgerError.self) {
                try parsed.payload.milestone?.verifySignature(
                    networkID: Self.networkID, key: Self.coordinator.publicKey)
            }
        }
        #expect(throws: LedgerError("milestone signature must be 64 bytes, got 63")) {
            try Milestone(essence: try Self.essence(), signature: .init(repeating: 0, count: 63))
        }
        #expect(throws: LedgerError.self) {
            try MilestoneEssence(
                index: 1, timestamp: 0, previousMilestoneID: .zero, parents: [], logSize: 0,
                logRoot: MerkleHash.emptyRoot)
        }
        #expect(throws: LedgerError.self) {
            try MilestoneEssence(
                index: 1, timestamp: 0, previousMilestoneID: .zero, parents: (0..<9).map { syntheticDigest($0) },
                logSize: 0,
                logRoot: MerkleHash.emptyRoot)
        }
    }

    @Test func checkpointOfAMilestone() throws {
        let essence = try Self.essence()
        let checkpoint = try essence.checkpoint(origin: "custos.example/acme")
        #expect(checkpoint.size == 42)
        #expect(checkpoint.root == essence.logRoot)
    }
}
