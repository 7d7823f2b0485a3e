import CustosCore
import CustosLedger
import Testing

@Suite struct ConsistencyCheckTests {
    static let ledger = LedgerFixture(count: 40)

    func checkpoint(_ size: UInt64, log: MerkleLog = ledger.log, origin: String = LedgerFixture.origin) -> Checkpoint {
        try! Checkpoint(origin: origin, size: size, root: try! log.rootHash(size: size))
    }

    @Test func growthWithAValidProofIsAccepted() throws {
        let proof = try Self.ledger.log.consistencyProof(from: 13, to: 40)
        #expect(
            try ConsistencyCheck.verify(pinned: checkpoint(13), newer: checkpoint(40), proof: proof)
                == .extended(from: 13, to: 40))
        #expect(try ConsistencyCheck.verify(pinned: checkpoint(40), newer: checkpoint(40), proof: []) == .unchanged)
        #expect(
            try ConsistencyCheck.verify(pinned: checkpoint(0), newer: checkpoint(40), proof: [])
                == .extended(from: 0, to: 40))
    }

    @Test func rollbackIsDetected() throws {
        #expect(throws: ConsistencyError.rollback(pinnedSize: 40, newerSize: 13)) {
            try ConsistencyCheck.verify(pinned: checkpoint(40), newer: checkpoint(13), proof: [])
        }
        #expect(ConsistencyError.rollback(pinnedSize: 40, newerSize: 13).kind == .conflict)
    }

    @Test func splitViewsAreDetected() throws {
        let fork = LedgerFixture(count: 40, salt: "fork")
        let forked = checkpoint(40, log: fork.log)
        #expect(
            throws: ConsistencyError.splitView(size: 40, pinnedRoot: Self.ledger.log.root, newerRoot: fork.log.root)
        ) {
            try ConsistencyCheck.verify(pinned: checkpoint(40), newer: forked, proof: [])
        }
        // A larger tree that does not extend the pinned one: neither its own nor our proof reconciles them.
        for proof in [
            try fork.log.consistencyProof(from: 13, to: 40), try Self.ledger.log.consistencyProof(from: 13, to: 40),
        ] {
            #expect(throws: ConsistencyError.self) {
                try ConsistencyCheck.verify(pinned: checkpoint(13), newer: forked, proof: proof)
            }
        }
        let forkProof = try fork.log.consistencyProof(from: 13, to: 40)
        do {
            _ = try ConsistencyCheck.verify(pinned: checkpoint(13), newer: forked, proof: forkProof)
            Issue.record("accepted a forked history")
        } catch {
            guard case .inconsistent(13, 40, _) = error else { throw error }
            #expect(error.description.hasPrefix("split view:"))
        }
        #expect(throws: ConsistencyError.self) {
            try ConsistencyCheck.verify(
                pinned: checkpoint(13), newer: checkpoint(40),
                proof: Array(try Self.ledger.log.consistencyProof(from: 13, to: 40).dropLast()))
        }
    }

    @Test func differentLogsAreNotCompared() {
        #expect(throws: ConsistencyError.originMismatch(pinned: LedgerFixture.origin, newer: "custos.example/other")) {
            try ConsistencyCheck.verify(
                pinned: checkpoint(13), newer: checkpoint(40, origin: "custos.example/other"), proof: [])
        }
    }

    @Test func signedNotesAreVerifiedFirst() throws {
        let key = Self.ledger.coordinator
        let pinned = try checkpoint(13).signed(by: [key]).serialized
        let newer = try checkpoint(40).signed(by: [key]).serialized
        let proof = try Self.ledger.log.consistencyProof(from: 13, to: 40)
        #expect(
            try ConsistencyCheck.verify(pinnedNote: pinned, newerNote: newer, proof: proof, key: key.verifierKey)
                == .extended(from: 13, to: 40))
        let stranger = signer(LedgerFixture.origin, seed: 77)
        let foreign = try checkpoint(40).signed(by: [stranger]).serialized
        #expect(throws: ConsistencyError.self) {
            try ConsistencyCheck.verify(pinnedNote: pinned, newerNote: foreign, proof: proof, key: key.verifierKey)
        }
    }
}
