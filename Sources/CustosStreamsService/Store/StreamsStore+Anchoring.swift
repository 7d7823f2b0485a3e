import CustosCore
import CustosStore
import CustosStreams
import Foundation
import NIOCore
import PostgresNIO

/// What one anchoring round of a channel did.
struct AnchorRound: Sendable {
    /// The message ids of the envelopes it anchored, and of the wanted ones another round had anchored, by
    /// position.
    var messageIDs: [Int64: Digest32]
    /// Whether it anchored nothing because nothing was pending.
    var wasIdle: Bool
    /// Whether envelopes are still pending after it (it anchored as many as one round may).
    var leftPending: Bool
}

extension StreamsStore {
    /// The namespace of the advisory locks that order a channel's anchoring (the other key is a hash of the
    /// channel); the ledger's sequencer shards use their own.
    static let anchorLockNamespace: Int32 = 0x6368_616e

    /// Puts a channel's pending envelopes on the ledger, in position order, and records their message ids and the
    /// channel's new anchored prefix: one transaction under the channel's advisory lock, so rounds of one channel never overlap, whichever worker
    /// runs them, and each starts after the previous one's ledger entries were committed. The lock is not the
    /// channel's row lock: writers record the next envelopes while a round waits for the ledger.
    ///
    /// A round takes at most `limit` envelopes and `maximumBytes` of them (always at least one). `submit` puts
    /// envelopes on the ledger and returns their message ids in order. `wanted` are positions whose ids the caller
    /// waits for; those anchored before (by another worker's round) are read back too.
    func anchorPending(
        _ tenant: TenantID, _ channelID: Digest32, wanted: [Int64], limit: Int, maximumBytes: Int,
        submit: @escaping @Sendable ([Envelope]) async throws -> [Digest32]
    ) async throws -> AnchorRound {
        try await database.run(timeout: Self.lockedTransactionTimeout) {
            try await client.transaction(logger: logger) { connection in
                for try await _ in try await connection.execute(
                    AnchorLockStatement(tenant: tenant, channelID: channelID), logger: logger)
                {}
                var pending: [(position: Int64, envelope: Envelope)] = []
                var size = 0
                var cut = false
                let rows = try await connection.execute(
                    PendingEnvelopesStatement(tenant: tenant, channelID: channelID, limit: limit), logger: logger)
                for try await (position, bytes) in rows {
                    size += bytes.readableBytes
                    // The rest of the page is read and dropped: the connection must be free for the next statement.
                    guard !cut, pending.isEmpty || size <= maximumBytes else {
                        cut = true
                        continue
                    }
                    pending.append((position, try Envelope(bytes: bytes.bytes)))
                }
                var found: [Int64: Digest32] = [:]
                if !pending.isEmpty {
                    let ids = try await submit(pending.map(\.envelope))
                    guard ids.count == pending.count else {
                        throw RequestError(
                            .internalFailure, "the ledger answered \(ids.count) ids for \(pending.count) envelopes")
                    }
                    _ = try await connection.execute(
                        AnchorRecordStatement(
                            tenant: tenant, channelID: channelID, positions: pending.map(\.position), messageIDs: ids),
                        logger: logger)
                    for (row, id) in zip(pending, ids) { found[row.position] = id }
                }
                let missing = wanted.filter { found[$0] == nil }
                if !missing.isEmpty {
                    let rows = try await connection.query(
                        """
                        SELECT position, message_id FROM streams.anchors
                        WHERE tenant_id = \(tenant.rawValue) AND channel_id = \(channelID.bytes.byteBuffer)
                            AND position = ANY(\(missing)::bigint[])
                        """, logger: logger)
                    for try await (position, id) in rows.decode((Int64, ByteBuffer).self) {
                        found[position] = try Digest32(bytes: id.bytes)
                    }
                }
                return AnchorRound(
                    messageIDs: found, wasIdle: pending.isEmpty, leftPending: cut || pending.count == limit)
            }
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
