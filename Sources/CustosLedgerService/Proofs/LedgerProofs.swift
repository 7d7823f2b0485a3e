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
        guard let (stored, leaf) = try await store.messageAndLeaf(tenant: tenant, id: id) else {
            throw RequestError(.notFound, "no message \(id.hex) in this ledger")
        }
        guard stored.message.payload.taggedData != nil else {
            throw RequestError(.invalidInput, "message \(id.hex) is a milestone; milestones are verified by signature")
        }
        let ledger = try await ledgers.ledger(for: tenant)
        guard let leaf, let (proof, checkpoint, signer) = try await ledger.inclusionProof(leafIndex: leaf) else {
            throw RequestError(.conflict, "message \(id.hex) is not confirmed by a milestone yet; retry in a moment")
        }
        return Receipt(
            tenant: tenant.rawValue, networkName: await ledger.network.name, message: stored.message, leafIndex: leaf,
            inclusionProof: proof, checkpoint: try SignedNote(parsing: checkpoint.checkpoint), coordinatorKey: signer)
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
