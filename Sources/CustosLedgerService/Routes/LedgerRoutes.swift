import CustosCore
import CustosLedger
import CustosRPC
import Foundation
import Hummingbird

/// The ledger worker's internal routes, all under `/internal/v1/tenants/{tenant}/ledger`.
struct LedgerRoutes {
    let store: LedgerStore
    let sequencers: SequencerRegistry

    /// Bodies are capped above the 32 KiB message size to leave room for base64 and JSON.
    static let singleBodyLimit = 64 * 1024
    static let batchBodyLimit = 16 * 1024 * 1024
    static let maximumBatchCount = 1000

    func add(to router: Router<BasicRequestContext>) {
        let group = router.group("/internal/v1/tenants/:tenant/ledger")
        group.put { request, context in
            var request = request
            let tenant = try context.tenant()
            let body = try await request.decodeJSON(LedgerAPI.CreateNetwork.self, limit: 4096)
            guard body.name.utf8.count <= 16, !body.name.isEmpty,
                body.name.utf8.allSatisfy({ (0x61...0x7a).contains($0) || (0x30...0x39).contains($0) })
            else { throw RequestError(.invalidInput, "network name must be 1 to 16 characters of a-z and 0-9") }
            let network = try await store.createNetwork(tenant: tenant, name: body.name)
            return try JSONResponse.make(LedgerAPI.Network(name: network.name, networkId: String(network.networkID)))
        }
        group.post("messages") { request, context in
            var request = request
            let tenant = try context.tenant()
            let body = try await request.decodeJSON(LedgerAPI.Submit.self, limit: Self.singleBodyLimit)
            let ids = try await sequencers.sequencer(for: tenant).submit([try Self.item(body)])
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
            let ids = try await sequencers.sequencer(for: tenant).submit(items)
            return try JSONResponse.make(LedgerAPI.SubmittedBatch(messageIds: ids.map(\.hex)), status: .created)
        }
        group.get("messages/:id") { _, context in
            let tenant = try context.tenant()
            let idText = try context.parameters.require("id")
            guard let id = try? Digest32(hex: idText) else {
                throw RequestError(.invalidInput, "message id must be 64 hexadecimal characters")
            }
            guard let stored = try await store.message(tenant: tenant, id: id) else {
                throw RequestError(.notFound, "no message \(id.hex) in this ledger")
            }
            return try JSONResponse.make(Self.body(stored))
        }
    }

    private static func item(_ body: LedgerAPI.Submit) throws -> TenantSequencer.Item {
        guard let tag = try? Base64.decode(body.tag) else { throw RequestError(.invalidInput, "tag must be base64") }
        guard let data = try? Base64.decode(body.data) else { throw RequestError(.invalidInput, "data must be base64") }
        return TenantSequencer.Item(payload: try TaggedData(tag: tag, data: data), contentType: body.contentType)
    }

    private static func body(_ stored: StoredMessage) -> LedgerAPI.Message {
        // Milestones have no tag or data of their own; their bytes are in `raw`.
        let payload = stored.message.payload.taggedData
        return LedgerAPI.Message(
            messageId: stored.id.hex, networkId: String(stored.message.networkID),
            parents: stored.message.parents.map(\.hex), tag: Base64.encode(payload?.tag ?? []),
            data: Base64.encode(payload?.data ?? []),
            contentType: stored.contentType, raw: Base64.encode(stored.raw),
            receivedAt: Timestamp.iso8601Millis(stored.receivedAt))
    }
}

extension RequestContext {
    /// The tenant named in the route, validated.
    func tenant() throws -> TenantID {
        let raw = try parameters.require("tenant")
        do { return try TenantID(validating: raw) } catch { throw RequestError(.invalidInput, "\(error)") }
    }
}
