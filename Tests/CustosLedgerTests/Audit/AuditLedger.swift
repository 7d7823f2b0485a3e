import CustosCore
import CustosCrypto
import CustosLedger

/// A tenant's log in memory as the ledger worker keeps it: tagged-data entries appended to a Merkle log,
/// milestones cut over the whole log, each signed by the coordinator key in force and published with a checkpoint
/// note signed by the same key; an announced key signs from the milestone after the announcing one.
///
/// The overrides of `milestone` and `rewrite` let a test play a coordinator that misbehaves.
struct AuditLedger {
    static let origin = "custos.example/acme"

    let origin: String
    let networkID: UInt64
    /// The key in force: it signs the next milestone, and the log presents it.
    private(set) var key: Ed25519.PrivateKey
    private(set) var log = MerkleLog()
    /// Milestone `i` is at `i - 1`.
    private(set) var milestones: [LedgerMessage] = []
    /// The checkpoint note published with each milestone.
    private(set) var notes: [String] = []
    private var tip: Digest32
    private var entries = 0

    init(origin: String = Self.origin, network: String = "custos-acme", key: Ed25519.PrivateKey = seededKey(1)) {
        self.origin = origin
        networkID = LedgerMessage.networkID(forName: network)
        self.key = key
        tip = LedgerMessage.genesisParent(networkID: networkID)
    }

    /// Appends `count` entries.
    mutating func append(_ count: Int, salt: String = "entry") {
        for _ in 0..<count {
            entries += 1
            let payload = try! TaggedData(tag: Array("audit".utf8), data: Array("\(salt) \(entries)".utf8))
            let message = try! LedgerMessage(networkID: networkID, parents: [tip], payload: .taggedData(payload))
            log.append(messageID: message.id)
            tip = message.id
        }
    }

    /// Replaces the log behind the milestones with `count` other entries: a coordinator forking its history.
    mutating func rewrite(_ count: Int, salt: String) {
        log = MerkleLog()
        append(count, salt: salt)
    }

    /// Swaps the key in force without announcing it.
    mutating func swapKey(to key: Ed25519.PrivateKey) {
        self.key = key
    }

    /// Cuts the next milestone over the log (or its first `size` entries), announcing `next` if given; `signer`
    /// and `previous` override the key in force and the link to the previous milestone.
    @discardableResult
    mutating func milestone(
        announcing next: Ed25519.PrivateKey? = nil, signer: Ed25519.PrivateKey? = nil, previous: Digest32? = nil,
        size: UInt64? = nil
    ) -> LedgerMessage {
        let index = UInt32(milestones.count + 1)
        let size = size ?? log.size
        let signer = signer ?? key
        let essence = try! MilestoneEssence(
            index: index, timestamp: 1_767_225_600_000 + UInt64(index) * 1_000,
            previousMilestoneID: previous ?? milestones.last?.id ?? .zero, parents: [tip], logSize: size,
            logRoot: try! log.rootHash(size: size), nextCoordinatorKey: next?.publicKey)
        let message = try! LedgerMessage(
            networkID: networkID, parents: [tip], payload: .milestone(essence.signed(networkID: networkID, by: signer)))
        let note = try! essence.checkpoint(origin: origin).signed(by: [noteSigner(signer)])
        milestones.append(message)
        notes.append(note.serialized)
        tip = message.id
        if let next { key = next }
        return message
    }

    /// The note signer of `key` (by default the key in force), named after the origin.
    func noteSigner(_ key: Ed25519.PrivateKey? = nil) -> NoteSigner {
        try! NoteSigner(name: origin, privateKey: key ?? self.key)
    }

    /// The verifier key of `key` (by default the key in force), named after the origin.
    func verifierKey(_ key: Ed25519.PrivateKey? = nil) -> NoteVerifierKey {
        noteSigner(key).verifierKey
    }

    /// Milestone `index` as the gateway serves it.
    func entry(_ index: Int) -> LedgerAudit.MilestoneEntry {
        let message = milestones[index - 1]
        return LedgerAudit.MilestoneEntry(
            index: index, messageID: message.id.hex, message: Base64.encode(message.serialized()))
    }

    /// What the log serves now: network, newest milestone and checkpoint, milestone pages, consistency proofs.
    var server: AuditServer {
        let log = log
        return AuditServer(
            presented: LedgerAudit.Presented(
                origin: origin, coordinatorKey: verifierKey().text, newestMilestone: entry(milestones.count),
                checkpoint: notes[notes.count - 1]),
            milestones: milestones.indices.map { entry($0 + 1) },
            proof: { try! log.consistencyProof(from: $0, to: $1) })
    }
}

/// A gateway in memory that answers an audit's steps; its fields can be tampered with.
struct AuditServer {
    var presented: LedgerAudit.Presented
    /// Every milestone it serves, in order.
    var milestones: [LedgerAudit.MilestoneEntry]
    /// The consistency proof it serves between two sizes.
    var proof: (UInt64, UInt64) -> [Digest32]
    /// The most milestones in one page.
    var pageSize = 2

    /// Runs an audit of the pins to its end, and what it asked for on the way.
    func run(_ pins: [LedgerAudit.Pin], confirming key: String? = nil) -> (
        result: Result<LedgerAudit.Verdict, LedgerAuditError>, requests: [LedgerAudit.Step]
    ) {
        var requests: [LedgerAudit.Step] = []
        let result = Result { () throws(LedgerAuditError) -> LedgerAudit.Verdict in
            var audit = try LedgerAudit(pins: pins, presented: presented, confirmedNewLogKey: key)
            var step = try audit.start()
            while true {
                switch step {
                case .milestones(let after):
                    requests.append(step)
                    let page = milestones.filter { $0.index > Int(after) }.prefix(pageSize)
                    step = try audit.consume(milestones: Array(page))
                case .consistencyProof(let from, let to):
                    requests.append(step)
                    step = try audit.consume(proof: proof(from, to))
                case .verdict(let verdict):
                    return verdict
                }
            }
        }
        return (result, requests)
    }

    /// The verdict of an audit of the pins.
    func audit(_ pins: [LedgerAudit.Pin], confirming key: String? = nil) throws(LedgerAuditError)
        -> LedgerAudit.Verdict
    {
        try run(pins, confirming: key).result.get()
    }

    /// Why an audit of the pins fails, or nil if it passes.
    func failure(_ pins: [LedgerAudit.Pin], confirming key: String? = nil) -> LedgerAuditError? {
        if case .failure(let error) = run(pins, confirming: key).result { return error }
        return nil
    }
}

extension LedgerAudit.Verdict {
    /// The pin to store.
    var pin: LedgerAudit.Pin {
        switch self {
        case .firstUse(let log), .newLog(let log): log.pin
        case .consistent(_, let audited), .rotated(_, let audited): audited.pin
        }
    }
}
