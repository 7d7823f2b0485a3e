import CustosCore
import CustosServer
import CustosStore
import CustosStreams
import Foundation
import NIOCore
import PostgresNIO

/// One channel's part of an anchoring round.
struct ChannelAnchoring: Sendable {
    let channelID: Digest32
    /// What to anchor: envelopes this process recorded, contiguous from the channel's anchored prefix as its
    /// previous round left it; nil to read what is pending from the prefix stored.
    let batch: [EnvelopeRow]?
    /// Positions whose message ids a writer waits for.
    let wanted: [Int64]
}

/// What one anchoring round did for one channel.
struct AnchorRound: Sendable {
    /// The message ids of the envelopes it anchored, and of the wanted ones an earlier round had anchored, by
    /// position.
    var messageIDs: [Int64: Digest32]
    /// Whether it found nothing to anchor.
    var wasIdle: Bool
    /// Whether envelopes are still pending after it (it anchored as many as one round may, or none for lack of
    /// room in the round).
    var leftPending: Bool
    /// The position after the last one it anchored: where the channel's next round starts.
    var nextPosition: Int64?
}

extension StreamsStore {
    /// Puts pending envelopes of a tenant's channels on the ledger in one submission and records their message ids
    /// and the channels' anchored prefixes in one statement (docs/channels.md §14). A round carries at most `limit`
    /// envelopes and `maximumBytes` of them (always at least one); channels that find no room wait for the next.
    /// `submit` puts envelopes on the ledger and returns their message ids in order.
    ///
    /// No lock is held across the ledger hop, so the channels' writers go on meanwhile. Two workers' rounds of one
    /// channel may overlap and put some envelopes on the ledger twice; the first copy of every envelope is still in
    /// position order (a round starts at a prefix whose envelopes are on the ledger already, and takes a contiguous
    /// run), readers refuse the second copy as a reused sequence number, and the first message id recorded wins.
    func anchor(
        _ tenant: TenantID, _ channels: [ChannelAnchoring], limit: Int, maximumBytes: Int,
        submit: @Sendable ([Envelope]) async throws -> [Digest32]
    ) async throws -> [Digest32: AnchorRound] {
        var room = (count: limit, bytes: maximumBytes)
        var taken: [(channelID: Digest32, rows: [EnvelopeRow], cut: Bool)] = []
        for channel in channels {
            guard room.count > 0, room.bytes > 0 || taken.isEmpty else {
                taken.append((channel.channelID, [], true))
                continue
            }
            var rows: [EnvelopeRow]
            var cut = false
            if let batch = channel.batch {
                guard batch.count <= room.count,
                    Self.size(of: batch) <= room.bytes || taken.allSatisfy(\.rows.isEmpty)
                else {
                    taken.append((channel.channelID, [], true))
                    continue
                }
                rows = batch
            } else {
                (rows, cut) = try await pendingEnvelopes(
                    tenant, channel.channelID, limit: room.count, bytes: room.bytes,
                    first: taken.allSatisfy(\.rows.isEmpty))
                cut = cut || rows.count == room.count
            }
            room.count -= rows.count
            room.bytes -= Self.size(of: rows)
            taken.append((channel.channelID, rows, cut))
        }
        let pending = taken.flatMap { part in part.rows.map { (part.channelID, $0) } }
        var found: [Digest32: [Int64: Digest32]] = [:]
        if !pending.isEmpty {
            let ids = try await submit(pending.map(\.1.envelope))
            guard ids.count == pending.count else {
                throw RequestError(
                    .internalFailure, "the ledger answered \(ids.count) ids for \(pending.count) envelopes")
            }
            let statement = AnchorRecordStatement(
                tenant: tenant, channelIDs: pending.map(\.0), positions: pending.map(\.1.position), messageIDs: ids)
            let recorded = try await database.run {
                var count: Int64 = 0
                for try await inserted in try await client.execute(statement, logger: logger) { count = inserted }
                return Int(count)
            }
            if recorded == pending.count {
                for ((channelID, row), id) in zip(pending, ids) { found[channelID, default: [:]][row.position] = id }
            }
        }
        var rounds: [Digest32: AnchorRound] = [:]
        for (channel, part) in zip(channels, taken) {
            var ids = found[channel.channelID] ?? [:]
            // Positions another round anchored (or recorded first) are read back.
            let missing = (channel.wanted + (ids.isEmpty ? part.rows.map(\.position) : [])).filter { ids[$0] == nil }
            if !missing.isEmpty {
                ids.merge(try await anchorIDs(tenant, channel.channelID, missing)) { first, _ in first }
            }
            rounds[channel.channelID] = AnchorRound(
                messageIDs: ids, wasIdle: part.rows.isEmpty && !part.cut, leftPending: part.cut,
                nextPosition: part.rows.last.map { $0.position + 1 })
        }
        return rounds
    }

    private static func size(of rows: [EnvelopeRow]) -> Int { rows.reduce(0) { $0 + $1.envelope.bytes.count } }

    /// A channel's envelopes not on the ledger yet, in position order, from its anchored prefix on; whether some
    /// were left for the next round for lack of bytes.
    /// A round's `first` channel takes at least one envelope, however large.
    private func pendingEnvelopes(
        _ tenant: TenantID, _ channelID: Digest32, limit: Int, bytes maximumBytes: Int, first: Bool
    ) async throws -> (rows: [EnvelopeRow], cut: Bool) {
        try await database.run {
            var pending: [EnvelopeRow] = []
            var size = 0
            var cut = false
            let statement = PendingEnvelopesStatement(tenant: tenant, channelID: channelID, limit: limit)
            for try await (position, written, bytes) in try await client.execute(statement, logger: logger) {
                size += bytes.readableBytes
                // The rest of the page is read and dropped: the connection must be free for the next statement.
                guard !cut, (first && pending.isEmpty) || size <= maximumBytes else {
                    cut = true
                    continue
                }
                pending.append(
                    EnvelopeRow(
                        position: position, messageID: nil, written: written, envelope: try Envelope(bytes: bytes.bytes)
                    ))
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
