import CustosCore
import CustosCrypto

/// A log entry waiting to be written as a signed packet.
struct PacketRequest: Sendable {
    let publisher: String
    let publicPart: [UInt8]
    let privatePart: [UInt8]?
    let plusKey: PrivatePlusKey?
}

/// A written packet: its row (with its message id once anchored) and the publisher's key.
struct WrittenPacket: Sendable {
    var row: EnvelopeRow
    let publisher: Ed25519.PublicKey
}

/// Coalesces concurrent writes to a channel: while one batch is being recorded, the next waits, so each batch
/// costs one transaction under the channel's lock, however many entries it carries. Once a batch is committed it
/// waits for the ledger as one (``EnvelopeAnchoring``), while the next batch is recorded. Every request is answered
/// once its own entry is on the ledger, with its own error if it fails alone.
actor ChannelWriteQueue {
    typealias Flush =
        @Sendable (_ tenant: TenantID, _ channelID: Digest32, _ requests: [PacketRequest]) async
        -> [Result<WrittenPacket, any Error>]
    /// Waits until these recorded envelopes are on the ledger; their message ids in order.
    typealias Anchor =
        @Sendable (_ tenant: TenantID, _ channelID: Digest32, _ rows: [EnvelopeRow]) async throws -> [Digest32]

    private struct Key: Hashable {
        let tenant: TenantID
        let channelID: Digest32
    }

    /// Requests that arrived together (one internal call's entries for this channel), answered together.
    private struct Waiting {
        let requests: [PacketRequest]
        let continuation: CheckedContinuation<[Result<WrittenPacket, any Error>], Never>
    }

    /// The most entries one batch carries (a ledger batch holds 1,000); a group larger than that goes alone.
    static let maximumBatch = 500

    private var waiting: [Key: [Waiting]] = [:]
    private var draining: Set<Key> = []

    /// Writes entries with `flush`, in one batch with whatever else waits for the channel, and `anchor`; returns
    /// one result per request, in order, once they are on the ledger.
    func write(
        _ requests: [PacketRequest], tenant: TenantID, channelID: Digest32, flush: @escaping Flush,
        anchor: @escaping Anchor
    ) async -> [Result<WrittenPacket, any Error>] {
        let key = Key(tenant: tenant, channelID: channelID)
        return await withCheckedContinuation { continuation in
            waiting[key, default: []].append(Waiting(requests: requests, continuation: continuation))
            if draining.insert(key).inserted { Task { await drain(key, flush, anchor) } }
        }
    }

    private func drain(_ key: Key, _ flush: Flush, _ anchor: @escaping Anchor) async {
        while let queue = waiting[key], !queue.isEmpty {
            var groups = 0
            var count = 0
            while groups < queue.count, groups == 0 || count + queue[groups].requests.count <= Self.maximumBatch {
                count += queue[groups].requests.count
                groups += 1
            }
            let batch = Array(queue.prefix(groups))
            waiting[key] = Array(queue.dropFirst(groups))
            let requests = batch.flatMap(\.requests)
            let results = await flush(key.tenant, key.channelID, requests)
            // The batch waits for the ledger as one, off this loop, which goes on with the next batch.
            Task { Self.answer(batch, await Self.anchored(results, count: requests.count, key: key, anchor)) }
        }
        waiting[key] = nil
        draining.remove(key)
    }

    /// The batch's results with the message ids of the recorded entries, once they are on the ledger.
    private static func anchored(
        _ results: [Result<WrittenPacket, any Error>], count: Int, key: Key, _ anchor: Anchor
    ) async -> [Result<WrittenPacket, any Error>] {
        guard results.count == count else {
            return Array(repeating: .failure(RequestError(.internalFailure, "the batch lost an entry")), count: count)
        }
        let recorded = results.compactMap { try? $0.get().row }
        guard !recorded.isEmpty else { return results }
        let ids: [Digest32]
        do { ids = try await anchor(key.tenant, key.channelID, recorded) } catch {
            return results.map { $0.flatMap { _ in .failure(error) } }
        }
        var next = ids[...]
        return results.map { result in
            result.map { written in
                var written = written
                written.row.messageID = next.popFirst()
                return written
            }
        }
    }

    private static func answer(_ batch: [Waiting], _ results: [Result<WrittenPacket, any Error>]) {
        var rest = results[...]
        for waiter in batch {
            waiter.continuation.resume(returning: Array(rest.prefix(waiter.requests.count)))
            rest = rest.dropFirst(waiter.requests.count)
        }
    }
}
