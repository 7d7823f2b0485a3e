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

    /// Puts a channel's pending envelopes on the ledger, in position order, and records their message ids: one
    /// transaction under the channel's advisory lock, so rounds of one channel never overlap, whichever worker
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
                let channel = channelID.bytes.byteBuffer
                _ = try await connection.query(
                    """
                    SELECT pg_advisory_xact_lock(\(Self.anchorLockNamespace),
                        hashtext(\(tenant.rawValue) || '/' || encode(\(channel), 'hex')))
                    """, logger: logger
                ).collect()
                var pending: [(position: Int64, envelope: Envelope)] = []
                let rows = try await connection.query(
                    """
                    SELECT position, envelope FROM streams.envelopes
                    WHERE tenant_id = \(tenant.rawValue) AND channel_id = \(channel) AND message_id IS NULL
                    ORDER BY position LIMIT \(Int64(limit))
                    """, logger: logger)
                var size = 0
                var cut = false
                for try await (position, bytes) in rows.decode((Int64, ByteBuffer).self) {
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
                    try await connection.query(
                        """
                        UPDATE streams.envelopes e SET message_id = u.m
                        FROM unnest(\(pending.map(\.position))::bigint[], \(ids.map { $0.bytes.byteBuffer })::bytea[])
                            AS u(p, m)
                        WHERE e.tenant_id = \(tenant.rawValue) AND e.channel_id = \(channel) AND e.position = u.p
                        """, logger: logger)
                    for (row, id) in zip(pending, ids) { found[row.position] = id }
                }
                let missing = wanted.filter { found[$0] == nil }
                if !missing.isEmpty {
                    let rows = try await connection.query(
                        """
                        SELECT position, message_id FROM streams.envelopes
                        WHERE tenant_id = \(tenant.rawValue) AND channel_id = \(channel)
                            AND position = ANY(\(missing)::bigint[]) AND message_id IS NOT NULL
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

    /// Channels with envelopes recorded before `before` and still not on the ledger: what a crash or an
    /// unreachable ledger left behind.
    func channelsWithPendingEnvelopes(recordedBefore before: Date, limit: Int) async throws
        -> [(tenant: TenantID, channelID: Digest32)]
    {
        try await database.run {
            let rows = try await client.query(
                """
                SELECT DISTINCT tenant_id, channel_id FROM streams.envelopes
                WHERE message_id IS NULL AND written_at < \(before) LIMIT \(Int64(limit))
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
