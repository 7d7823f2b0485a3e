import CustosCore
import CustosLedger
import CustosLedgerWorkerAPI
import CustosServer
import OpenAPIRuntime

/// The ledger worker's internal API (docs/openapi/ledger-worker.yaml): thin translations between the generated
/// operation types and the sequencers, the store and ``LedgerProofs``.
///
/// Handlers return the success case only; every failure is a thrown domain error, which the one error mapping
/// of `CustosServer` turns into the documented JSON error and status.
struct LedgerWorkerHandlers: APIProtocol {
    let store: LedgerStore
    let ledgers: SequencerRegistry
    let proofs: LedgerProofs
    let originPrefix: String

    /// The largest batch body, the same as the request guard's limit for any body.
    static let maximumBatchBytes = ConnectionLimits.standard.maximumBodySize
    static let maximumPage = 1000

    func createNetwork(_ input: Operations.CreateNetwork.Input) async throws -> Operations.CreateNetwork.Output {
        let tenant = try Self.tenant(input.path.tenant)
        guard case .json(let body) = input.body else { throw RequestError(.unsupportedMediaType, "expected JSON") }
        guard body.name.utf8.count <= 16, !body.name.isEmpty,
            body.name.utf8.allSatisfy({ (0x61...0x7a).contains($0) || (0x30...0x39).contains($0) })
        else { throw RequestError(.invalidInput, "network name must be 1 to 16 characters of a-z and 0-9") }
        _ = try await store.createNetwork(tenant: tenant, name: body.name, origin: "\(originPrefix)/\(tenant.rawValue)")
        return .ok(.init(body: .json(try await proofs.network(tenant))))
    }

    func eraseLedger(_ input: Operations.EraseLedger.Input) async throws -> Operations.EraseLedger.Output {
        let tenant = try Self.tenant(input.path.tenant)
        await ledgers.unload(tenant)
        return .ok(.init(body: .json(.init(entries: try await store.erase(tenant)))))
    }

    func getNetwork(_ input: Operations.GetNetwork.Input) async throws -> Operations.GetNetwork.Output {
        .ok(.init(body: .json(try await proofs.network(try Self.tenant(input.path.tenant)))))
    }

    func submitMessage(_ input: Operations.SubmitMessage.Input) async throws -> Operations.SubmitMessage.Output {
        let tenant = try Self.tenant(input.path.tenant)
        guard case .json(let body) = input.body else { throw RequestError(.unsupportedMediaType, "expected JSON") }
        let ids = try await ledgers.ledger(for: tenant).submit([try Self.item(body)])
        return .created(.init(body: .json(.init(messageId: ids[0].hex))))
    }

    func submitBatch(_ input: Operations.SubmitBatch.Input) async throws -> Operations.SubmitBatch.Output {
        let tenant = try Self.tenant(input.path.tenant)
        guard case .applicationVnd_custos_entries(let body) = input.body else {
            throw RequestError(.unsupportedMediaType, "expected application/vnd.custos.entries")
        }
        if case .known(let length) = body.length, length > Self.maximumBatchBytes {
            throw RequestError(.payloadTooLarge, "a batch is at most \(Self.maximumBatchBytes) bytes")
        }
        // A longer chunked body is cut off by the server's own body limit, which is the same.
        let bytes = try await [UInt8](collecting: body, upTo: Self.maximumBatchBytes)
        let ids = try await ledgers.ledger(for: tenant).submit(try EntryBatch.decode(bytes))
        return .created(.init(body: .applicationVnd_custos_messageIds(HTTPBody(EntryBatch.encode(ids: ids)))))
    }

