import CustosCore
import CustosCrypto
import CustosLedger
import CustosStore
import Foundation
import Logging
import NIOCore
import PostgresNIO

/// SQL access for the ledger worker; every statement is filtered by tenant.
///
/// Every operation runs under a `DatabaseDeadline`: it ends in time, and a database outage surfaces as
/// `StoreError.databaseUnavailable` (503).
struct LedgerStore: Sendable {
    let client: PostgresClient
    let logger: Logger
    /// Bounds every operation and turns a database outage into a 503.
    let database: DatabaseDeadline
    /// Holds each tenant's ledger data key, which seals its coordinator keys.
    let keyring: TenantKeyring

    /// Reading a tenant's whole log (or everything unconfirmed) at load time may take longer than one query.
    static let loadTimeout: Duration = .seconds(60)

    init(
        client: PostgresClient, masterKey: MasterKey, logger: Logger,
        queryTimeout: Duration = DatabaseConfiguration.Options().queryTimeout
    ) {
        self.client = client
        self.logger = logger
        let database = DatabaseDeadline(timeout: queryTimeout, logger: logger)
        self.database = database
        self.keyring = TenantKeyring(client: client, masterKey: masterKey, database: database, logger: logger)
    }

    static let milestoneContentType = "application/vnd.custos.milestone"

    /// Applies the keyring's migrations, then the ledger's (whose v3 moves the old data keys into the keyring).
    func migrate() async throws {
        try await keyring.migrate()
        try await Migrator.apply(LedgerMigrations.set, on: client, logger: logger)
    }

    // MARK: Networks and keys

