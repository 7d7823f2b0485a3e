import CustosAuth
import CustosCore
import CustosCrypto
import CustosPolicy
import CustosStore
import Foundation
import Logging
import PostgresNIO

extension ControlStore {
    /// An operation row.
    public struct OperationRow: Sendable, Equatable {
        /// `op_` and 32 hex digits.
        public var id: String
        /// What it does.
        public var kind: OperationKind
        /// The tenant it changes.
        public var tenant: TenantID
        /// `running`, `succeeded` or `failed`.
        public var status: String
        /// The step under way, or the last one.
        public var step: String
        /// Percent done.
        public var progress: Int
        /// What was asked, as stored.
        public var request: [String: String]
        /// Why it failed.
        public var error: String?
        /// Who asked.
        public var actor: String
        /// When it was asked.
        public var createdAt: Date
        /// When it last changed.
        public var updatedAt: Date

        /// Whether it has finished, one way or the other.
        public var isFinished: Bool { status != "running" }
    }

    /// A new operation, as a caller asks for it.
    struct NewOperation: Sendable {
        var kind: OperationKind
        var tenant: TenantID
        var request: [String: String]
        var actor: String
        var idempotencyKey: String?
        var firstStep: String

        /// The hash that tells a retry (same request) from a reuse of its key for another one.
        var requestHash: [UInt8] {
            let canonical =
                ([kind.rawValue, tenant.rawValue] + request.sorted { $0.key < $1.key }.map { "\($0)=\($1)" })
                .joined(separator: "\n")
            return SHA256.hash(Array(canonical.utf8))
        }
    }

    /// A new tenant with its first key, stored with its provisioning operation.
    struct NewTenant: Sendable {
        var id: TenantID
        var name: String
        var plan: Plan
        var gatewayPort: Int?
        var contactEmail: String?
        var key: SecretToken
    }

    /// What starting an operation did: started it, or found the one an earlier call with the same idempotency
    /// key started.
    enum Started: Sendable, Equatable {
        case started(OperationRow)
        case replayed(OperationRow)

        var operation: OperationRow {
            switch self {
            case .started(let row), .replayed(let row): row
            }
        }
    }

    /// Stores a tenant (`provisioning`), its first key and its `create` operation in one transaction, or finds
    /// the operation of an earlier call with the same idempotency key.
    func beginCreate(_ tenant: NewTenant, _ operation: NewOperation) async throws -> Started {
        if let earlier = try await idempotentReplay(operation) { return .replayed(earlier) }
        let id = Self.newOperationID()
        do {
            return try await database.run {
                try await client.transaction(logger: logger) { connection in
                    _ = try await connection.query(
                        """
                        INSERT INTO control.tenants (tenant_id, display_name, status, gateway_port, plan, isolation,
                          contact_email)
                        VALUES (\(tenant.id.rawValue), \(tenant.name), 'provisioning', \(tenant.gatewayPort),
                          \(tenant.plan.name), \(tenant.plan.isolation.rawValue), \(tenant.contactEmail))
                        """, logger: logger)
                    // The first key has every scope, tenant-admin among them, so the tenant can make its others.
                    _ = try await connection.query(
                        """
                        INSERT INTO control.api_keys (tenant_id, key_id, key_hash, name)
                        VALUES (\(tenant.id.rawValue), \(tenant.key.id), \(tenant.key.hash.byteBuffer), 'initial')
                        """, logger: logger)
                    try await Self.insert(operation, id: id, on: connection, logger: logger)
                    return .started(try await Self.operation(id, on: connection, logger: logger))
                }
            }
        } catch  where UniqueViolation.matches(error, constraint: "operations_idempotency") {
            if let earlier = try await idempotentReplay(operation) { return .replayed(earlier) }
            throw error
        } catch  where UniqueViolation.matches(error) {
            let state = try? await self.tenant(tenant.id)?.status
            let detail =
                state == .deleted
                ? " (it was deleted: a tenant id is never given again)" : state.map { " (\($0.rawValue))" } ?? ""
            throw RequestError(.conflict, "tenant \(tenant.id) already exists" + detail)
        }
    }

