import CustosCore
import CustosLedger
import CustosLedgerWorkerAPI

/// Assembles what auditors verify from a tenant's stored log: network material, receipts and tiles.
///
/// The handlers of the internal API only translate; everything that reads several sources to build a proof is
/// here, so it can be tested against a real store without HTTP.
struct LedgerProofs: Sendable {
    let store: LedgerStore
    let ledgers: SequencerRegistry

    /// The tenant's network, origin, coordinator key and newest checkpoint size.
    func network(_ tenant: TenantID) async throws -> Components.Schemas.Network {
        let ledger = try await ledgers.ledger(for: tenant)
        let network = await ledger.network
        return Components.Schemas.Network(
            name: network.name, networkId: String(network.networkID), origin: network.origin,
            coordinatorKey: try await ledger.verifierKey().text,
            checkpointSize: Int(await ledger.checkpoint?.logSize ?? 0))
    }

    /// The receipt of a confirmed entry: the entry, its inclusion proof and the checkpoint that proves it.
    func receipt(tenant: TenantID, id: Digest32) async throws -> Receipt {
        try await receipts(tenant: tenant, ids: [id])[0].get()
    }

    /// The receipts of entries, in the order asked, all under the newest checkpoint: one query and one look at
    /// the sequencer for the lot. An id that has no receipt gets the error that says why; a failure to read fails
    /// the whole call.
    func receipts(tenant: TenantID, ids: [Digest32]) async throws -> [Result<Receipt, RequestError>] {
        let found = try await store.messagesAndLeaves(tenant: tenant, ids: ids)
        let ledger = try await ledgers.ledger(for: tenant)
        let leaves = ids.compactMap { found[$0]?.leaf }
        let basis = try await ledger.inclusionProofs(leafIndexes: leaves)
        let network = await ledger.network
        var proofs = (basis?.proofs ?? []).makeIterator()
        return ids.map { id in
            guard let (stored, leaf) = found[id] else {
                return .failure(RequestError(.notFound, "no message \(id.hex) in this ledger"))
            }
            let proof = leaf == nil ? nil : proofs.next() ?? nil
            guard stored.message.payload.taggedData != nil else {
                return .failure(
                    RequestError(
                        .invalidInput, "message \(id.hex) is a milestone; milestones are verified by signature"))
            }
            guard let leaf, let proof, let basis else {
                return .failure(
                    RequestError(.conflict, "message \(id.hex) is not confirmed by a milestone yet; retry in a moment"))
            }
            // The stored bytes are the message as committed (its id was derived from them), and the checkpoint is
            // the note as signed: both go into the receipt verbatim.
            return .success(
                Receipt(
                    tenant: tenant.rawValue, networkName: network.name, networkID: stored.message.networkID,
                    message: stored.raw, messageID: id, leafIndex: leaf, inclusionProof: proof,
                    checkpoint: basis.checkpoint.checkpoint, coordinatorKey: basis.signer.text))
        }
    }

    /// A hash tile (`tile/<L>/<N>[.p/<W>]`) or entry bundle (`tile/entries/<N>[.p/<W>]`) of the log.
    func tile(tenant: TenantID, path: String) async throws -> [UInt8] {
        let isEntryBundle = path.hasPrefix("tile/entries/")
        let id: TileID
        do { id = try isEntryBundle ? TileID(entriesPath: path) : TileID(path: path) } catch {
            throw RequestError(.invalidInput, "not a tile path: \(error)")
        }
        let notFound = RequestError(.notFound, "no tile \(path) in this log yet")
        if isEntryBundle {
            // A ledger that cannot be loaded is an error of its own (503 while the database is away), not "no tile".
            let ledger = try await ledgers.ledger(for: tenant)
            guard let size = await ledger.checkpoint?.logSize, id.firstHash + UInt64(id.width) <= size else {
                throw notFound
            }
            let ids = try await store.leaves(tenant: tenant, from: id.firstHash, count: id.width)
            guard ids.count == id.width else { throw notFound }
            return EntryBundle.encode(messageIDs: ids)
        }
        guard let stored = try await store.tile(tenant: tenant, level: id.level, index: id.index),
            stored.width >= id.width
        else { throw notFound }
        return Array(stored.hashes.prefix(id.byteCount))
    }
}
