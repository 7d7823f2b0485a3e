import CustosClients
import CustosCore
import CustosCrypto
import Foundation
import Logging
import NIOCore
import PostgresNIO

extension ControlStore {
    /// A control-plane mutation to record: stored in the transaction of the mutation itself, so a change is never
    /// stored without its event, then written to the platform's audit ledger by ``PlatformAuditRecorder``.
    struct AuditEvent: Sendable, Equatable {
        var actor: String
        var tenant: TenantID?
        var event: String
        var operation: String?
        var detail: String
        /// The key a rotation hands the audit over to.
        var nextSigner: String?

        init(
            actor: String, tenant: TenantID?, event: String, operation: String? = nil, detail: String,
            nextSigner: String? = nil
        ) {
            // A signup's actor names the client's address, which an append-only ledger would keep forever.
            self.actor = actor.hasPrefix("signup ") ? "signup" : actor
            self.tenant = tenant
            self.event = event
            self.operation = operation
            self.detail = detail
            self.nextSigner = nextSigner
        }
    }

    /// A stored audit event.
    struct AuditEventRow: Sendable, Equatable {
        var sequence: Int64
        /// Its position in the audit ledger, once given.
        var index: Int64?
        var at: Date
        var actor: String
        var tenant: String?
        var event: String
        var operation: String?
        var detail: String
        /// The key a rotation hands the audit over to.
        var nextSigner: String?
        /// Its entry in the platform's audit ledger, once recorded there.
        var messageID: Digest32?
    }

    /// Stores an event on the connection of the mutation's transaction.
    static func record(_ event: AuditEvent, on connection: PostgresConnection, logger: Logger) async throws {
        _ = try await connection.query(
            """
            INSERT INTO control.audit_events (actor, tenant_id, event, operation_id, detail, next_signer)
            VALUES (
              \(event.actor), \(event.tenant?.rawValue), \(event.event), \(event.operation), \(event.detail),
              \(event.nextSigner))
            """, logger: logger)
    }

    /// Stores an event of a mutation made outside this database (a worker's), once it was made.
    func record(_ event: AuditEvent) async throws {
        try await database.run {
            try await client.withConnection { connection in
                try await Self.record(event, on: connection, logger: logger)
            }
        }
    }

    private static let auditColumns = """
        SELECT seq, audit_index, at, actor, tenant_id, event, operation_id, detail, next_signer, message_id
        FROM control.audit_events
        """

    /// The newest audit events first.
    func auditEvents(limit: Int) async throws -> [AuditEventRow] {
        try await auditEvents(Self.auditColumns + " ORDER BY seq DESC LIMIT $1", limit: limit)
    }

    /// The next events to attach to the audit ledger, in index order: those given an index but not marked
    /// recorded (a recorder stopped in between attaches them again, with the same index), else the oldest
    /// committed events without one, given the next indexes now.
    func nextAuditBatch(limit: Int) async throws -> [AuditEventRow] {
        let unmarked =
            Self.auditColumns
            + " WHERE message_id IS NULL AND audit_index IS NOT NULL ORDER BY audit_index LIMIT $1"
        let left = try await auditEvents(unmarked, limit: limit)
        guard left.isEmpty else { return left }
        try await database.run {
            // One recorder gives indexes, so the top cannot move under it.
            _ = try await client.query(
                """
                UPDATE control.audit_events e SET audit_index = top.value + next.rank
                FROM (SELECT seq, row_number() OVER (ORDER BY seq) AS rank FROM control.audit_events
                      WHERE audit_index IS NULL ORDER BY seq LIMIT \(limit)) next,
                     (SELECT coalesce(max(audit_index), 0) AS value FROM control.audit_events) top
                WHERE e.seq = next.seq
                """, logger: logger)
        }
        return try await auditEvents(unmarked, limit: limit)
    }

    /// Stores the event that hands the audit over from the key `from` to `to`, unless one to `to` is stored.
    /// Returns whether it stored one.
    func recordSigningKeyRotation(from: String, to: String, actor: String) async throws -> Bool {
        let event = AuditEvent(
            actor: actor, tenant: nil, event: PlatformAuditRecord.rotationEvent,
            detail: "the audit signing key \(from) hands over to \(to)", nextSigner: to)
        return try await database.run {
            let rows = try await client.query(
                """
                INSERT INTO control.audit_events (actor, event, detail, next_signer)
                SELECT \(event.actor), \(event.event), \(event.detail), \(to)
                WHERE NOT EXISTS (
                  SELECT 1 FROM control.audit_events WHERE event = \(event.event) AND next_signer = \(to))
                RETURNING seq
                """, logger: logger)
            for try await _ in rows.decode(Int64.self) { return true }
            return false
        }
    }

    /// A stored rotation of the audit signing key.
    struct SigningKeyRotation: Sendable, Equatable {
        /// Its audit index, once given: the events up to it are signed by the key it hands over from.
        var index: Int64?
        /// Whether it is in the audit ledger, after which the key it hands over from signs nothing more.
        var recorded: Bool
    }

    /// The newest rotation to `signer`, if one is stored.
    func signingKeyRotation(to signer: String) async throws -> SigningKeyRotation? {
        try await database.run {
            let rows = try await client.query(
                """
                SELECT audit_index, message_id IS NOT NULL FROM control.audit_events
                WHERE event = \(PlatformAuditRecord.rotationEvent) AND next_signer = \(signer)
                ORDER BY seq DESC LIMIT 1
                """, logger: logger)
            for try await (index, recorded) in rows.decode((Int64?, Bool).self) {
                return SigningKeyRotation(index: index, recorded: recorded)
            }
            return nil
        }
    }

    /// How many events wait for the audit ledger.
    func pendingAuditCount() async throws -> Int {
        try await database.run {
            let rows = try await client.query(
                "SELECT count(*)::int FROM control.audit_events WHERE message_id IS NULL", logger: logger)
            for try await count in rows.decode(Int.self) { return count }
            return 0
        }
    }

    /// Notes the ledger entries that record events.
    func markRecorded(_ entries: [(sequence: Int64, messageID: Digest32)]) async throws {
        guard !entries.isEmpty else { return }
        try await database.run {
            _ = try await client.query(
                """
                UPDATE control.audit_events e SET message_id = decode(r.id, 'hex')
                FROM unnest(\(entries.map(\.sequence))::bigint[], \(entries.map(\.messageID.hex))::text[]) AS r(seq, id)
                WHERE e.seq = r.seq
                """, logger: logger)
        }
    }

    private func auditEvents(_ sql: String, limit: Int) async throws -> [AuditEventRow] {
        try await database.run {
            var bindings = PostgresBindings()
            bindings.append(limit)
            // The statement is one of the fixed texts above, never input.
            let rows = try await client.query(PostgresQuery(unsafeSQL: sql, binds: bindings), logger: logger)
            var result: [AuditEventRow] = []
            for try await (seq, index, at, actor, tenant, event, operation, detail, next, message) in rows.decode(
                (Int64, Int64?, Date, String, String?, String, String?, String, String?, ByteBuffer?).self)
            {
                result.append(
                    AuditEventRow(
                        sequence: seq, index: index, at: at, actor: actor, tenant: tenant, event: event,
                        operation: operation, detail: detail, nextSigner: next,
                        messageID: try message.map { try Digest32(bytes: Array(buffer: $0)) }))
            }
            return result
        }
    }
}