    /// Starts an operation on an existing tenant after checking, under the tenant's row lock, that its state
    /// allows it and that no other operation runs; or finds the operation of an earlier call with the same
    /// idempotency key.
    func begin(_ operation: NewOperation) async throws -> Started {
        if let earlier = try await idempotentReplay(operation) { return .replayed(earlier) }
        let id = Self.newOperationID()
        do {
            return try await database.run {
                try await client.transaction(logger: logger) { connection in
                    let rows = try await connection.query(
                        "SELECT status FROM control.tenants WHERE tenant_id = \(operation.tenant.rawValue) FOR UPDATE",
                        logger: logger)
                    var status: TenantState?
                    for try await raw in rows.decode(String.self) { status = TenantState(rawValue: raw) }
                    guard let status else { throw RequestError(.notFound, "no tenant \(operation.tenant)") }
                    _ = try status.after(operation.kind)
                    try await Self.insert(operation, id: id, on: connection, logger: logger)
                    return .started(try await Self.operation(id, on: connection, logger: logger))
                }
            }
        } catch  where UniqueViolation.matches(error, constraint: "operations_idempotency") {
            if let earlier = try await idempotentReplay(operation) { return .replayed(earlier) }
            throw error
        } catch  where UniqueViolation.matches(error, constraint: "operations_one_per_tenant") {
            throw RequestError(
                .conflict, "another operation is changing tenant \(operation.tenant); wait for it and retry")
        }
    }

    /// Whether `actor` started an operation under `idempotencyKey` before.
    func knows(actor: String, idempotencyKey: String) async throws -> Bool {
        try await database.run {
            let rows = try await client.query(
                """
                SELECT 1 FROM control.operations WHERE actor = \(actor) AND idempotency_key = \(idempotencyKey)
                """, logger: logger)
            for try await _ in rows { return true }
            return false
        }
    }

    /// The operation an earlier call with the same actor and idempotency key started; 422 when that call asked
    /// for something else.
    func idempotentReplay(_ operation: NewOperation) async throws -> OperationRow? {
        guard let key = operation.idempotencyKey else { return nil }
        let found: (String, [UInt8])? = try await database.run {
            let rows = try await client.query(
                """
                SELECT operation_id, request_hash FROM control.operations
                WHERE actor = \(operation.actor) AND idempotency_key = \(key)
                """, logger: logger)
            for try await (id, hash) in rows.decode((String, ByteBuffer).self) { return (id, Array(buffer: hash)) }
            return nil
        }
        guard let (id, hash) = found else { return nil }
        guard hash == operation.requestHash else {
            throw RequestError(
                .unprocessable, "the Idempotency-Key \(key) was used for a different request; use a new key")
        }
        return try await self.operation(id)
    }

    private static func insert(
        _ operation: NewOperation, id: String, on connection: PostgresConnection, logger: Logger
    ) async throws {
        let request = String(decoding: try JSONEncoder().encode(operation.request), as: UTF8.self)
        _ = try await connection.query(
            """
            INSERT INTO control.operations (operation_id, kind, tenant_id, status, step, request, actor,
              idempotency_key, request_hash)
            VALUES (\(id), \(operation.kind.rawValue), \(operation.tenant.rawValue), 'running', \(operation.firstStep),
              \(request)::jsonb, \(operation.actor), \(operation.idempotencyKey), \(operation.requestHash.byteBuffer))
            """, logger: logger)
        // The contact address stays out of the audit: the ledger keeps what it records after the tenant is gone.
        let detail = operation.request.filter { $0.key != "email" }.sorted { $0.key < $1.key }
            .map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        try await record(
            AuditEvent(
                actor: operation.actor, tenant: operation.tenant, event: "tenant.\(operation.kind.rawValue).started",
                operation: id, detail: detail),
            on: connection, logger: logger)
    }

