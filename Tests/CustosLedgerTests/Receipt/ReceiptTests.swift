import CustosCore
import CustosLedger
import Testing

@Suite struct ReceiptTests {
    static let ledger = LedgerFixture(count: 13)
    static let key = ledger.coordinator.verifierKey

    @Test func validReceiptVerifiesUnderTheTrustedKey() throws {
        for index in [0, 5, 12] {
            let receipt = Self.ledger.receipt(for: index)
            let report = try ReceiptVerifier.verify(receipt, trustedKey: Self.key, expectedOrigin: LedgerFixture.origin)
            #expect(report.keyTrust == .trusted)
            #expect(report.messageID == Self.ledger.messages[index].id)
            #expect(report.leafIndex == UInt64(index))
            #expect(report.checkpoint == Self.ledger.checkpoint)
            #expect(report.key == Self.key)
            #expect(report.checks.count == 6)
        }
    }

    @Test func withoutATrustedKeyTheResultIsSelfAsserted() throws {
        let report = try ReceiptVerifier.verify(Self.ledger.receipt(for: 3), trustedKey: nil)
        #expect(report.keyTrust == .selfAsserted)
        #expect(report.checks[3].contains("key taken from the receipt itself"))
    }

    @Test func jsonRoundTripIsCanonical() throws {
        let receipt = Self.ledger.receipt(for: 7)
        let text = receipt.canonicalJSON
        #expect(text.hasPrefix("{\"checkpoint\":"))
        #expect(try Receipt(jsonText: text) == receipt)
        #expect(try ReceiptVerifier.verify(jsonText: text, trustedKey: Self.key).leafIndex == 7)
        // Canonical output is byte-stable.
        #expect(try JCS.canonicalString(try JSONParser.parse(text)) == text)
    }

