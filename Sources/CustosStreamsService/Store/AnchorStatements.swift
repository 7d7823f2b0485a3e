import CustosCore
import NIOCore
import PostgresNIO

// The statements of an anchoring round (``StreamsStore/anchorPending``), prepared once per connection like the
// write path's: a round runs for every batch of a busy channel.

/// Orders a channel's rounds, whichever worker runs them; released when the transaction ends. A statement of its
/// own, so that the next statement's snapshot sees whatever the previous holder committed.
struct AnchorLockStatement: ChannelStatement {
    typealias Row = ()
    static let name = "streams.anchor_lock"

    static let sql =
        "SELECT pg_advisory_xact_lock(\(StreamsStore.anchorLockNamespace), hashtext($1 || '/' || encode($2, 'hex')))"

    let tenant: TenantID
    let channelID: Digest32

    func decodeRow(_ row: PostgresRow) throws {}
}

/// A channel's envelopes not on the ledger yet, in position order: those from the channel's anchored prefix on.
struct PendingEnvelopesStatement: PostgresPreparedStatement {
    typealias Row = (Int64, ByteBuffer)
    static let name = "streams.pending_envelopes"

    static let sql = """
        SELECT position, envelope FROM streams.envelopes
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

/// The message ids of a round's envelopes, and the channel's anchored prefix moved past them, in one statement.
struct AnchorRecordStatement: PostgresPreparedStatement {
    typealias Row = ()
    static let name = "streams.record_anchors"

    static let sql = """
        WITH recorded AS (
            INSERT INTO streams.anchors (tenant_id, channel_id, position, message_id)
            SELECT $1, $2, p, m FROM unnest($3::bigint[], $4::bytea[]) AS u(p, m)
        )
        INSERT INTO streams.anchoring (tenant_id, channel_id, next_position) VALUES ($1, $2, $5)
        ON CONFLICT (tenant_id, channel_id) DO UPDATE SET next_position = EXCLUDED.next_position
        """

    let tenant: TenantID
    let channelID: Digest32
    let positions: [Int64]
    let messageIDs: [Digest32]

    func makeBindings() throws -> PostgresBindings {
        var bindings = PostgresBindings(capacity: 5)
        bindings.append(tenant.rawValue)
        bindings.append(channelID.bytes.byteBuffer)
        bindings.append(positions)
        bindings.append(messageIDs.map { $0.bytes.byteBuffer })
        bindings.append((positions.last ?? -1) + 1)
        return bindings
    }

    func decodeRow(_ row: PostgresRow) throws {}
}
