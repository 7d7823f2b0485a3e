import CustosCore
import CustosCrypto
import CustosLedger
import Testing

@Suite struct MilestoneChainTests {
    static let networkID = LedgerMessage.networkID(forName: "custos-chain")
    static let tip = [syntheticDigest(1, salt: "tip")]

    static func milestone(
        index: UInt32, timestamp: UInt64, previous: Digest32, logSize: UInt64 = 10, key: Ed25519.PrivateKey,
        nextKey: Ed25519.PublicKey? = nil, networkID: UInt64 = networkID
    ) throws -> LedgerMessage {
        let essence = try MilestoneEssence(
            index: index, timestamp: timestamp, previousMilestoneID: previous, parents: tip, logSize: logSize,
            logRoot: syntheticDigest(Int(logSize), salt: "root"), nextCoordinatorKey: nextKey)
        return try LedgerMessage(
            networkID: networkID, parents: tip, payload: .milestone(essence.signed(networkID: networkID, by: key)))
    }

    @Test func acceptsAChainWithKeyRotation() throws {
        let first = seededKey(1)
        let second = seededKey(2)
        var chain = MilestoneChain(networkID: Self.networkID, coordinatorKey: first.publicKey)
        let one = try Self.milestone(index: 1, timestamp: 100, previous: .zero, key: first)
        try chain.accept(one)
        let two = try Self.milestone(
            index: 2, timestamp: 200, previous: one.id, logSize: 12, key: first, nextKey: second.publicKey)
        try chain.accept(two)
        #expect(chain.coordinatorKey == second.publicKey)
        // After rotation the old key no longer signs.
        var copy = chain
        #expect(throws: LedgerError.self) {
            try copy.accept(try Self.milestone(index: 3, timestamp: 300, previous: two.id, logSize: 12, key: first))
        }
        try chain.accept(try Self.milestone(index: 3, timestamp: 300, previous: two.id, logSize: 12, key: second))
        #expect(chain.index == 3)
        #expect(chain.logSize == 12)
    }

    @Test func rejectsBrokenLinks() throws {
        let key = seededKey(1)
        var chain = MilestoneChain(networkID: Self.networkID, coordinatorKey: key.publicKey)
        let one = try Self.milestone(index: 1, timestamp: 100, previous: .zero, key: key)
        try chain.accept(one)
        let bad: [LedgerMessage] = [
            try Self.milestone(index: 3, timestamp: 200, previous: one.id, key: key),
            try Self.milestone(index: 2, timestamp: 100, previous: one.id, key: key),
            try Self.milestone(index: 2, timestamp: 200, previous: .zero, key: key),
            try Self.milestone(index: 2, timestamp: 200, previous: one.id, logSize: 9, key: key),
            try Self.milestone(index: 2, timestamp: 200, previous: one.id, key: seededKey(5)),
            try Self.milestone(index: 2, timestamp: 200, previous: one.id, key: key, networkID: Self.networkID + 1),
            try LedgerMessage(
                networkID: Self.networkID, parents: Self.tip, payload: .taggedData(try TaggedData(tag: [], data: []))),
        ]
        for message in bad {
            var copy = chain
            #expect(throws: LedgerError.self) { try copy.accept(message) }
        }
        try chain.accept(try Self.milestone(index: 2, timestamp: 200, previous: one.id, key: key))
    }
}