    @Test func tamperingWithTheMessageIsDetected() throws {
        let receipt = Self.ledger.receipt(for: 5)
        var changed = receipt.message
        changed[changed.count - 9] ^= 1  // last data byte, before the nonce
        #expect(
            throws: ReceiptError.messageIDMismatch(claimed: receipt.messageID, computed: LedgerMessage.id(of: changed))
        ) {
            try ReceiptVerifier.verify(receipt.with(message: changed), trustedKey: Self.key)
        }
        var unparsable = receipt.message
        unparsable[0] = 9
        #expect(throws: ReceiptError.invalidMessage(LedgerError("unsupported message version 9"))) {
            try ReceiptVerifier.verify(receipt.with(message: unparsable), trustedKey: Self.key)
        }
        let otherID = Self.ledger.messages[6].id
        #expect(throws: ReceiptError.messageIDMismatch(claimed: otherID, computed: receipt.messageID)) {
            try ReceiptVerifier.verify(receipt.with(messageID: otherID), trustedKey: Self.key)
        }
        // A different, self-consistent message that is not in the log fails the inclusion proof.
        let forged = try LedgerMessage(
            networkID: receipt.networkID, parents: [Self.ledger.messages[4].id],
            payload: .taggedData(try TaggedData(tag: Array("audit".utf8), data: Array("forged".utf8))))
        #expect(throws: ReceiptError.self) {
            try ReceiptVerifier.verify(
                receipt.with(message: forged.serialized(), messageID: forged.id), trustedKey: Self.key)
        }
        do {
            _ = try ReceiptVerifier.verify(
                receipt.with(message: forged.serialized(), messageID: forged.id), trustedKey: Self.key)
        } catch {
            guard case .inclusion(.inclusionRootMismatch) = error else { throw error }
        }
    }

    @Test func tamperingWithIndexOrProofIsDetected() throws {
        let receipt = Self.ledger.receipt(for: 5)
        let proof = receipt.inclusionProof
        func inclusionFailure(_ tampered: Receipt) -> ProofError? {
            do {
                _ = try ReceiptVerifier.verify(tampered, trustedKey: Self.key)
                return nil
            } catch {
                if case .inclusion(let reason) = error { return reason }
                return nil
            }
        }
        #expect(inclusionFailure(receipt.with(leafIndex: 4)) != nil)
        #expect(inclusionFailure(receipt.with(leafIndex: 6)) != nil)
        #expect(throws: ReceiptError.leafIndexOutOfRange(index: 13, size: 13)) {
            try ReceiptVerifier.verify(receipt.with(leafIndex: 13), trustedKey: Self.key)
        }
        #expect(
            inclusionFailure(receipt.with(inclusionProof: Array(proof.dropLast())))
                == .inclusionProofLength(actual: proof.count - 1, expected: proof.count, index: 5, size: 13))
        #expect(
            inclusionFailure(receipt.with(inclusionProof: proof + [proof[0]]))
                == .inclusionProofLength(actual: proof.count + 1, expected: proof.count, index: 5, size: 13))
        for position in proof.indices {
            var flippedProof = proof
            flippedProof[position] = flipped(proof[position], bit: 77)
            #expect(inclusionFailure(receipt.with(inclusionProof: flippedProof)) != nil)
        }
        let otherTree = LedgerFixture(count: 13, salt: "other")
        let foreignProof = try otherTree.log.inclusionProof(index: 5, size: 13)
        #expect(inclusionFailure(receipt.with(inclusionProof: foreignProof)) != nil)
    }

    @Test func checkpointOfAnotherSizeDoesNotMatchTheProof() throws {
        let receipt = Self.ledger.receipt(for: 5)
        let bigger = LedgerFixture(count: 20)
        #expect(throws: ReceiptError.self) {
            try ReceiptVerifier.verify(receipt.with(checkpoint: bigger.note.serialized), trustedKey: Self.key)
        }
        let smaller = LedgerFixture(count: 8)
        let proof = try smaller.log.inclusionProof(index: 5, size: 8)
        #expect(throws: ReceiptError.self) {
            try ReceiptVerifier.verify(receipt.with(inclusionProof: proof), trustedKey: Self.key)
        }
        // The same receipt with the matching smaller checkpoint and proof verifies.
        let consistent = receipt.with(inclusionProof: proof, checkpoint: smaller.note.serialized)
        #expect(try ReceiptVerifier.verify(consistent, trustedKey: Self.key).checkpoint.size == 8)
    }

    @Test func checkpointFromAnotherKeyOrEditedIsRejected() throws {
        let receipt = Self.ledger.receipt(for: 2)
        let attacker = LedgerFixture(count: 13, seed: 9)
        let forged = receipt.with(
            checkpoint: attacker.note.serialized, coordinatorKey: attacker.coordinator.verifierKey.text)
        #expect(throws: ReceiptError.checkpoint(.noTrustedSignature(keys: [Self.key.shortName]))) {
            try ReceiptVerifier.verify(forged, trustedKey: Self.key)
        }
        // Without a pinned key the attacker's own key "verifies", which the report must flag.
        #expect(try ReceiptVerifier.verify(forged, trustedKey: nil).keyTrust == .selfAsserted)

        let edited = receipt.checkpoint.replacing("\n13\n", with: "\n14\n")
        #expect(throws: ReceiptError.checkpoint(.invalidSignature(key: Self.key.shortName))) {
            try ReceiptVerifier.verify(receipt.with(checkpoint: edited), trustedKey: Self.key)
        }
        #expect(throws: ReceiptError.checkpoint(.missingTrailingNewline)) {
            try ReceiptVerifier.verify(
                receipt.with(checkpoint: String(receipt.checkpoint.dropLast())), trustedKey: Self.key)
        }
        #expect(throws: ReceiptError.self) {
            try ReceiptVerifier.verify(receipt.with(coordinatorKey: "not a key"), trustedKey: nil)
        }
    }

    @Test func originAndTenantAreBound() throws {
        let receipt = Self.ledger.receipt(for: 1)
        #expect(throws: ReceiptError.originMismatch(expected: "custos.example/other", actual: LedgerFixture.origin)) {
            try ReceiptVerifier.verify(receipt, trustedKey: Self.key, expectedOrigin: "custos.example/other")
        }
        #expect(throws: ReceiptError.tenantMismatch(tenant: "other", origin: LedgerFixture.origin)) {
            try ReceiptVerifier.verify(receipt.with(tenant: "other"), trustedKey: Self.key)
        }
        // The right key signing a checkpoint for a different origin is still the wrong log.
        let other = try Checkpoint(
            origin: "custos.example/other", size: Self.ledger.log.size, root: Self.ledger.log.root)
        let note = try other.signed(by: [Self.ledger.coordinator])
        #expect(throws: ReceiptError.originKeyMismatch(origin: "custos.example/other", keyName: LedgerFixture.origin)) {
            try ReceiptVerifier.verify(receipt.with(checkpoint: note.serialized), trustedKey: Self.key)
        }
    }

    @Test func networkClaimsAreChecked() {
        let receipt = Self.ledger.receipt(for: 1)
        #expect(throws: ReceiptError.networkMismatch(claimed: 7, message: receipt.networkID)) {
            try ReceiptVerifier.verify(receipt.with(networkID: 7), trustedKey: Self.key)
        }
        #expect(throws: ReceiptError.self) {
            try ReceiptVerifier.verify(receipt.with(networkName: "custos-other"), trustedKey: Self.key)
        }
    }

    @Test func malformedJSONIsRejectedByField() throws {
        let good = Self.ledger.receipt(for: 1).json
        func mutate(_ key: String, _ value: JSONValue?) -> String {
            var members = good.objectValue!
            members[key] = value
            return try! JCS.canonicalString(.object(members))
        }
        let cases: [(String, String)] = [
            (mutate("version", 2), "version"), (mutate("version", nil), "version"),
            (mutate("leafIndex", -1), "leafIndex"), (mutate("leafIndex", 1.5), "leafIndex"),
            (mutate("leafIndex", .number(9_007_199_254_740_992)), "leafIndex"),
            (mutate("inclusionProof", ["AAAA"]), "inclusionProof[0]"),
            (mutate("inclusionProof", "x"), "inclusionProof"),
            (mutate("message", "%%%"), "message"), (mutate("messageId", "abc"), "messageId"),
            (mutate("network", ["name": "n", "id": "01"]), "network.id"),
            (mutate("network", ["id": "1"]), "network.name"),
            (mutate("checkpoint", 5), "checkpoint"), (mutate("tenant", nil), "tenant"),
            (mutate("coordinatorKey", nil), "coordinatorKey"),
        ]
        for (text, field) in cases {
            do {
                _ = try Receipt(jsonText: text)
                Issue.record("accepted a receipt with a bad \(field)")
            } catch {
                switch error {
                case .malformed(let reported, _): #expect(reported == field)
                case .unsupportedVersion(let version): #expect(field == "version" && version == 2)
                default: Issue.record("unexpected \(error)")
                }
            }
        }
        #expect(throws: ReceiptError.self) { try Receipt(jsonText: "[1]") }
        #expect(throws: ReceiptError.self) { try Receipt(jsonText: "{") }
    }

    // How fast verification is (on the hot path of offline auditing) is a benchmark, `custos-bench verify`
    // (docs/benchmarks.md), not a test: a debug build timed on a loaded machine failed CI without saying anything
    // about the code.
}