    /// Creates the network with its first coordinator key, sealed under the tenant's ledger data key (created in
    /// the keyring in the same transaction unless the tenant has one); returns the existing network when the
    /// tenant already has this one.
    func createNetwork(tenant: TenantID, name: String, origin: String) async throws -> NetworkRow {
        let networkID = LedgerMessage.networkID(forName: name)
        let coordinator = Ed25519.PrivateKey()
        do {
            try await database.run {
                try await client.transaction(logger: logger) { connection in
                    let inserted = try await connection.query(
                        """
                        INSERT INTO ledger.networks (tenant_id, name, network_id, origin)
                        VALUES (\(tenant.rawValue), \(name), \(Int64(bitPattern: networkID)), \(origin))
                        ON CONFLICT (tenant_id) DO NOTHING RETURNING 1
                        """, logger: logger)
                    var created = false
                    for try await _ in inserted { created = true }
                    guard created else { return }
                    let dataKey = try await keyring.create(tenant: tenant, component: .ledger, on: connection)
                    let sealedSeed = try Self.sealCoordinatorSeed(coordinator.seed, index: 0, under: dataKey)
                    try await connection.query(
                        """
                        INSERT INTO ledger.coordinator_keys (tenant_id, key_index, public_key, sealed_seed)
                        VALUES (\(tenant.rawValue), 0, \(coordinator.publicKey.rawRepresentation.byteBuffer),
                                \(sealedSeed.byteBuffer))
                        """, logger: logger)
                }
            }
        } catch let error as PSQLError where error.serverInfo?[.sqlState] == "23505" {
            // The name's unique index can report a concurrent create of this very network before the tenant's
            // conflict is seen; only another tenant's network makes the name taken.
            guard try await network(tenant: tenant)?.name == name else {
                throw LedgerError("ledger network name \(name) is already taken", kind: .conflict)
            }
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
        try await database.run {
            let rows = try await client.query(
                "SELECT name, network_id, origin FROM ledger.networks WHERE tenant_id = \(tenant.rawValue)",
                logger: logger)
            for try await (name, id, origin) in rows.decode((String, Int64, String?).self) {
                return NetworkRow(
                    name: name, networkID: UInt64(bitPattern: id), origin: origin ?? "custos.local/\(tenant.rawValue)")
            }
            return nil
        }
    }

    /// Whether the tenant's network was erased (the tenant deleted).
    func isErased(_ tenant: TenantID) async throws -> Bool {
        try await database.run {
            let rows = try await client.query(
                "SELECT erased_at IS NOT NULL FROM ledger.networks WHERE tenant_id = \(tenant.rawValue)", logger: logger
            )
            for try await erased in rows.decode(Bool.self) { return erased }
            return false
        }
    }

    /// Erases a deleted tenant's ledger: its entries (their bytes) and its coordinator keys' seeds are destroyed,
    /// the keyring's ledger data key with them; the log's leaves and tiles (hashes), its milestones (signed
    /// checkpoints) and the coordinator keys' public halves stay, so receipts issued before still verify
    /// offline against the pinned key. Safe to repeat; returns the entries destroyed now.
    func erase(_ tenant: TenantID) async throws -> Int {
        let count = try await database.run {
            try await client.transaction(logger: logger) { connection in
                _ = try await connection.query(
                    """
                    UPDATE ledger.networks SET erased_at = coalesce(erased_at, now()), sequencer_epoch = sequencer_epoch + 1
                    WHERE tenant_id = \(tenant.rawValue)
                    """, logger: logger)
                let deleted = try await connection.query(
                    """
                    DELETE FROM ledger.messages m WHERE m.tenant_id = \(tenant.rawValue) AND NOT EXISTS (
                      SELECT 1 FROM ledger.milestones s WHERE s.tenant_id = m.tenant_id AND s.message_id = m.message_id)
                    RETURNING 1
                    """, logger: logger)
                var count = 0
                for try await _ in deleted { count += 1 }
                _ = try await connection.query(
                    "UPDATE ledger.coordinator_keys SET sealed_seed = ''::bytea WHERE tenant_id = \(tenant.rawValue)",
                    logger: logger)
                return count
            }
        }
        try await keyring.destroy(tenant: tenant, component: .ledger)
        return count
    }

    /// Every tenant with a ledger network that was not erased.
    func tenants() async throws -> [TenantID] {
        try await database.run {
            let rows = try await client.query(
                "SELECT tenant_id FROM ledger.networks WHERE erased_at IS NULL ORDER BY tenant_id", logger: logger)
            var result: [TenantID] = []
            for try await tenant in rows.decode(String.self) { result.append(try TenantID(validating: tenant)) }
            return result
        }
    }

    /// What coordinator seeds are sealed as: associated data `custos/v1/coordinator-key/<tenant>/<index>`, as
    /// before the keyring, so seeds sealed then still open.
    static let coordinatorPurpose = "coordinator-key"

    static func sealCoordinatorSeed(_ seed: [UInt8], index: Int, under dataKey: TenantDataKey) throws -> [UInt8] {
        try dataKey.seal(seed, purpose: coordinatorPurpose, row: String(index))
    }

    /// The tenant's ledger data key; a destroyed one (a deleted tenant) is a `KeyringError` (404).
    private func dataKey(tenant: TenantID) async throws -> TenantDataKey {
        try await keyring.dataKey(tenant: tenant, component: .ledger)
    }

    /// The coordinator key with `index`, unsealed, or nil when there is none.
    func coordinatorKey(tenant: TenantID, index: Int) async throws -> CoordinatorKey? {
        try await database.run {
            let rows = try await client.query(
                """
                SELECT public_key, sealed_seed FROM ledger.coordinator_keys
                WHERE tenant_id = \(tenant.rawValue) AND key_index = \(index)
                """, logger: logger)
            for try await (publicKey, sealed) in rows.decode((ByteBuffer, ByteBuffer).self) {
                let seed = try await dataKey(tenant: tenant).open(
                    sealed.bytes, purpose: Self.coordinatorPurpose, row: String(index))
                let key = try Ed25519.PrivateKey(seed: seed)
                guard key.publicKey.rawRepresentation == publicKey.bytes else {
                    throw LedgerError(
                        "coordinator key \(index) of \(tenant) does not match its public key", kind: .internalFailure)
                }
                return CoordinatorKey(index: index, privateKey: key)
            }
            return nil
        }
    }

    /// Stores a new coordinator key (sealed) for a later milestone to announce, if the tenant's sequencer is still
    /// the one that claimed `epoch`.
    func addCoordinatorKey(tenant: TenantID, index: Int, epoch: Int64) async throws -> CoordinatorKey {
        try await database.run {
            let key = Ed25519.PrivateKey()
            let sealed = try Self.sealCoordinatorSeed(key.seed, index: index, under: try await dataKey(tenant: tenant))
            try await client.transaction(logger: logger) { connection in
                try await fence(tenant: tenant, epoch: epoch, on: connection)
                try await connection.query(
                    """
                    INSERT INTO ledger.coordinator_keys (tenant_id, key_index, public_key, sealed_seed)
                    VALUES (\(tenant.rawValue), \(index), \(key.publicKey.rawRepresentation.byteBuffer), \(sealed.byteBuffer))
                    ON CONFLICT (tenant_id, key_index) DO NOTHING
                    """, logger: logger)
            }
            guard let stored = try await coordinatorKey(tenant: tenant, index: index) else {
                throw LedgerError("coordinator key \(index) of \(tenant) was not stored", kind: .internalFailure)
            }
            return stored
        }
    }

    // MARK: Sequencer epochs

    /// Holds the tenant's network row in share mode until the transaction ends, or throws
    /// ``SequencerError/lost(_:)`` when another worker claimed the tenant after `epoch`: a claim waits for this
    /// transaction, and this transaction sees a claim that committed first.
    private func fence(tenant: TenantID, epoch: Int64, on connection: PostgresConnection) async throws {
        let rows = try await connection.query(
            """
            SELECT 1 FROM ledger.networks WHERE tenant_id = \(tenant.rawValue) AND sequencer_epoch = \(epoch) FOR SHARE
            """, logger: logger)
        guard try await rows.collect().count == 1 else { throw SequencerError.lost(tenant) }
    }

    /// The URL of the worker that last took `shard`, as it recorded it.
    func owner(of shard: SequencerShard) async throws -> String? {
        try await database.run {
            let rows = try await client.query(
                "SELECT owner_url FROM ledger.sequencer_shards WHERE shard = \(shard.index)", logger: logger)
            for try await url in rows.decode(String.self) { return url }
            return nil
        }
    }

    // MARK: Messages

    /// Inserts messages in one statement (group commit) if the tenant's sequencer is still the one that claimed
    /// `epoch`; otherwise nothing is inserted and ``SequencerError/lost(_:)`` is thrown.
    ///
    /// The statement locks the network row in share mode (as ``fence(tenant:epoch:on:)`` does) and re-checks the
    /// epoch on the newest row version, so a claim that commits while it runs either waits for it or stops it; in
    /// a transaction, the lock protects the statements after it too.
    func insert(
        tenant: TenantID, _ batch: [StoredMessage], epoch: Int64, on connection: PostgresConnection? = nil
    ) async throws {
        let statement = MessageInsertStatement(tenant: tenant, batch: batch, epoch: epoch)
        let logger = self.logger
        let count: @Sendable (PostgresConnection) async throws -> Int64 = { connection in
            for try await count in try await connection.execute(statement, logger: logger) {
                return count
            }
            return 0
        }
        let inserted: Int64
        if let connection {
            inserted = try await count(connection)
        } else {
            inserted = try await database.run { try await client.withConnection(count) }
        }
        guard inserted == batch.count else { throw SequencerError.lost(tenant) }
    }

    func message(tenant: TenantID, id: Digest32) async throws -> StoredMessage? {
        try await database.run {
            let rows = try await client.query(
                """
                SELECT seq, raw, content_type, received_at FROM ledger.messages
                WHERE tenant_id = \(tenant.rawValue) AND message_id = \(id.bytes.byteBuffer)
                """, logger: logger)
            for try await (seq, raw, contentType, receivedAt) in rows.decode((Int64, ByteBuffer, String, Date).self) {
                return try Self.stored(seq: seq, id: id, raw: raw, contentType: contentType, receivedAt: receivedAt)
            }
            return nil
        }
    }

    /// Messages by id and, once a milestone confirmed them, their leaf indexes, in one round trip; ids not in
    /// the ledger are left out.
    func messagesAndLeaves(tenant: TenantID, ids: [Digest32]) async throws
        -> [Digest32: (message: StoredMessage, leaf: UInt64?)]
    {
        try await database.run {
            let rows = try await client.query(
                """
                SELECT m.message_id, m.seq, m.raw, m.content_type, m.received_at, l.leaf_index FROM ledger.messages m
                LEFT JOIN ledger.leaves l ON l.tenant_id = m.tenant_id AND l.message_id = m.message_id
                WHERE m.tenant_id = \(tenant.rawValue) AND m.message_id = ANY(\(ids.map(\.bytes.byteBuffer)))
                """, logger: logger)
            var found: [Digest32: (message: StoredMessage, leaf: UInt64?)] = [:]
            for try await (id, seq, raw, contentType, receivedAt, leaf) in rows.decode(
                (ByteBuffer, Int64, ByteBuffer, String, Date, Int64?).self)
            {
                let id = try Digest32(bytes: id.bytes)
                let stored = try Self.stored(
                    seq: seq, id: id, raw: raw, contentType: contentType, receivedAt: receivedAt)
                found[id] = (stored, leaf.map(UInt64.init))
            }
            return found
        }
    }

    /// Messages with a tag, in ledger order, after sequence number `after`.
    func messages(tenant: TenantID, tag: [UInt8], after: Int64, limit: Int) async throws -> [StoredMessage] {
        try await database.run {
            let rows = try await client.query(
                """
                SELECT seq, message_id, raw, content_type, received_at FROM ledger.messages
                WHERE tenant_id = \(tenant.rawValue) AND tag = \(tag.byteBuffer) AND seq > \(after)
                  AND content_type <> \(Self.milestoneContentType)
                ORDER BY seq LIMIT \(limit)
                """, logger: logger)
            var result: [StoredMessage] = []
            for try await (seq, id, raw, contentType, receivedAt) in rows.decode(
                (Int64, ByteBuffer, ByteBuffer, String, Date).self)
            {
                result.append(
                    try Self.stored(
                        seq: seq, id: try Digest32(bytes: id.bytes), raw: raw, contentType: contentType,
                        receivedAt: receivedAt))
            }
            return result
        }
    }

    private static func stored(seq: Int64, id: Digest32, raw: ByteBuffer, contentType: String, receivedAt: Date) throws
        -> StoredMessage
    {
        let bytes = raw.bytes
        return StoredMessage(
            seq: seq, id: id, message: try LedgerMessage(bytes: bytes), raw: bytes, contentType: contentType,
            receivedAt: receivedAt)
    }

    /// Inserts a batch that must not commit before `predecessor` has, because its messages take the
    /// predecessor's as parents: in a transaction of its own, the rows go in while the predecessor commits, and
    /// are rolled back when it fails. Without a predecessor the batch commits by itself.
    func insert(
        tenant: TenantID, _ batch: [StoredMessage], epoch: Int64, after predecessor: Task<Void, any Error>?
    ) async throws {
        guard let predecessor else { return try await insert(tenant: tenant, batch, epoch: epoch) }
        let logger = self.logger
        try await database.run {
            try await client.transaction(logger: logger) { connection in
                try await insert(tenant: tenant, batch, epoch: epoch, on: connection)
                try await predecessor.value
            }
        }
    }

    // MARK: Milestones and the Merkle log

    /// Writes a milestone, the leaves it confirms and the changed tiles atomically, if the tenant's sequencer is
    /// still the one that claimed `epoch`, committing only after `predecessor` (which holds messages it confirms)
    /// has committed.
    func commit(
        tenant: TenantID, _ commit: MilestoneCommit, epoch: Int64, after predecessor: Task<Void, any Error>? = nil
    ) async throws {
        let row = commit.row
        try await database.run {
            try await client.transaction(logger: logger) { connection in
                // The milestone message's insert holds the fence for the rest of the transaction.
                try await insert(tenant: tenant, [commit.message], epoch: epoch, on: connection)
                if !commit.leaves.isEmpty {
                    let indexes = commit.leaves.indices.map { Int64(commit.firstLeafIndex) + Int64($0) }
                    let ids = commit.leaves.map { $0.bytes.byteBuffer }
                    try await connection.query(
                        """
                        INSERT INTO ledger.leaves (tenant_id, leaf_index, message_id)
                        SELECT \(tenant.rawValue), i, m FROM UNNEST(\(indexes)::bigint[], \(ids)::bytea[]) AS u(i, m)
                        """, logger: logger)
                }
                try await connection.query(
                    """
                    INSERT INTO ledger.milestones (tenant_id, milestone_index, message_id, timestamp_ms, log_size, log_root,
                        checkpoint, key_index, announces_next_key, unconfirmed_from_seq)
                    VALUES (\(tenant.rawValue), \(Int64(row.index)), \(row.messageID.bytes.byteBuffer),
                        \(Int64(row.timestamp)), \(Int64(row.logSize)), \(row.logRoot.bytes.byteBuffer), \(row.checkpoint),
                        \(row.keyIndex), \(row.announcesNextKey), \(row.unconfirmedFromSeq))
                    """, logger: logger)
                if !commit.tiles.isEmpty {
                    let levels = commit.tiles.map { $0.id.level }
                    let indexes = commit.tiles.map { Int64($0.id.index) }
                    let widths = commit.tiles.map { $0.id.width }
                    let contents = commit.tiles.map { $0.content.byteBuffer }
                    try await connection.query(
                        """
                        INSERT INTO ledger.tiles (tenant_id, level, tile_index, width, hashes)
                        SELECT \(tenant.rawValue), l, i, w, h
                        FROM UNNEST(\(levels)::integer[], \(indexes)::bigint[], \(widths)::integer[], \(contents)::bytea[])
                            AS u(l, i, w, h)
                        ON CONFLICT (tenant_id, level, tile_index)
                        DO UPDATE SET width = excluded.width, hashes = excluded.hashes WHERE ledger.tiles.width < excluded.width
                        """, logger: logger)
                }
                try await predecessor?.value
            }
        }
    }

    func latestMilestone(tenant: TenantID) async throws -> MilestoneRow? {
        try await database.run {
            let rows = try await client.query(
                """
                SELECT milestone_index, message_id, timestamp_ms, log_size, log_root, checkpoint, key_index,
                       announces_next_key, unconfirmed_from_seq
                FROM ledger.milestones WHERE tenant_id = \(tenant.rawValue) ORDER BY milestone_index DESC LIMIT 1
                """, logger: logger)
            for try await (index, id, timestamp, size, root, checkpoint, keyIndex, announces, from) in rows.decode(
                (Int64, ByteBuffer, Int64, Int64, ByteBuffer, String, Int, Bool, Int64).self)
            {
                return MilestoneRow(
                    index: UInt32(index), messageID: try Digest32(bytes: id.bytes), timestamp: UInt64(timestamp),
                    logSize: UInt64(size), logRoot: try Digest32(bytes: root.bytes), checkpoint: checkpoint,
                    keyIndex: keyIndex, announcesNextKey: announces, unconfirmedFromSeq: from)
            }
            return nil
        }
    }

    /// Milestone messages with index above `after` (or only the newest when `after` is nil), oldest first.
    func milestoneMessages(tenant: TenantID, after: Int64?, limit: Int) async throws
        -> [(index: Int64, id: Digest32, raw: [UInt8])]
    {
        try await database.run {
            let rows: PostgresRowSequence
            if let after {
                rows = try await client.query(
                    """
                    SELECT s.milestone_index, s.message_id, m.raw FROM ledger.milestones s
                    JOIN ledger.messages m ON m.tenant_id = s.tenant_id AND m.message_id = s.message_id
                    WHERE s.tenant_id = \(tenant.rawValue) AND s.milestone_index > \(after)
                    ORDER BY s.milestone_index LIMIT \(limit)
                    """, logger: logger)
            } else {
                rows = try await client.query(
                    """
                    SELECT s.milestone_index, s.message_id, m.raw FROM ledger.milestones s
                    JOIN ledger.messages m ON m.tenant_id = s.tenant_id AND m.message_id = s.message_id
                    WHERE s.tenant_id = \(tenant.rawValue) ORDER BY s.milestone_index DESC LIMIT 1
                    """, logger: logger)
            }
            var result: [(index: Int64, id: Digest32, raw: [UInt8])] = []
            for try await (index, id, raw) in rows.decode((Int64, ByteBuffer, ByteBuffer).self) {
                result.append((index, try Digest32(bytes: id.bytes), raw.bytes))
            }
            return result
        }
    }

    /// The message ids of the log, in leaf order.
    func leaves(tenant: TenantID) async throws -> [Digest32] {
        try await database.run(timeout: Self.loadTimeout) {
            let rows = try await client.query(
                "SELECT message_id FROM ledger.leaves WHERE tenant_id = \(tenant.rawValue) ORDER BY leaf_index",
                logger: logger)
            var result: [Digest32] = []
            for try await id in rows.decode(ByteBuffer.self) { result.append(try Digest32(bytes: id.bytes)) }
            return result
        }
    }

    /// Message ids of the leaves `first ..< first + count`.
    func leaves(tenant: TenantID, from first: UInt64, count: Int) async throws -> [Digest32] {
        try await database.run {
            let rows = try await client.query(
                """
                SELECT message_id FROM ledger.leaves WHERE tenant_id = \(tenant.rawValue)
                  AND leaf_index >= \(Int64(first)) AND leaf_index < \(Int64(first) + Int64(count)) ORDER BY leaf_index
                """, logger: logger)
            var result: [Digest32] = []
            for try await id in rows.decode(ByteBuffer.self) { result.append(try Digest32(bytes: id.bytes)) }
            return result
        }
    }

    /// Messages from `seq` on that no milestone confirmed, in ledger order (milestones included).
    func unconfirmed(tenant: TenantID, fromSeq seq: Int64) async throws -> [UnconfirmedRow] {
        try await database.run(timeout: Self.loadTimeout) {
            let rows = try await client.query(
                """
                SELECT m.seq, m.message_id, m.raw FROM ledger.messages m
                WHERE m.tenant_id = \(tenant.rawValue) AND m.seq >= \(seq)
                  AND NOT EXISTS (SELECT 1 FROM ledger.leaves l WHERE l.tenant_id = m.tenant_id AND l.message_id = m.message_id)
                ORDER BY m.seq
                """, logger: logger)
            var result: [UnconfirmedRow] = []
            for try await (seq, id, raw) in rows.decode((Int64, ByteBuffer, ByteBuffer).self) {
                result.append(
                    UnconfirmedRow(
                        seq: seq, id: try Digest32(bytes: id.bytes), message: try LedgerMessage(bytes: raw.bytes)))
            }
            return result
        }
    }

    func newestSeq(tenant: TenantID) async throws -> Int64 {
        try await database.run {
            let rows = try await client.query(
                "SELECT coalesce(max(seq), 0) FROM ledger.messages WHERE tenant_id = \(tenant.rawValue)", logger: logger
            )
            for try await seq in rows.decode(Int64.self) { return seq }
            return 0
        }
    }

    /// A stored tile's hashes (possibly wider than asked: hashes only ever append).
    func tile(tenant: TenantID, level: Int, index: UInt64) async throws -> (width: Int, hashes: [UInt8])? {
        try await database.run {
            let rows = try await client.query(
                """
                SELECT width, hashes FROM ledger.tiles
                WHERE tenant_id = \(tenant.rawValue) AND level = \(level) AND tile_index = \(Int64(index))
                """, logger: logger)
            for try await (width, hashes) in rows.decode((Int, ByteBuffer).self) { return (width, hashes.bytes) }
            return nil
        }
    }
}
