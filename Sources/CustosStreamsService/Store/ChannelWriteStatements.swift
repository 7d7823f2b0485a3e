import CustosCore
import CustosStore
import Foundation
import NIOCore
import PostgresNIO

// The statements of every batch of log entries (``StreamsService/writeBatch(_:_:_:)``), prepared once per
// connection: as unnamed statements PostgreSQL parsed, analysed and planned each of them for every batch, a third
// of its CPU during channel writes. Each is named, because the protocol's default name reflects on the type at
// every execution.

/// A statement about one channel of a tenant, bound as `$1` and `$2`.
protocol ChannelStatement: PostgresPreparedStatement {
    var tenant: TenantID { get }
    var channelID: Digest32 { get }
}

extension ChannelStatement {
    func makeBindings() throws -> PostgresBindings {
        var bindings = PostgresBindings(capacity: 2)
        bindings.append(tenant.rawValue)
        bindings.append(channelID.bytes.byteBuffer)
        return bindings
    }
}

/// The channel's row, locked for the transaction: ``StreamsStore/withChannel(_:_:_:)``.
struct LockedChannelStatement: ChannelStatement {
    typealias Row = StreamsStore.ChannelColumns
    static let name = "streams.locked_channel"

    static let sql =
        "SELECT \(StreamsStore.channelColumns) FROM streams.channels WHERE tenant_id = $1 AND channel_id = $2 "
        + "FOR UPDATE"

    let tenant: TenantID
    let channelID: Digest32

    func decodeRow(_ row: PostgresRow) throws -> Row { try row.decode(Row.self) }
}

/// A channel's subscriptions, oldest first.
struct ChannelSubscriptionsStatement: ChannelStatement {
    typealias Row = StreamsStore.SubscriptionColumns
    static let name = "streams.channel_subscriptions"

    static let sql =
        "SELECT \(StreamsStore.subscriptionColumns) FROM streams.subscriptions WHERE tenant_id = $1 "
        + "AND channel_id = $2 ORDER BY created_at, subscriber_did"

    let tenant: TenantID
    let channelID: Digest32

    func decodeRow(_ row: PostgresRow) throws -> Row { try row.decode(Row.self) }
}

/// ``StreamsStore/recordEnvelopes(_:_:chains:on:)``: the envelopes (not anchored yet, so without message id), the
/// channel's new position and epoch, and the publishers' new chain heads, in one statement.
struct EnvelopeRecordStatement: PostgresPreparedStatement {
    typealias Row = ()
    static let name = "streams.record_envelopes"

    static let sql = """
        WITH inserted AS (
            INSERT INTO streams.envelopes (tenant_id, channel_id, position, envelope_id, kind, epoch, publisher,
                written_at, envelope)
            SELECT $1, $2, p, i, k, e, w, t, b
            FROM unnest($3::bigint[], $4::bytea[], $5::smallint[], $6::integer[], $7::bytea[], $8::timestamptz[],
                $9::bytea[]) AS u(p, i, k, e, w, t, b)
        ), advanced AS (
            UPDATE streams.channels SET next_position = $10, epoch = $11, epoch_anchor = $12, latest_message = $13,
                rekey_pending = $14
            WHERE tenant_id = $1 AND channel_id = $2
        )
        UPDATE streams.subscriptions s SET next_sequence = u.n, previous = u.p
        FROM unnest($15::text[], $16::bigint[], $17::bytea[]) AS u(d, n, p)
        WHERE s.tenant_id = $1 AND s.channel_id = $2 AND s.subscriber_did = u.d
        """

    let channel: ChannelRow
    let rows: [EnvelopeRow]
    let chains: [(subscriber: String, next: UInt64, previous: Digest32)]

    func makeBindings() throws -> PostgresBindings {
        var bindings = PostgresBindings(capacity: 17)
        bindings.append(channel.tenant.rawValue)
        bindings.append(channel.channelID.bytes.byteBuffer)
        bindings.append(rows.map(\.position))
        bindings.append(rows.map { $0.envelope.id.bytes.byteBuffer })
        bindings.append(rows.map { Int16($0.envelope.type.rawValue) })
        bindings.append(rows.map { Int32($0.envelope.epoch) })
        bindings.append(rows.map { $0.envelope.publisher.rawRepresentation.byteBuffer })
        bindings.append(rows.map(\.written))
        bindings.append(rows.map { $0.envelope.bytes.byteBuffer })
        bindings.append(channel.nextPosition)
        bindings.append(Int32(channel.epoch))
        bindings.append(channel.epochAnchor.bytes.byteBuffer)
        bindings.append(channel.latestMessage)
        bindings.append(channel.rekeyPending)
        bindings.append(chains.map(\.subscriber))
        bindings.append(chains.map { Int64($0.next) })
        bindings.append(chains.map { $0.previous.bytes.byteBuffer })
        return bindings
    }

    func decodeRow(_ row: PostgresRow) throws {}
}
