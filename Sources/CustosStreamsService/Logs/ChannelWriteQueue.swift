import CustosCore
import CustosCrypto

/// A log entry waiting to be written as a signed packet.
struct PacketRequest: Sendable {
    let publisher: String
    let publicPart: [UInt8]
    let privatePart: [UInt8]?
    let plusKey: PrivatePlusKey?
}

/// A recorded packet: its row (not anchored yet) and the publisher's key.
struct WrittenPacket: Sendable {
    let row: EnvelopeRow
    let publisher: Ed25519.PublicKey
}

/// Coalesces concurrent writes to a channel: while one batch is being recorded, the next waits, so each batch
/// costs one transaction under the channel's lock, however many entries it carries. Every request is answered
/// once its own entry is committed, with its own error if it fails alone; it then waits for the ledger on its own
/// (``EnvelopeAnchoring``), so the next batch is recorded while this one is being anchored.
actor ChannelWriteQueue {
    typealias Flush =
        @Sendable (_ tenant: TenantID, _ channelID: Digest32, _ requests: [PacketRequest]) async
        -> [Result<WrittenPacket, any Error>]

    private struct Key: Hashable {
        let tenant: TenantID
        let channelID: Digest32
    }

    private struct Waiting {
        let request: PacketRequest
        let continuation: CheckedContinuation<WrittenPacket, any Error>
    }

    /// The most entries one batch carries (a ledger batch holds 1,000).
    static let maximumBatch = 500

    private var waiting: [Key: [Waiting]] = [:]
    private var draining: Set<Key> = []

    /// Records one entry with `flush`, in a batch with whatever else waits for the channel; returns once it is
    /// committed.
    func write(_ request: PacketRequest, tenant: TenantID, channelID: Digest32, flush: @escaping Flush) async throws
        -> WrittenPacket
    {
        let key = Key(tenant: tenant, channelID: channelID)
        return try await withCheckedThrowingContinuation { continuation in
            waiting[key, default: []].append(Waiting(request: request, continuation: continuation))
            if draining.insert(key).inserted { Task { await drain(key, flush) } }
        }
    }

    private func drain(_ key: Key, _ flush: Flush) async {
        while let queue = waiting[key], !queue.isEmpty {
            let batch = Array(queue.prefix(Self.maximumBatch))
            waiting[key] = Array(queue.dropFirst(batch.count))
            let results = await flush(key.tenant, key.channelID, batch.map(\.request))
            for (index, waiter) in batch.enumerated() {
                waiter.continuation.resume(
                    with: index < results.count
                        ? results[index] : .failure(RequestError(.internalFailure, "the batch lost an entry")))
            }
        }
        waiting[key] = nil
        draining.remove(key)
    }
}
