import CustosCore
import CustosLedger
import CustosRPC
import Foundation
import Hummingbird
import NIOCore

/// The ledger worker's internal routes, all under `/internal/v1/tenants/{tenant}/ledger`.
struct LedgerRoutes {
    let store: LedgerStore
    let ledgers: SequencerRegistry
    let originPrefix: String

    /// Bodies are capped above the 32 KiB message size to leave room for base64 and JSON.
    static let singleBodyLimit = 64 * 1024
    static let batchBodyLimit = 16 * 1024 * 1024
    static let maximumBatchCount = 1000
    static let maximumPage = 1000

    func add(to internalRoutes: RouterGroup<CustosRequestContext>) {
        let group = internalRoutes.group("v1/tenants/:tenant/ledger")
        group.put { request, context in
            var request = request
            let tenant = try context.tenant()
            let body = try await request.decodeJSON(LedgerAPI.CreateNetwork.self, limit: 4096)
            guard body.name.utf8.count <= 16, !body.name.isEmpty,
                body.name.utf8.allSatisfy({ (0x61...0x7a).contains($0) || (0x30...0x39).contains($0) })
            else { throw RequestError(.invalidInput, "network name must be 1 to 16 characters of a-z and 0-9") }
            _ = try await store.createNetwork(
                tenant: tenant, name: body.name, origin: "\(originPrefix)/\(tenant.rawValue)")
            return try JSONResponse.make(try await networkBody(tenant))
        }
        group.get { _, context in try JSONResponse.make(try await networkBody(try context.tenant())) }
        group.post("messages") { request, context in
            var request = request
            let tenant = try context.tenant()
            let body = try await request.decodeJSON(LedgerAPI.Submit.self, limit: Self.singleBodyLimit)
            let ids = try await ledgers.ledger(for: tenant).submit([try Self.item(body)])
            return try JSONResponse.make(LedgerAPI.Submitted(messageId: ids[0].hex), status: .created)
        }
        group.post("messages/batch") { request, context in
            var request = request
            let tenant = try context.tenant()
            let body = try await request.decodeJSON(LedgerAPI.SubmitBatch.self, limit: Self.batchBodyLimit)
            guard (1...Self.maximumBatchCount).contains(body.messages.count) else {
                throw RequestError(.invalidInput, "a batch holds 1 to \(Self.maximumBatchCount) messages")
            }
            let items = try body.messages.map(Self.item)
            let ids = try await ledgers.ledger(for: tenant).submit(items)
            return try JSONResponse.make(LedgerAPI.SubmittedBatch(messageIds: ids.map(\.hex)), status: .created)
        }
        group.get("messages") { request, context in
            let tenant = try context.tenant()
            guard let tag = request.uri.queryParameters["tag"].map(String.init) else {
                throw RequestError(.invalidInput, "query parameter tag is required")
            }
            let limit = try request.integerQuery("limit", default: 100, range: 1...Self.maximumPage)
            let after = try request.integerQuery("after", default: 0, range: 0...Int.max)
            let page = try await store.messages(
                tenant: tenant, tag: Array(tag.utf8), after: Int64(after), limit: limit)
            let next = page.count == limit ? page.last.map { String($0.seq) } : nil
            return try JSONResponse.make(LedgerAPI.MessageList(messages: page.map(Self.body), next: next))
        }
        group.get("messages/:id") { _, context in
            let tenant = try context.tenant()
            let id = try Self.messageID(context)
            guard let stored = try await store.message(tenant: tenant, id: id) else {
                throw RequestError(.notFound, "no message \(id.hex) in this ledger")
            }
            guard stored.message.payload.taggedData != nil else {
                throw RequestError(
                    .notFound, "message \(id.hex) is a milestone, not an entry; milestones are listed under milestones")
            }
            return try JSONResponse.make(Self.body(stored))
        }
        group.get("messages/:id/receipt") { _, context in
            let receipt = try await receipt(tenant: try context.tenant(), id: try Self.messageID(context))
            return Response.bytes(Array(receipt.canonicalJSON.utf8), contentType: "application/json")
        }
        group.get("checkpoint") { _, context in
            let tenant = try context.tenant()
            guard let checkpoint = try await ledgers.ledger(for: tenant).checkpoint else {
                throw RequestError(
                    .notFound, "the ledger has no checkpoint yet; the first milestone follows the first entry")
            }
            return Response.bytes(Array(checkpoint.checkpoint.utf8), contentType: "text/plain; charset=utf-8")
        }
        group.get("consistency") { request, context in
            let tenant = try context.tenant()
            let from = try request.integerQuery("from", default: nil, range: 1...Int.max)
            let to = try request.integerQuery("to", default: nil, range: 1...Int.max)
            let proof = try await ledgers.ledger(for: tenant).consistencyProof(from: UInt64(from), to: UInt64(to))
            return try JSONResponse.make(
                LedgerAPI.ConsistencyProof(from: from, to: to, proof: proof.map { Base64.encode($0.bytes) }))
        }
        group.get("tile/**") { _, context in
            let tenant = try context.tenant()
            let path = "tile/" + context.parameters.getCatchAll().joined(separator: "/")
            return Response.bytes(try await tile(tenant: tenant, path: path), contentType: "application/octet-stream")
        }
        group.get("milestones") { request, context in
            let tenant = try context.tenant()
            let after = try request.integerQuery("after", default: 0, range: 0...Int.max)
            let limit = try request.integerQuery("limit", default: 100, range: 1...Self.maximumPage)
            let rows = try await store.milestoneMessages(tenant: tenant, after: Int64(after), limit: limit)
            return try JSONResponse.make(LedgerAPI.MilestoneList(milestones: rows.map(Self.milestoneBody)))
        }
        group.get("milestones/latest") { _, context in
            guard let row = try await store.milestoneMessages(tenant: try context.tenant(), after: nil, limit: 1).first
            else { throw RequestError(.notFound, "the ledger has no milestone yet") }
            return try JSONResponse.make(Self.milestoneBody(row))
        }
        group.post("coordinator/rotate") { _, context in
            let index = try await ledgers.ledger(for: try context.tenant()).rotateCoordinatorKey()
            return try JSONResponse.make(LedgerAPI.Rotation(keyIndex: index), status: .accepted)
        }
    }