    static func newOperationID() -> String { "op_" + Hex.encode(SecureRandom.bytes(count: 16)) }

    /// One operation, or nil.
    func operation(_ id: String) async throws -> OperationRow? {
        try await operations(where: "operation_id", equals: id, limit: 1).first
    }

    /// Operations newest first, of one tenant when it is named.
    func operations(tenant: TenantID?, limit: Int) async throws -> [OperationRow] {
        try await operations(where: tenant.map { _ in "tenant_id" }, equals: tenant?.rawValue, limit: limit)
    }

    /// The operations still running, oldest first: what a control plane resumes when it starts.
    func runningOperations() async throws -> [OperationRow] {
        try await operations(where: "status", equals: "running", limit: 10_000).reversed()
    }

    private static let columns = """
        SELECT operation_id, kind, tenant_id, status, step, progress, request::text, error, actor, created_at,
          updated_at
        FROM control.operations
        """

    private func operations(where column: String?, equals value: String?, limit: Int) async throws -> [OperationRow] {
        try await database.run {
            // The column is one of three fixed names, never input.
            let filter = column.map { " WHERE \($0) = $1" } ?? " WHERE $1::text IS NULL"
            var bindings = PostgresBindings()
            bindings.append(value)
            bindings.append(limit)
            let rows = try await client.query(
                PostgresQuery(
                    unsafeSQL: Self.columns + filter + " ORDER BY created_at DESC, operation_id LIMIT $2",
                    binds: bindings), logger: logger)
            return try await Self.decode(rows)
        }
    }

    private static func operation(_ id: String, on connection: PostgresConnection, logger: Logger) async throws
        -> OperationRow
    {
        let rows = try await connection.query(
            PostgresQuery(unsafeSQL: columns + " WHERE operation_id = $1", binds: try bindings(id)), logger: logger)
        guard let row = try await decode(rows).first else {
            throw RequestError(.internalFailure, "the operation just stored is missing")
        }
        return row
    }

    private static func bindings(_ value: String) throws -> PostgresBindings {
        var bindings = PostgresBindings()
        bindings.append(value)
        return bindings
    }

    private static func decode(_ rows: PostgresRowSequence) async throws -> [OperationRow] {
        var result: [OperationRow] = []
        for try await (id, kind, tenant, status, step, progress, request, error, actor, created, updated)
            in rows.decode(
                (String, String, String, String, String, Int, String, String?, String, Date, Date).self)
        {
            result.append(
                OperationRow(
                    id: id, kind: OperationKind(rawValue: kind) ?? .create, tenant: try TenantID(validating: tenant),
                    status: status, step: step, progress: progress,
                    request: (try? JSONDecoder().decode([String: String].self, from: Data(request.utf8))) ?? [:],
                    error: error, actor: actor, createdAt: created, updatedAt: updated))
        }
        return result
    }

    /// Records the step an operation is at.
    func advance(_ id: String, step: String, progress: Int) async throws {
        try await database.run {
            _ = try await client.query(
                """
                UPDATE control.operations SET step = \(step), progress = \(progress), updated_at = now()
                WHERE operation_id = \(id) AND status = 'running'
                """, logger: logger)
        }
    }

    /// Ends an operation: succeeded, or failed with its error and, when it leaves the tenant failed, the
    /// tenant's state and reason in the same transaction.
    func finish(_ operation: OperationRow, error: String?, failTenant: Bool = false) async throws {
        try await database.run {
            try await client.transaction(logger: logger) { connection in
                _ = try await connection.query(
                    """
                    UPDATE control.operations SET status = \(error == nil ? "succeeded" : "failed"), error = \(error),
                      progress = CASE WHEN \(error)::text IS NULL THEN 100 ELSE progress END, updated_at = now()
                    WHERE operation_id = \(operation.id)
                    """, logger: logger)
                try await Self.record(
                    AuditEvent(
                        actor: operation.actor, tenant: operation.tenant,
                        event: "tenant.\(operation.kind.rawValue).\(error == nil ? "succeeded" : "failed")",
                        operation: operation.id, detail: error ?? "at \(operation.step)"),
                    on: connection, logger: logger)
                if let error, failTenant {
                    try await Self.setStatus(
                        operation.tenant, .failed,
                        reason: "\(operation.kind.rawValue) failed at \(operation.step): \(error)",
                        on: connection, logger: logger)
                }
            }
        }
    }

