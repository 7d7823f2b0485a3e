import CustosCore
import CustosStore
import Logging
import NIOPosix
import PostgresNIO

/// The sequencer shards this ledger worker holds, as session advisory locks on one connection of its own.
///
/// PostgreSQL releases a session's locks when the session ends, so a worker that dies (or loses its connection)
/// lets the others take its shards at once. Holding a lock is not enough to write, though: a worker whose
/// connection broke may not have noticed yet. So taking over a tenant goes through ``claim(_:)``, which raises the
/// tenant's `sequencer_epoch` on this same connection; every write of the ledger store carries the epoch it was
/// loaded with and is refused once another worker claimed the tenant (see `LedgerStore.insert`).
///
/// Any failure of the connection drops every shard: ``held`` becomes empty, the connection is closed (so the
/// server releases whatever it still held) and the next call connects again.
actor SequencerLease {
    private let configuration: PostgresConnection.Configuration
    private let database: DatabaseDeadline
    private let logger: Logger
    /// The URL other workers forward this worker's tenants to.
    let advertiseURL: String
    private var connection: PostgresConnection?
    private var connecting: Task<PostgresConnection, any Error>?
    private var connections = 0
    /// The shards whose locks the current connection holds.
    private(set) var held: Set<SequencerShard> = []

    init(
        configuration: PostgresConnection.Configuration, database: DatabaseDeadline, advertiseURL: String,
        logger: Logger
    ) {
        self.configuration = configuration
        self.database = database
        self.advertiseURL = advertiseURL
        self.logger = logger
    }

    /// Whether this worker holds `shard`.
    func holds(_ shard: SequencerShard) -> Bool { held.contains(shard) }

    /// Whether this worker holds `shard` now, taking it first if no session holds it.
    func take(_ shard: SequencerShard) async throws -> Bool {
        if held.contains(shard) { return true }
        return try await !acquire([shard]).isEmpty
    }

    /// Takes whichever of `shards` no session holds, records this worker as their owner, and returns the shards
    /// taken now. With no shards it only checks that the connection still answers (so a broken one is noticed).
    func acquire(_ shards: [SequencerShard]) async throws -> [SequencerShard] {
        let wanted = shards.filter { !held.contains($0) }.map(\.index)
        let url = advertiseURL
        let taken = try await run { connection, logger in
            guard !wanted.isEmpty else {
                _ = try await connection.query("SELECT 1", logger: logger).collect()
                return [Int32]()
            }
            // Session locks survive the statement even if it failed; a failure closes the connection, which
            // releases them.
            let rows = try await connection.query(
                """
                WITH taken AS (
                  SELECT s FROM unnest(\(wanted)::integer[]) AS s WHERE pg_try_advisory_lock(\(SequencerShard.lockNamespace), s)
                )
                INSERT INTO ledger.sequencer_shards (shard, owner_url, claimed_at) SELECT s, \(url), now() FROM taken
                ON CONFLICT (shard) DO UPDATE SET owner_url = excluded.owner_url, claimed_at = excluded.claimed_at
                RETURNING shard
                """, logger: logger)
            var taken: [Int32] = []
            for try await shard in rows.decode(Int32.self) { taken.append(shard) }
            return taken
        }
        let shards = taken.map { SequencerShard(index: $0) }
        held.formUnion(shards)
        return shards.sorted()
    }

    /// Makes this worker the tenant's sequencer: raises its epoch and returns the new value, which every write
    /// must carry. Needs the tenant's shard; returns nil when the tenant has no ledger (or an erased one).
    ///
    /// The update waits for writes of a previous sequencer that are under way (they hold the network row in share
    /// mode) and makes every later one fail, so a state loaded after the claim contains all it ever stored.
    func claim(_ tenant: TenantID) async throws -> Int64? {
        guard held.contains(SequencerShard(tenant)) else { throw SequencerError.lost(tenant) }
        return try await run { connection, logger in
            let rows = try await connection.query(
                """
                UPDATE ledger.networks SET sequencer_epoch = sequencer_epoch + 1
                WHERE tenant_id = \(tenant.rawValue) AND erased_at IS NULL RETURNING sequencer_epoch
                """, logger: logger)
            for try await epoch in rows.decode(Int64.self) { return epoch }
            return nil
        }
    }

    /// Releases every shard, so other workers take them without waiting: explicitly first (the locks are free once
    /// the statement returns, not only once the server has noticed the connection closing), then by closing.
    func close() async {
        connecting?.cancel()
        connecting = nil
        if let connection {
            self.connection = nil
            if !held.isEmpty {
                _ = try? await database.run {
                    try await connection.query("SELECT pg_advisory_unlock_all()", logger: self.logger).collect()
                }
            }
            try? await connection.close()
        }
        held.removeAll()
    }

    /// Runs `body` on the lease connection under the store's deadline; any failure drops every shard and closes
    /// the connection, and is reported as ``SequencerError/leaseUnavailable``.
    private func run<Value: Sendable>(
        _ body: @escaping @Sendable (PostgresConnection, Logger) async throws -> Value
    ) async throws -> Value {
        let logger = self.logger
        do {
            let connection = try await current()
            return try await database.run { try await body(connection, logger) }
        } catch {
            if !held.isEmpty {
                logger.warning(
                    "lost the connection holding the sequencer shards; sequencing nothing until it is back",
                    metadata: ["shards": "\(held.count)", "error": "\(error)"])
            }
            await close()
            throw SequencerError.leaseUnavailable
        }
    }

    /// The open lease connection, connecting when there is none.
    private func current() async throws -> PostgresConnection {
        if let connection, !connection.isClosed { return connection }
        if connection != nil {
            // Closed under us: the server released its locks.
            connection = nil
            held.removeAll()
        }
        if let connecting { return try await connecting.value }
        connections += 1
        let task = Task { [configuration, logger, connections] in
            try await PostgresConnection.connect(
                on: MultiThreadedEventLoopGroup.singleton.any(), configuration: configuration,
                id: connections, logger: logger)
        }
        connecting = task
        defer { connecting = nil }
        let connection = try await task.value
        self.connection = connection
        return connection
    }
}