    private func networkBody(_ tenant: TenantID) async throws -> LedgerAPI.Network {
        let ledger = try await ledgers.ledger(for: tenant)
        let network = await ledger.network
        return LedgerAPI.Network(
            name: network.name, networkId: String(network.networkID), origin: network.origin,
            coordinatorKey: try await ledger.verifierKey().text,
            checkpointSize: Int(await ledger.checkpoint?.logSize ?? 0))
    }

    private func receipt(tenant: TenantID, id: Digest32) async throws -> Receipt {
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

    private func tile(tenant: TenantID, path: String) async throws -> [UInt8] {
        let isEntryBundle = path.hasPrefix("tile/entries/")
        let id: TileID
        do { id = try isEntryBundle ? TileID(entriesPath: path) : TileID(path: path) } catch {
            throw RequestError(.invalidInput, "not a tile path: \(error)")
        }
        let notFound = RequestError(.notFound, "no tile \(path) in this log yet")
        if isEntryBundle {
            guard let ledger = try? await ledgers.ledger(for: tenant), let size = await ledger.checkpoint?.logSize,
                id.firstHash + UInt64(id.width) <= size
            else { throw notFound }
            let ids = try await store.leaves(tenant: tenant, from: id.firstHash, count: id.width)
            guard ids.count == id.width else { throw notFound }
            return EntryBundle.encode(messageIDs: ids)
        }
        guard let stored = try await store.tile(tenant: tenant, level: id.level, index: id.index),
            stored.width >= id.width
        else { throw notFound }
        return Array(stored.hashes.prefix(id.byteCount))
    }

    private static func item(_ body: LedgerAPI.Submit) throws -> TenantLedgerState.Item {
        guard let tag = try? Base64.decode(body.tag) else { throw RequestError(.invalidInput, "tag must be base64") }
        guard let data = try? Base64.decode(body.data) else { throw RequestError(.invalidInput, "data must be base64") }
        return TenantLedgerState.Item(payload: try TaggedData(tag: tag, data: data), contentType: body.contentType)
    }

    private static func messageID(_ context: CustosRequestContext) throws -> Digest32 {
        guard let id = try? Digest32(hex: try context.parameters.require("id")) else {
            throw RequestError(.invalidInput, "message id must be 64 hexadecimal characters")
        }
        return id
    }

    private static func milestoneBody(_ row: (index: Int64, id: Digest32, raw: [UInt8])) -> LedgerAPI.MilestoneEntry {
        LedgerAPI.MilestoneEntry(index: Int(row.index), messageId: row.id.hex, message: Base64.encode(row.raw))
    }

    static func body(_ stored: StoredMessage) -> LedgerAPI.Message {
        let payload = stored.message.payload.taggedData
        return LedgerAPI.Message(
            messageId: stored.id.hex, networkId: String(stored.message.networkID),
            parents: stored.message.parents.map(\.hex), tag: Base64.encode(payload?.tag ?? []),
            data: Base64.encode(payload?.data ?? []), contentType: stored.contentType, raw: Base64.encode(stored.raw),
            receivedAt: Timestamp.iso8601Millis(stored.receivedAt), sequence: String(stored.seq))
    }
}

extension RequestContext {
    /// The tenant named in the route, validated.
    func tenant() throws -> TenantID {
        let raw = try parameters.require("tenant")
        do { return try TenantID(validating: raw) } catch { throw RequestError(.invalidInput, "\(error)") }
    }
}
