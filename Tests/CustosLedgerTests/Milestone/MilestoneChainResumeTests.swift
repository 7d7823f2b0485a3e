import CustosCore
import CustosCrypto
import Testing

@testable import CustosLedger

@Suite("Resuming a milestone chain from a pin")
struct MilestoneChainResumeTests {
    private let networkID = LedgerMessage.networkID(forName: "resume")
    private let key = try! Ed25519.PrivateKey(seed: [UInt8](repeating: 3, count: 32))
    private let nextKey = try! Ed25519.PrivateKey(seed: [UInt8](repeating: 4, count: 32))

    private func milestone(
        index: UInt32, previous: Digest32, signer: Ed25519.PrivateKey, announcing: Ed25519.PublicKey? = nil
    ) throws -> LedgerMessage {
        let parent = LedgerMessage.genesisParent(networkID: networkID)
        let essence = try MilestoneEssence(
            index: index, timestamp: 1_000 + UInt64(index), previousMilestoneID: previous, parents: [parent],
            logSize: UInt64(index), logRoot: Digest32.zero, nextCoordinatorKey: announcing)
        return try LedgerMessage(
            networkID: networkID, parents: [parent],
            payload: .milestone(essence.signed(networkID: networkID, by: signer)))
    }

    @Test("a pinned milestone resumes the chain; its successors and an announced rotation are accepted")
    func resume() throws {
        let first = try milestone(index: 5, previous: .zero, signer: key, announcing: nextKey.publicKey)
        var chain = try MilestoneChain(resumingAfter: first, signer: key.publicKey)
        #expect(chain.index == 5 && chain.lastMilestoneID == first.id)
        #expect(chain.coordinatorKey == nextKey.publicKey, "the pin's announcement is honoured")
        let second = try milestone(index: 6, previous: first.id, signer: nextKey)
        try chain.accept(second)
        #expect(chain.index == 6)
    }

    @Test("a pin signed by another key, a gap, a wrong link or the old key after a rotation are rejected")
    func rejections() throws {
        let first = try milestone(index: 5, previous: .zero, signer: key, announcing: nextKey.publicKey)
        #expect(throws: LedgerError.self) { try MilestoneChain(resumingAfter: first, signer: nextKey.publicKey) }
        let chain = try MilestoneChain(resumingAfter: first, signer: key.publicKey)
        let cases = [
            try milestone(index: 7, previous: first.id, signer: nextKey),
            try milestone(index: 6, previous: .zero, signer: nextKey),
            try milestone(index: 6, previous: first.id, signer: key),
        ]
        for bad in cases {
            var copy = chain
            #expect(throws: LedgerError.self) { try copy.accept(bad) }
        }
    }
}