    func listMessages(_ input: Operations.ListMessages.Input) async throws -> Operations.ListMessages.Output {
        let tenant = try Self.tenant(input.path.tenant)
        let limit = try Self.bounded(input.query.limit ?? 100, "limit", 1...Self.maximumPage)
        let after = try Self.bounded(input.query.after ?? 0, "after", 0...Int.max)
        let tag = Array(input.query.tag.utf8)
        guard tag.count <= TaggedData.maximumTagLength else {
            throw RequestError(.invalidInput, "tag must be at most \(TaggedData.maximumTagLength) bytes of UTF-8")
        }
        let page = try await store.messages(tenant: tenant, tag: tag, after: Int64(after), limit: limit)
        let next = page.count == limit ? page.last.map { String($0.seq) } : nil
        return .ok(.init(body: .json(.init(messages: page.map(Self.body), next: next))))
    }

    func getMessage(_ input: Operations.GetMessage.Input) async throws -> Operations.GetMessage.Output {
        let tenant = try Self.tenant(input.path.tenant)
        let id = try Self.messageID(input.path.messageId)
        guard let stored = try await store.message(tenant: tenant, id: id) else {
            throw RequestError(.notFound, "no message \(id.hex) in this ledger")
        }
        guard stored.message.payload.taggedData != nil else {
            throw RequestError(
                .notFound, "message \(id.hex) is a milestone, not an entry; milestones are listed under milestones")
        }
        return .ok(.init(body: .json(Self.body(stored))))
    }

    func getReceipt(_ input: Operations.GetReceipt.Input) async throws -> Operations.GetReceipt.Output {
        let receipt = try await proofs.receipt(
            tenant: try Self.tenant(input.path.tenant), id: try Self.messageID(input.path.messageId))
        return .ok(.init(body: .applicationVnd_custos_receipt(HTTPBody(receipt.canonicalJSON))))
    }

    func getReceipts(_ input: Operations.GetReceipts.Input) async throws -> Operations.GetReceipts.Output {
        let tenant = try Self.tenant(input.path.tenant)
        guard case .applicationVnd_custos_messageIds(let body) = input.body else {
            throw RequestError(.unsupportedMediaType, "expected application/vnd.custos.message-ids")
        }
        let limit = 32 * ReceiptBatch.maximumCount
        let tooLarge = RequestError(.payloadTooLarge, "a receipt batch is at most \(limit) bytes")
        if case .known(let length) = body.length, length > limit { throw tooLarge }
        let bytes: [UInt8]
        // A chunked body says its length only by running past the limit.
        do { bytes = try await [UInt8](collecting: body, upTo: limit) } catch { throw tooLarge }
        let ids = try ReceiptBatch.decodeIDs(bytes)
        let outcomes = try await proofs.receipts(tenant: tenant, ids: ids).map { result in
            switch result {
            case .success(let receipt): ReceiptBatch.Outcome.receipt(Array(receipt.canonicalJSON.utf8))
            case .failure(let error):
                ReceiptBatch.Outcome.refused(status: Int(error.kind.httpStatus.code), message: error.description)
            }
        }
        return .ok(.init(body: .applicationVnd_custos_receipts(HTTPBody(ReceiptBatch.encode(outcomes: outcomes)))))
    }

    func getCheckpoint(_ input: Operations.GetCheckpoint.Input) async throws -> Operations.GetCheckpoint.Output {
        guard let checkpoint = try await ledgers.ledger(for: try Self.tenant(input.path.tenant)).checkpoint else {
            throw RequestError(
                .notFound, "the ledger has no checkpoint yet; the first milestone follows the first entry")
        }
        return .ok(.init(body: .plainText(HTTPBody(checkpoint.checkpoint))))
    }

    func getConsistency(_ input: Operations.GetConsistency.Input) async throws -> Operations.GetConsistency.Output {
        let tenant = try Self.tenant(input.path.tenant)
        let from = try Self.bounded(input.query.from, "from", 1...Int.max)
        let to = try Self.bounded(input.query.to, "to", 1...Int.max)
        let proof = try await ledgers.ledger(for: tenant).consistencyProof(from: UInt64(from), to: UInt64(to))
        return .ok(.init(body: .json(.init(from: from, to: to, proof: proof.map { Base64.encode($0.bytes) }))))
    }

