import CustosCore
import CustosCrypto
import CustosLedger
import Foundation
import Testing

@testable import CustosLedgerService

private let tenant = try! TenantID(validating: "acme")
private let network = NetworkRow(
    name: "acme", networkID: LedgerMessage.networkID(forName: "acme"), origin: "custos.test/acme")
private let key0 = CoordinatorKey(index: 0, privateKey: try! Ed25519.PrivateKey(seed: [UInt8](repeating: 7, count: 32)))
private let key1 = CoordinatorKey(index: 1, privateKey: try! Ed25519.PrivateKey(seed: [UInt8](repeating: 8, count: 32)))

private func fresh() -> TenantLedgerState {
    TenantLedgerState(
        tenant: tenant, network: network, coordinator: key0, nextCoordinator: nil, log: MerkleLog(), lastMilestone: nil,
        unconfirmedRows: [], nextSeq: 1)
}

private func items(_ count: Int, from start: Int = 0) -> [LedgerEntry] {
    (start..<start + count).map {
        try! LedgerEntry(
            payload: try! TaggedData(tag: Array("t".utf8), data: Array("entry \($0)".utf8)), contentType: "text/plain")
    }
}

@Suite("Tenant ledger state machine")
struct TenantLedgerStateTests {
    @Test("entries attach to the tips and a milestone confirms them all into a signed, verifiable log")
    func attachAndConfirm() throws {
        var state = fresh()
        let stored = try state.attach(items(10), receivedAt: Date())
        #expect(stored.map(\.seq) == Array(1...10))
        #expect(stored[0].message.parents == [LedgerMessage.genesisParent(networkID: network.networkID)])
        for (previous, next) in zip(stored, stored.dropFirst()) { #expect(next.message.parents.contains(previous.id)) }
        #expect(Set(stored.map(\.id)).count == 10)

        let commit = try state.prepareMilestone(now: Date())
        #expect(commit.leaves == stored.map(\.id), "white-flag order of a chain is its attach order")
        #expect(commit.firstLeafIndex == 0 && commit.row.logSize == 10 && commit.row.index == 1)
        let checkpoint = try Checkpoint.verified(note: commit.row.checkpoint, keys: [try state.verifierKey])
        #expect(checkpoint.size == 10 && checkpoint.root == commit.row.logRoot && checkpoint.origin == network.origin)
        var chain = MilestoneChain(networkID: network.networkID, coordinatorKey: key0.privateKey.publicKey)
        try chain.accept(commit.message.message)
        state.confirm(commit)
        #expect(!state.hasUnconfirmed)
        #expect(state.tips.tips == [commit.message.id])
        #expect(commit.row.unconfirmedFromSeq == 12, "nothing remains unconfirmed after seq 11 (the milestone)")

        // Receipts verify against the checkpoint.
        let proof = try state.log.inclusionProof(index: 4, size: 10)
        let receipt = Receipt(
            tenant: "acme", networkName: "acme", message: stored[4].message, leafIndex: 4, inclusionProof: proof,
            checkpoint: try SignedNote(parsing: commit.row.checkpoint), coordinatorKey: try state.verifierKey)
        let report = try ReceiptVerifier.verify(receipt, trustedKey: try state.verifierKey)
        #expect(report.leafIndex == 4)
    }

    @Test("successive milestones chain, stay consistent, and hand over to an announced key")
    func chainAndRotation() throws {
        var state = fresh()
        var chain = MilestoneChain(networkID: network.networkID, coordinatorKey: key0.privateKey.publicKey)
        var checkpoints: [Checkpoint] = []
        for round in 0..<3 {
            _ = try state.attach(items(5, from: round * 5), receivedAt: Date())
            if round == 1 { state.announce(key1) }
            let commit = try state.prepareMilestone(now: Date(timeIntervalSince1970: 1_000))
            try chain.accept(commit.message.message)
            let signer = round < 2 ? key0 : key1
            let verifier = try NoteVerifierKey(name: network.origin, publicKey: signer.privateKey.publicKey)
            checkpoints.append(try Checkpoint.verified(note: commit.row.checkpoint, keys: [verifier]))
            #expect(commit.row.keyIndex == signer.index)
            #expect(commit.row.announcesNextKey == (round == 1))
            state.confirm(commit)
            // Receipts name the key that signed the checkpoint, which lags one milestone behind a rotation.
            #expect(state.checkpointSigner == signer.privateKey.publicKey)
            #expect(state.coordinator.index == (round < 1 ? 0 : 1))
        }
        #expect(checkpoints.map(\.size) == [5, 10, 15])
        let proof = try state.log.consistencyProof(from: 5, to: 15)
        _ = try ConsistencyCheck.verify(pinned: checkpoints[0], newer: checkpoints[2], proof: proof)
        // A milestone signed by the old key after the hand-over is rejected by the chain.
        var stale = TenantLedgerState(
            tenant: tenant, network: network, coordinator: key0, nextCoordinator: nil, log: state.log,
            lastMilestone: state.lastMilestone, unconfirmedRows: [], nextSeq: 100)
        _ = try stale.attach(items(1, from: 99), receivedAt: Date())
        let forged = try stale.prepareMilestone(now: Date())
        #expect(throws: LedgerError.self) {
            var copy = chain
            try copy.accept(forged.message.message)
        }
    }

    @Test("state rebuilt from stored rows continues exactly where the live state was")
    func rebuild() throws {
        var live = fresh()
        let first = try live.attach(items(4), receivedAt: Date())
        let commit = try live.prepareMilestone(now: Date())
        live.confirm(commit)
        let pending = try live.attach(items(3, from: 4), receivedAt: Date())

        let rows = ([commit.message] + pending).map { UnconfirmedRow(seq: $0.seq, id: $0.id, message: $0.message) }
        let rebuilt = TenantLedgerState(
            tenant: tenant, network: network, coordinator: key0, nextCoordinator: nil,
            log: MerkleLog(leafHashes: first.map { MerkleHash.leafHash(messageID: $0.id) }), lastMilestone: commit.row,
            unconfirmedRows: rows, nextSeq: pending.last!.seq + 1)
        #expect(rebuilt.tips.tips == live.tips.tips)
        #expect(rebuilt.log.root == live.log.root)
        #expect(rebuilt.hasUnconfirmed)
        var a = live
        var b = rebuilt
        let fromLive = try a.prepareMilestone(now: Date(timeIntervalSince1970: 2_000_000_000))
        let fromRebuilt = try b.prepareMilestone(now: Date(timeIntervalSince1970: 2_000_000_000))
        #expect(fromLive.leaves == fromRebuilt.leaves)
        #expect(fromLive.message.id == fromRebuilt.message.id, "same inputs, same milestone")
    }
}
