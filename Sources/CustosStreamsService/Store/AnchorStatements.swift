import CustosCore
import Foundation
import NIOCore
import PostgresNIO

// The statements of an anchoring round (``StreamsStore/anchor(_:_:limit:maximumBytes:submit:)``), prepared once
// per connection like the write path's: a round runs for every batch of a busy tenant.

/// A channel's envelopes not on the ledger yet, in position order: those from the channel's anchored prefix on.
struct PendingEnvelopesStatement: PostgresPreparedStatement {
    typealias Row = (Int64, Date, ByteBuffer)
    static let name = "streams.pending_envelopes"

    static let sql = """
        SELECT position, written_at, envelope FROM streams.envelopes
        WHERE tenant_id = $1 AND channel_id = $2 AND position >= COALESCE((SELECT next_position FROM streams.anchoring
            WHERE tenant_id = $1 AND channel_id = $2), 0)
        ORDER BY position LIMIT $3
        """

    let tenant: TenantID
    let channelID: Digest32
    let limit: Int

    func makeBindings() throws -> PostgresBindings {
        var bindings = PostgresBindings(capacity: 3)
        bindings.append(tenant.rawValue)
        bindings.append(channelID.bytes.byteBuffer)
        bindings.append(Int64(limit))
        return bindings
    }

    func decodeRow(_ row: PostgresRow) throws -> Row { try row.decode(Row.self) }
}

/// The message ids of a round's envelopes, and each channel's anchored prefix moved past them, in one statement;
/// answers how many ids it recorded (fewer when another worker's round recorded some first, whose ids stay).
struct AnchorRecordStatement: PostgresPreparedStatement {
    typealias Row = Int64
    static let name = "streams.record_anchors"

    static let sql = """
        WITH recorded AS (
            INSERT INTO streams.anchors (tenant_id, channel_id, position, message_id)
            SELECT $1, c, p, m FROM unnest($2::bytea[], $3::bigint[], $4::bytea[]) AS u(c, p, m)
            ON CONFLICT DO NOTHING RETURNING 1
        ), moved AS (
            INSERT INTO streams.anchoring AS a (tenant_id, channel_id, next_position)
            SELECT $1, c, max(p) + 1 FROM unnest($2::bytea[], $3::bigint[]) AS u(c, p) GROUP BY c
            ON CONFLICT (tenant_id, channel_id) DO UPDATE
            SET next_position = GREATEST(a.next_position, EXCLUDED.next_position)
        )
        SELECT count(*) FROM recorded
        """

    let tenant: TenantID
    let channelIDs: [Digest32]
    let positions: [Int64]
    let messageIDs: [Digest32]

    func makeBindings() throws -> PostgresBindings {
        var bindings = PostgresBindings(capacity: 4)
        bindings.append(tenant.rawValue)
        bindings.append(channelIDs.map { $0.bytes.byteBuffer })
        bindings.append(positions)
        bindings.append(messageIDs.map { $0.bytes.byteBuffer })
        return bindings
    }

    func decodeRow(_ row: PostgresRow) throws -> Int64 { try row.decode(Int64.self) }
}
