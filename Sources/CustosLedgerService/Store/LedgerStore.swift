import CustosCore
import CustosLedger
import CustosStore
import Foundation
import Logging
import NIOCore
import PostgresNIO

/// SQL access for the ledger worker; every statement is filtered by tenant.
struct LedgerStore: Sendable {
    let client: PostgresClient
    let logger: Logger

    struct NetworkRow: Sendable {
        var name: String
        var networkID: UInt64
    }

    func migrate() async throws {
        try await Migrator.apply(LedgerMigrations.set, on: client, logger: logger)
    }

    /// Inserts the network unless the tenant has one; returns the tenant's network either way.
    func createNetwork(tenant: TenantID, name: String) async throws -> NetworkRow {
        let networkID = LedgerMessage.networkID(forName: name)
        do {
            try await client.query(
                """
                INSERT INTO ledger.networks (tenant_id, name, network_id)
                VALUES (\(tenant.rawValue), \(name), \(Int64(bitPattern: networkID)))
                ON CONFLICT (tenant_id) DO NOTHING
                """, logger: logger)
        } catch let error as PSQLError where error.serverInfo?[.sqlState] == "23505" {
            throw LedgerError("ledger network name \(name) is already taken", kind: .conflict)
        }
        guard let row = try await network(tenant: tenant) else {
            throw LedgerError("ledger network of \(tenant) vanished", kind: .internalFailure)
        }
        guard row.name == name else {
            throw LedgerError("tenant \(tenant) already has ledger network \(row.name)", kind: .conflict)
        }
        return row
    }

    func network(tenant: TenantID) async throws -> NetworkRow? {
        let rows = try await client.query(
            "SELECT name, network_id FROM ledger.networks WHERE tenant_id = \(tenant.rawValue)", logger: logger)
        for try await (name, id) in rows.decode((String, Int64).self) {
            return NetworkRow(name: name, networkID: UInt64(bitPattern: id))
        }
        return nil
    }

    /// The newest message (highest sequence number) of a tenant, to resume attaching after a restart.
    func newest(tenant: TenantID) async throws -> (seq: Int64, id: Digest32)? {
        let rows = try await client.query(
            """
            SELECT seq, message_id FROM ledger.messages WHERE tenant_id = \(tenant.rawValue)
            ORDER BY seq DESC LIMIT 1
            """, logger: logger)
        for try await (seq, id) in rows.decode((Int64, ByteBuffer).self) {
            return (seq, try Digest32(bytes: id.bytes))
        }
        return nil
    }

    /// Inserts a batch in one statement and one commit (group commit).
    func insert(tenant: TenantID, _ batch: [StoredMessage]) async throws {
        let seqs = batch.map(\.seq)
        let ids = batch.map { $0.id.bytes.byteBuffer }
        // Milestones carry no tag; they are stored with an empty one.
        let tags = batch.map { ($0.message.payload.taggedData?.tag ?? []).byteBuffer }
        let raws = batch.map(\.raw.byteBuffer)
        let types = batch.map(\.contentType)
        let times = batch.map(\.receivedAt)
        try await client.query(
            """
            INSERT INTO ledger.messages (tenant_id, seq, message_id, tag, raw, content_type, received_at)
            SELECT \(tenant.rawValue), s, m, t, r, c, w
            FROM UNNEST(\(seqs)::bigint[], \(ids)::bytea[], \(tags)::bytea[], \(raws)::bytea[], \(types)::text[],
                        \(times)::timestamptz[]) AS u(s, m, t, r, c, w)
            """, logger: logger)
    }

    func message(tenant: TenantID, id: Digest32) async throws -> StoredMessage? {
        let rows = try await client.query(
            """
            SELECT seq, raw, content_type, received_at FROM ledger.messages
            WHERE tenant_id = \(tenant.rawValue) AND message_id = \(id.bytes.byteBuffer)
            """, logger: logger)
        for try await (seq, raw, contentType, receivedAt) in rows.decode((Int64, ByteBuffer, String, Date).self) {
            let bytes = raw.bytes
            return StoredMessage(
                seq: seq, id: id, message: try LedgerMessage(bytes: bytes), raw: bytes, contentType: contentType,
                receivedAt: receivedAt)
        }
        return nil
    }
}