    func getTile(_ input: Operations.GetTile.Input) async throws -> Operations.GetTile.Output {
        let bytes = try await proofs.tile(tenant: try Self.tenant(input.path.tenant), path: input.query.path)
        return .ok(.init(body: .binary(HTTPBody(bytes))))
    }

    func listMilestones(_ input: Operations.ListMilestones.Input) async throws -> Operations.ListMilestones.Output {
        let tenant = try Self.tenant(input.path.tenant)
        let after = try Self.bounded(input.query.after ?? 0, "after", 0...Int.max)
        let limit = try Self.bounded(input.query.limit ?? 100, "limit", 1...Self.maximumPage)
        let rows = try await store.milestoneMessages(tenant: tenant, after: Int64(after), limit: limit)
        return .ok(.init(body: .json(.init(milestones: rows.map(Self.milestoneBody)))))
    }

    func getLatestMilestone(_ input: Operations.GetLatestMilestone.Input) async throws
        -> Operations.GetLatestMilestone.Output
    {
        guard
            let row = try await store.milestoneMessages(
                tenant: try Self.tenant(input.path.tenant), after: nil, limit: 1
            ).first
        else { throw RequestError(.notFound, "the ledger has no milestone yet") }
        return .ok(.init(body: .json(Self.milestoneBody(row))))
    }

    func rotateCoordinatorKey(_ input: Operations.RotateCoordinatorKey.Input) async throws
        -> Operations.RotateCoordinatorKey.Output
    {
        let (index, key) = try await ledgers.ledger(for: try Self.tenant(input.path.tenant)).rotateCoordinatorKey()
        return .accepted(.init(body: .json(.init(keyIndex: index, coordinatorKey: key.text))))
    }

    // MARK: Translation

    static func tenant(_ raw: String) throws -> TenantID {
        do { return try TenantID(validating: raw) } catch { throw RequestError(.invalidInput, "\(error)") }
    }

    static func messageID(_ raw: String) throws -> Digest32 {
        // Lower case only, as the contract's pattern says: one id, one spelling.
        guard raw == raw.lowercased(), let id = try? Digest32(hex: raw) else {
            throw RequestError(.invalidInput, "message id must be 64 hexadecimal characters")
        }
        return id
    }

    static func bounded(_ value: Int, _ name: String, _ range: ClosedRange<Int>) throws -> Int {
        guard range.contains(value) else {
            throw RequestError(
                .invalidInput,
                "query parameter \(name) must be an integer from \(range.lowerBound) to \(range.upperBound)")
        }
        return value
    }

    static func item(_ body: Components.Schemas.Submit) throws -> LedgerEntry {
        guard let tag = try? Base64.decode(body.tag) else { throw RequestError(.invalidInput, "tag must be base64") }
        guard let data = try? Base64.decode(body.data) else { throw RequestError(.invalidInput, "data must be base64") }
        return try LedgerEntry(payload: try TaggedData(tag: tag, data: data), contentType: body.contentType)
    }

    static func milestoneBody(_ row: (index: Int64, id: Digest32, raw: [UInt8])) -> Components.Schemas.MilestoneEntry {
        .init(index: Int(row.index), messageId: row.id.hex, message: Base64.encode(row.raw))
    }

    static func body(_ stored: StoredMessage) -> Components.Schemas.Message {
        let payload = stored.message.payload.taggedData
        return .init(
            messageId: stored.id.hex, networkId: String(stored.message.networkID),
            parents: stored.message.parents.map(\.hex), tag: Base64.encode(payload?.tag ?? []),
            data: Base64.encode(payload?.data ?? []), contentType: stored.contentType, raw: Base64.encode(stored.raw),
            receivedAt: Timestamp.iso8601Millis(stored.receivedAt), sequence: String(stored.seq))
    }
}
