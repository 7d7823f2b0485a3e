import CustosCore
import CustosLedger

/// A small tenant ledger: tagged-data messages chained from the genesis parent, all confirmed into a Merkle
/// log, and a checkpoint signed by the coordinator.
struct LedgerFixture {
    static let tenant = "acme"
    static let networkName = "custos-acme"
    static let origin = "custos.example/acme"

    let coordinator: NoteSigner
    let messages: [LedgerMessage]
    let log: MerkleLog
    let checkpoint: Checkpoint
    let note: SignedNote

    init(count: Int = 10, seed: UInt8 = 1, salt: String = "entry") {
        let networkID = LedgerMessage.networkID(forName: Self.networkName)
        var parent = LedgerMessage.genesisParent(networkID: networkID)
        var messages: [LedgerMessage] = []
        var log = MerkleLog()
        for value in 0..<count {
            let payload = try! TaggedData(tag: Array("audit".utf8), data: Array("\(salt) \(value)".utf8))
            let message = try! LedgerMessage(networkID: networkID, parents: [parent], payload: .taggedData(payload))
            messages.append(message)
            parent = message.id
            log.append(messageID: message.id)
        }
        coordinator = signer(Self.origin, seed: seed)
        self.messages = messages
        self.log = log
        checkpoint = try! Checkpoint(origin: Self.origin, size: log.size, root: log.root)
        note = try! checkpoint.signed(by: [coordinator])
    }

    func receipt(for index: Int) -> Receipt {
        Receipt(
            tenant: Self.tenant, networkName: Self.networkName, message: messages[index], leafIndex: UInt64(index),
            inclusionProof: try! log.inclusionProof(index: UInt64(index), size: log.size), checkpoint: note,
            coordinatorKey: coordinator.verifierKey)
    }
}

extension Receipt {
    /// A copy with some fields replaced, for tampering tests.
    func with(
        message: [UInt8]? = nil, messageID: Digest32? = nil, leafIndex: UInt64? = nil,
        inclusionProof: [Digest32]? = nil,
        checkpoint: String? = nil, coordinatorKey: String? = nil, tenant: String? = nil, networkID: UInt64? = nil,
        networkName: String? = nil
    ) -> Receipt {
        Receipt(
            tenant: tenant ?? self.tenant, networkName: networkName ?? self.networkName,
            networkID: networkID ?? self.networkID, message: message ?? self.message,
            messageID: messageID ?? self.messageID,
            leafIndex: leafIndex ?? self.leafIndex, inclusionProof: inclusionProof ?? self.inclusionProof,
            checkpoint: checkpoint ?? self.checkpoint, coordinatorKey: coordinatorKey ?? self.coordinatorKey)
    }
}
