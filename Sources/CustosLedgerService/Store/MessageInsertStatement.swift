import CustosCore
import Foundation
import NIOCore
import PostgresNIO

/// The group-commit insert of ``LedgerStore/insert(tenant:_:epoch:on:)`` as a prepared statement: every commit of
/// every tenant runs it, and as an unnamed statement PostgreSQL parsed, analysed and planned it each time (a
/// third of PostgreSQL's CPU under channel writes went to parsing and planning). Prepared once per connection, it
/// is only bound and executed.
///
/// It inserts only while the tenant's sequencer epoch is `epoch`, locking the network row in share mode, and
/// returns how many rows it inserted.
struct MessageInsertStatement: PostgresPreparedStatement {
    typealias Row = Int64
    // Named here: the protocol's default name reflects on the type at every execution.
    static let name = "ledger.insert_messages"

    static let sql = """
        WITH inserted AS (
          INSERT INTO ledger.messages (tenant_id, seq, message_id, tag, raw, content_type, received_at)
          SELECT $1, s, m, t, r, c, w
          FROM UNNEST($2::bigint[], $3::bytea[], $4::bytea[], $5::bytea[], $6::text[], $7::timestamptz[])
            AS u(s, m, t, r, c, w)
          WHERE EXISTS (SELECT 1 FROM ledger.networks WHERE tenant_id = $1 AND sequencer_epoch = $8 FOR SHARE)
          RETURNING 1
        )
        SELECT count(*) FROM inserted
        """

    let tenant: TenantID
    let batch: [StoredMessage]
    let epoch: Int64

    func makeBindings() throws -> PostgresBindings {
        var bindings = PostgresBindings(capacity: 8)
        bindings.append(tenant.rawValue)
        bindings.append(batch.map(\.seq))
        bindings.append(batch.map { $0.id.bytes.byteBuffer })
        bindings.append(batch.map { ($0.message.payload.taggedData?.tag ?? []).byteBuffer })
        bindings.append(batch.map(\.raw.byteBuffer))
        bindings.append(batch.map(\.contentType))
        bindings.append(batch.map(\.receivedAt))
        bindings.append(epoch)
        return bindings
    }

    func decodeRow(_ row: PostgresRow) throws -> Int64 { try row.decode(Int64.self) }
}