    /// Changes a tenant's state and tells every gateway in the same transaction (NOTIFY is delivered on
    /// commit), so a suspension applies the moment it commits.
    func setStatus(_ tenant: TenantID, _ status: TenantState, reason: String? = nil) async throws {
        try await database.run {
            try await client.transaction(logger: logger) { connection in
                try await Self.setStatus(tenant, status, reason: reason, on: connection, logger: logger)
            }
        }
    }

    private static func setStatus(
        _ tenant: TenantID, _ status: TenantState, reason: String?, on connection: PostgresConnection, logger: Logger
    ) async throws {
        _ = try await connection.query(
            """
            UPDATE control.tenants SET status = \(status.rawValue), status_reason = \(reason)
            WHERE tenant_id = \(tenant.rawValue)
            """, logger: logger)
        try await TenantChanges.notify(tenant, on: connection, logger: logger)
    }

    /// Starts deleting a tenant: `deleting`, every key revoked, the gateways told, in one transaction; its
    /// requests are refused from the moment it commits.
    func beginDeletion(_ tenant: TenantID) async throws {
        try await database.run {
            try await client.transaction(logger: logger) { connection in
                _ = try await connection.query(
                    """
                    UPDATE control.api_keys SET revoked_at = coalesce(revoked_at, now())
                    WHERE tenant_id = \(tenant.rawValue)
                    """, logger: logger)
                try await Self.setStatus(tenant, .deleting, reason: nil, on: connection, logger: logger)
            }
        }
    }

    /// Ends a deletion once the workers erased the tenant's data: its policies, usage and contact go, the row
    /// stays `deleted` so the id is never used again (receipts name it in their log's origin).
    func finishDeletion(_ tenant: TenantID) async throws {
        try await database.run {
            try await client.transaction(logger: logger) { connection in
                _ = try await connection.query(
                    "DELETE FROM control.tenant_policies WHERE tenant_id = \(tenant.rawValue)", logger: logger)
                _ = try await connection.query(
                    "DELETE FROM control.usage WHERE tenant_id = \(tenant.rawValue)", logger: logger)
                // The contact address a signup gave is in its operation's request too.
                _ = try await connection.query(
                    "UPDATE control.operations SET request = request - 'email' WHERE tenant_id = \(tenant.rawValue)",
                    logger: logger)
                _ = try await connection.query(
                    """
                    UPDATE control.tenants SET contact_email = NULL, gateway_port = NULL
                    WHERE tenant_id = \(tenant.rawValue)
                    """, logger: logger)
                try await Self.setStatus(tenant, .deleted, reason: nil, on: connection, logger: logger)
            }
        }
    }

    /// Records the tenant's ledger network.
    func setLedgerNetwork(_ tenant: TenantID, _ network: String) async throws {
        try await database.run {
            _ = try await client.query(
                "UPDATE control.tenants SET ledger_network = \(network) WHERE tenant_id = \(tenant.rawValue)",
                logger: logger)
        }
    }

    /// Moves a tenant to a plan, with the gateway port its isolation needs (nil for pooled), and tells the
    /// gateways.
    func setPlan(_ tenant: TenantID, _ plan: Plan, gatewayPort: Int?) async throws {
        try await database.run {
            try await client.transaction(logger: logger) { connection in
                _ = try await connection.query(
                    """
                    UPDATE control.tenants SET plan = \(plan.name), isolation = \(plan.isolation.rawValue),
                      gateway_port = \(gatewayPort)
                    WHERE tenant_id = \(tenant.rawValue)
                    """, logger: logger)
                try await TenantChanges.notify(tenant, on: connection, logger: logger)
            }
        }
    }
}
