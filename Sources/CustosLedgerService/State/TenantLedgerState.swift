import CustosCore
import CustosCrypto
import CustosLedger
import Foundation

/// The in-memory state of one tenant ledger: tips, unconfirmed messages, the Merkle log and the newest
/// milestone. Pure: it builds messages and milestones; the caller persists them and, when persisting fails,
/// rebuilds the state from the database.
struct TenantLedgerState: Sendable {
    /// One entry to attach.
    let tenant: TenantID
    let network: NetworkRow
    private(set) var coordinator: CoordinatorKey
    private(set) var nextCoordinator: CoordinatorKey?
    private(set) var tips: TipSelector
    private(set) var unconfirmed: [Digest32: (parents: [Digest32], seq: Int64)] = [:]
    private(set) var log: MerkleLog
    private(set) var lastMilestone: MilestoneRow?
    /// The key that signed the newest checkpoint; after a rotation it differs from `coordinator` until the next
    /// milestone.
    private(set) var checkpointSigner: Ed25519.PublicKey?
    private(set) var nextSeq: Int64

    init(
        tenant: TenantID, network: NetworkRow, coordinator: CoordinatorKey, nextCoordinator: CoordinatorKey?,
        log: MerkleLog, lastMilestone: MilestoneRow?, checkpointSigner: Ed25519.PublicKey? = nil,
        unconfirmedRows: [UnconfirmedRow], nextSeq: Int64
    ) {
        self.tenant = tenant
        self.network = network
        self.coordinator = coordinator
        self.nextCoordinator = nextCoordinator
        self.log = log
        self.lastMilestone = lastMilestone
        self.checkpointSigner = checkpointSigner ?? (lastMilestone == nil ? nil : coordinator.privateKey.publicKey)
        self.nextSeq = nextSeq
        // Tips: the newest milestone and unconfirmed messages that nothing references yet, oldest first.
        var referenced: Set<Digest32> = []
        var candidates: [Digest32] = lastMilestone.map { [$0.messageID] } ?? []
        for row in unconfirmedRows {
            referenced.formUnion(row.message.parents)
            if row.message.payload.milestone == nil {
                unconfirmed[row.id] = (row.message.parents, row.seq)
                candidates.append(row.id)
            }
        }
        let tips = candidates.filter { !referenced.contains($0) }
        self.tips = TipSelector(tips: tips.isEmpty ? [LedgerMessage.genesisParent(networkID: network.networkID)] : tips)
    }

    /// The coordinator's note verifier key (origin as key name).
    var verifierKey: NoteVerifierKey {
        get throws { try NoteVerifierKey(name: network.origin, publicKey: coordinator.privateKey.publicKey) }
    }

    /// Whether messages are attached that no milestone, committed or being committed, includes yet.
    var hasUnconfirmed: Bool { !unconfirmed.isEmpty }

    /// Attaches items to the tips, oldest tips first, and returns the messages to store.
    mutating func attach(_ items: [LedgerEntry], receivedAt: Date) throws -> [StoredMessage] {
        var stored: [StoredMessage] = []
        stored.reserveCapacity(items.count)
        for item in items {
            let parents = tips.select()
            let message = try LedgerMessage(
                networkID: network.networkID, parents: parents, payload: .taggedData(item.payload))
            let raw = message.serialized()
            let id = LedgerMessage.id(of: raw)
            tips.attach(id, parents: parents)
            unconfirmed[id] = (message.parents, nextSeq)
            stored.append(
                StoredMessage(
                    seq: nextSeq, id: id, message: message, raw: raw, contentType: item.contentType,
                    receivedAt: receivedAt))
            nextSeq += 1
        }
        return stored
    }

    /// Builds the next milestone over the current tips: confirms their past cone in white-flag order, appends it
    /// to the log and signs message and checkpoint. What later attaches depend on takes effect at once (the log
    /// is extended, the milestone becomes a tip and takes a seq, its leaves stop counting as unconfirmed), so a
    /// batch committed after it may be attached before it commits. Its checkpoint becomes the newest only with
    /// `confirm` after the commit; when the commit fails, rebuild the state.
    mutating func prepareMilestone(now: Date) throws -> MilestoneCommit {
        let parents = tips.select()
        let order = try WhiteFlag.order(
            parents: parents, parentsOf: { unconfirmed[$0]?.parents }, isConfirmed: { unconfirmed[$0] == nil })
        let firstLeaf = log.size
        for id in order { _ = log.append(messageID: id) }
        let timestamp = max(UInt64(now.timeIntervalSince1970 * 1000), (lastMilestone?.timestamp ?? 0) + 1)
        let essence = try MilestoneEssence(
            index: (lastMilestone?.index ?? 0) + 1, timestamp: timestamp,
            previousMilestoneID: lastMilestone?.messageID ?? Digest32.zero, parents: parents, logSize: log.size,
            logRoot: log.root, nextCoordinatorKey: nextCoordinator?.privateKey.publicKey)
        let milestone = essence.signed(networkID: network.networkID, by: coordinator.privateKey)
        let message = try LedgerMessage(networkID: network.networkID, parents: parents, payload: .milestone(milestone))
        let raw = message.serialized()
        let id = LedgerMessage.id(of: raw)
        let signer = try NoteSigner(name: network.origin, privateKey: coordinator.privateKey)
        let note = try essence.checkpoint(origin: network.origin).signed(by: [signer])
        let confirmed = Set(order)
        let remaining = unconfirmed.filter { !confirmed.contains($0.key) }
        let row = MilestoneRow(
            index: essence.index, messageID: id, timestamp: timestamp, logSize: log.size, logRoot: log.root,
            checkpoint: note.serialized, keyIndex: coordinator.index, announcesNextKey: nextCoordinator != nil,
            unconfirmedFromSeq: remaining.values.map(\.seq).min() ?? nextSeq + 1)
        let stored = StoredMessage(
            seq: nextSeq, id: id, message: message, raw: raw, contentType: LedgerStore.milestoneContentType,
            receivedAt: now)
        for id in order { unconfirmed.removeValue(forKey: id) }
        tips.attach(id, parents: parents)
        nextSeq += 1
        return MilestoneCommit(
            message: stored, row: row, firstLeafIndex: firstLeaf, leaves: order,
            tiles: log.tiles(changedSince: firstLeaf))
    }

    /// Applies a committed milestone: its checkpoint becomes the newest, and the key it announced (not one
    /// announced while it was being committed) takes over signing.
    mutating func confirm(_ commit: MilestoneCommit) {
        lastMilestone = commit.row
        checkpointSigner = coordinator.privateKey.publicKey
        if commit.row.announcesNextKey, let next = nextCoordinator {
            coordinator = next
            nextCoordinator = nil
        }
    }

    /// Schedules a new coordinator key; the next milestone announces it, signed by the current key.
    mutating func announce(_ key: CoordinatorKey) {
        nextCoordinator = key
    }
}
