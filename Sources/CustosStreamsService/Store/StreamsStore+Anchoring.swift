import CustosCore
import CustosServer
import CustosStore
import CustosStreams
import Foundation
import NIOCore
import PostgresNIO

/// What one anchoring round of a channel did.
struct AnchorRound: Sendable {
    /// The message ids of the envelopes it anchored, and of the wanted ones an earlier round had anchored, by
    /// position.
    var messageIDs: [Int64: Digest32]
    /// Whether it found nothing to anchor.
    var wasIdle: Bool
    /// Whether envelopes are still pending after it (it anchored as many as one round may).
    var leftPending: Bool
    /// The position after the last one it anchored: where the channel's next round starts.
    var nextPosition: Int64?
}

extension StreamsStore {
    /// Puts a channel's pending envelopes on the ledger and records their message ids and the channel's anchored
    /// prefix (docs/channels.md §14).
    ///
    /// `batch`, when given, is what to anchor: envelopes this process recorded, contiguous from the channel's
    /// anchored prefix as its previous round left it. Otherwise the round reads what is pending from the prefix
    /// stored, at most `limit` envelopes and `maximumBytes` of them (always at least one). `submit` puts envelopes
    /// on the ledger and returns their message ids in order; `wanted` are positions whose ids the caller waits for.
    ///
    /// No lock is held across the ledger hop, so the channel's writers go on meanwhile. Two workers' rounds of one
    /// channel may overlap and put some envelopes on the ledger twice; the first copy of every envelope is still in
    /// position order (a round starts at a prefix whose envelopes are on the ledger already, and takes a contiguous
    /// run), readers refuse the second copy as a reused sequence number, and the first message id recorded wins.
    func anchor(
        _ tenant: TenantID, _ channelID: Digest32, batch: [EnvelopeRow]?, wanted: [Int64], limit: Int,
        maximumBytes: Int, submit: @Sendable ([Envelope]) async throws -> [Digest32]
    ) async throws -> AnchorRound {
        var cut = false
        var pending = batch ?? []
        if batch == nil { (pending, cut) = try await pendingEnvelopes(tenant, channelID, limit: limit, bytes: maximumBytes) }
        var found: [Int64: Digest32] = [:]
        if !pending.isEmpty {
            let ids = try await submit(pending.map(\.envelope))
            guard ids.count == pending.count else {
                throw RequestError(
                    .internalFailure, "the ledger answered \(ids.count) ids for \(pending.count) envelopes")
            }
            let statement = AnchorRecordStatement(
                tenant: tenant, channelID: channelID, positions: pending.map(\.position), messageIDs: ids)
            let recorded = try await database.run {
                var count: Int64 = 0
                for try await inserted in try await client.execute(statement, logger: logger) { count = inserted }
                return Int(count)
            }
            if recorded == pending.count {
                for (row, id) in zip(pending, ids) { found[row.position] = id }
            }
        }
        // Positions another round anchored (or recorded first) are read back.
        let missing = (wanted + (found.isEmpty ? pending.map(\.position) : [])).filter { found[$0] == nil }
        if !missing.isEmpty { found.merge(try await anchorIDs(tenant, channelID, missing)) { first, _ in first } }
        return AnchorRound(
            messageIDs: found, wasIdle: pending.isEmpty, leftPending: cut || pending.count == limit,
            nextPosition: pending.last.map { $0.position + 1 })
    }

    /// A channel's envelopes not on the ledger yet, in position order, from its anchored prefix on; whether more
    /// were left for the next round.
    private func pendingEnvelopes(_ tenant: TenantID, _ channelID: Digest32, limit: Int, bytes maximumBytes: Int)
        async throws -> (rows: [EnvelopeRow], cut: Bool)
    {
        try await database.run {
            var pending: [EnvelopeRow] = []
            var size = 0
            var cut = false
            let statement = PendingEnvelopesStatement(tenant: tenant, channelID: channelID, limit: limit)
            for try await (position, written, bytes) in try await client.execute(statement, logger: logger) {
                size += bytes.readableBytes
                // The rest of the page is read and dropped: the connection must be free for the next statement.
                guard !cut, pending.isEmpty || size <= maximumBytes else {
                    cut = true
                    continue
                }
                pending.append(
                    EnvelopeRow(
                        position: position, messageID: nil, written: written, envelope: try Envelope(bytes: bytes.bytes)))
            }
            return (pending, cut)
        }
    }

    /// The recorded message ids of some of a channel's envelopes.
    private func anchorIDs(_ tenant: TenantID, _ channelID: Digest32, _ positions: [Int64]) async throws
        -> [Int64: Digest32]
    {
        try await database.run {
            let rows = try await client.query(
                """
                SELECT position, message_id FROM streams.anchors
                WHERE tenant_id = \(tenant.rawValue) AND channel_id = \(channelID.bytes.byteBuffer)
                    AND position = ANY(\(positions)::bigint[])
                """, logger: logger)
            var found: [Int64: Digest32] = [:]
            for try await (position, id) in rows.decode((Int64, ByteBuffer).self) {
                found[position] = try Digest32(bytes: id.bytes)
            }
            return found
        }
    }

    /// Channels whose latest envelope was recorded before `before` and which still have envelopes not on the
    /// ledger: what a crash or an unreachable ledger left behind. Reads every channel's row (a few milliseconds per
    /// 10,000 channels), so it runs seldom (``PendingEnvelopes``).
    func channelsWithPendingEnvelopes(recordedBefore before: Date, limit: Int) async throws
        -> [(tenant: TenantID, channelID: Digest32)]
    {
        try await database.run {
            let rows = try await client.query(
                """
                SELECT c.tenant_id, c.channel_id FROM streams.channels c
                LEFT JOIN streams.anchoring a USING (tenant_id, channel_id)
                WHERE c.next_position > COALESCE(a.next_position, 0) AND c.latest_message < \(before)
                LIMIT \(Int64(limit))
                """, logger: logger)
            var found: [(tenant: TenantID, channelID: Digest32)] = []
            for try await (tenant, channel) in rows.decode((String, ByteBuffer).self) {
                guard let tenant = TenantID(tenant) else { continue }
                found.append((tenant, try Digest32(bytes: channel.bytes)))
            }
            return found
        }
    }
}
