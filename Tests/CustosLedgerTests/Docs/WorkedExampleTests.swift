import CustosCore
import CustosLedger
import Testing

/// The worked example of docs/ledger.md, rebuilt from scratch; the printed values are the ones in the doc.
@Suite struct WorkedExampleTests {
    struct Example {
        let networkID: UInt64
        let genesis: Digest32
        let messages: [LedgerMessage]
        let order: [Digest32]
        let log: MerkleLog
        let milestone: LedgerMessage
        let note: SignedNote
        let key: NoteVerifierKey
        let receipt: Receipt
    }

    static func build() throws -> Example {
        let networkID = LedgerMessage.networkID(forName: "custos-acme")
        let genesis = LedgerMessage.genesisParent(networkID: networkID)
        var messages: [LedgerMessage] = []
        var tips = TipSelector(tips: [genesis])
        for value in 0..<3 {
            let payload = try TaggedData(tag: Array("audit".utf8), data: Array("entry \(value)".utf8))
            let message = try LedgerMessage(networkID: networkID, parents: tips.select(), payload: .taggedData(payload))
            tips.attach(message.id, parents: message.parents)
            messages.append(message)
        }
        let parentsByID = Dictionary(uniqueKeysWithValues: messages.map { ($0.id, $0.parents) })
        let order = try WhiteFlag.order(parents: tips.select(), parentsByID: parentsByID, confirmed: [genesis])
        var log = MerkleLog()
        for id in order { log.append(messageID: id) }
        let coordinator = try NoteSigner(name: "custos.example/acme", privateKey: seededKey(0x01))
        let essence = try MilestoneEssence(
            index: 1, timestamp: 1_767_225_600_000, previousMilestoneID: .zero, parents: tips.select(),
            logSize: log.size, logRoot: log.root)
        let milestone = try LedgerMessage(
            networkID: networkID, parents: essence.parents,
            payload: .milestone(essence.signed(networkID: networkID, by: seededKey(0x01))))
        let note = try essence.checkpoint(origin: "custos.example/acme").signed(by: [coordinator])
        let receipt = Receipt(
            tenant: "acme", networkName: "custos-acme", message: messages[1], leafIndex: 1,
            inclusionProof: try log.inclusionProof(index: 1, size: log.size), checkpoint: note,
            coordinatorKey: coordinator.verifierKey)
        return Example(
            networkID: networkID, genesis: genesis, messages: messages, order: order, log: log, milestone: milestone,
            note: note, key: coordinator.verifierKey, receipt: receipt)
    }

    @Test func printAndCheckTheWorkedExample() throws {
        let example = try Self.build()
        let lines =
            [
                "networkID \(example.networkID) = 0x\(String(example.networkID, radix: 16))",
                "genesis \(example.genesis)",
            ]
            + example.messages.enumerated().map {
                "m\($0.offset) \(Hex.encode($0.element.serialized())) id \($0.element.id)"
            }
            + [
                "order \(example.order)",
                "leaf hashes \(try (0..<3).map { try example.log.leafHash(at: UInt64($0)) })",
                "root \(example.log.root) \(Base64.encode(example.log.root.bytes))",
                "proof \(example.receipt.inclusionProof.map { Base64.encode($0.bytes) })",
                "milestone \(Hex.encode(example.milestone.serialized())) id \(example.milestone.id)",
                "note \(example.note.serialized.debugDescription)",
                "key \(example.key.text)",
                "receipt \(example.receipt.canonicalJSON)",
            ]
        print(lines.joined(separator: "\n"))
        #expect(example.networkID == 15_622_199_022_346_303_205)
        #expect(example.genesis.hex == "14804725ef51211b8784e3d1b399600f0e4db85dbb5857674f0825a4b658ed02")
        #expect(
            example.messages.map(\.id.hex) == [
                "563507a93c510ec0305b89d10505b0a45a14df0357d43e5f3ba3b454b60133d1",
                "be919ee15cfb98c5e40756141f0dfb5942fb1c886ce7957a90fb8c6ca21e311e",
                "553a3e3acb9a92a335a55a2df9bee4163349dc5bf1a0c0d219da6f7dfb7e72e9",
            ])
        #expect(example.log.root.hex == "c2be82ae2e3b0b314ee86406bdb19b8f2453e876ef1dd94e4c2c36dc4e8eda77")
        #expect(example.milestone.id.hex == "1af9b90a2e830b33a511bc65706539f3b6fdcb79f99fc278fbae127d086fb79d")
        #expect(
            example.note.serialized
                == "custos.example/acme\n3\nwr6Cri47CzFO6GQGvbGbjyRT6HbvHdlOTCw23E6O2nc=\n\n\u{2014} custos.example/acme "
                + "QmbjkWsStu7W2DADMut+cVhwFHQjBV89wpa96ZxPmQt0KRpe/FE6E9G0dGwAljiAy5blJzApMDkKcVz01qzkAifKfQY=\n")
        #expect(
            example.receipt.inclusionProof.map { Base64.encode($0.bytes) } == [
                "QWFa1MeMPSJ0CVrmGAmKzAGJpy8sdrG5zVcCOsrJwWY=", "31CC+1rOhnXMo0kQAtngNPVWYHdsDI9LEBHCJKkokIw=",
            ])
        let report = try ReceiptVerifier.verify(example.receipt, trustedKey: example.key)
        #expect(report.keyTrust == .trusted)
        #expect(example.order == example.messages.map(\.id))
        try example.milestone.payload.milestone?.verifySignature(
            networkID: example.networkID, key: seededKey(0x01).publicKey)
    }
}
