import CustosCore
import CustosCrypto
import CustosLedger
import CustosStore
import CustosStoreTesting
import Logging
import PostgresNIO
import Testing

@testable import CustosLedgerService

private let logger = Logger(label: "test")

@Suite("Sequencer shards, leases and fencing")
struct SequencerFencingTests {
    @Test("shards are the first two bytes of SHA-256 of the tenant id modulo 256, as Python's hashlib computes them")
    func shardsArePinned() throws {
        // hashlib.sha256(t.encode()).digest(): ((d[0] << 8) | d[1]) % 256. Every replica must agree for ever.
        let expected = ["acme": 43, "globex": 193, "platform": 148, "replica-0": 96]
        for (tenant, shard) in expected {
            #expect(SequencerShard(try TenantID(validating: tenant)).index == Int32(shard), "\(tenant)")
        }
    }

    @Test("a shard is held by one lease at a time; closing a lease frees its shards for the other at once")
    func leasesExclude() async throws {
        try await withMigratedStore { configuration, store async throws in
            let first = lease(configuration, store, "http://first")
            let second = lease(configuration, store, "http://second")
            #expect(try await first.acquire(SequencerShard.all).count == Int(SequencerShard.count))
            #expect(try await second.acquire(SequencerShard.all).isEmpty)
            let shard = SequencerShard(index: 7)
            #expect(try await store.owner(of: shard) == "http://first")
            await first.close()
            #expect(await first.held.isEmpty)
            #expect(try await second.acquire([shard]) == [shard])
            #expect(try await store.owner(of: shard) == "http://second")
            await second.close()
        }
    }

    @Test("a claim by another worker fences off the old sequencer: its next write stores nothing and stops it")
    func claimFencesOffTheOldSequencer() async throws {
        try await withMigratedStore { configuration, store async throws in
            let tenant = try TenantID(validating: "fenced")
            _ = try await store.createNetwork(tenant: tenant, name: "fenced", origin: "custos.test/fenced")
            let old = lease(configuration, store, "http://old")
            _ = try await old.acquire([SequencerShard(tenant)])
            let epoch = try #require(try await old.claim(tenant))
            let ledger = try await TenantLedger(
                tenant: tenant, epoch: epoch, store: store, milestoneInterval: .seconds(30))
            let loop = Task { await ledger.run() }
            #expect(try await ledger.submit([entry("before")]).count == 1)

            // The old worker's session ends (as when its connection breaks); another takes the shard and claims.
            await old.close()
            let new = lease(configuration, store, "http://new")
            _ = try await new.acquire([SequencerShard(tenant)])
            #expect(try await new.claim(tenant) == epoch + 1)
            await #expect(throws: SequencerError.lost(tenant)) { try await ledger.submit([entry("after")]) }
            await loop.value
            await #expect(throws: SequencerRegistry.shuttingDown) { try await ledger.submit([entry("late")]) }
            #expect(try await store.newestSeq(tenant: tenant) == 1, "only the entry before the claim is stored")

            // A write straight through the store with the old epoch is refused as well.
            await #expect(throws: SequencerError.lost(tenant)) {
                try await store.addCoordinatorKey(tenant: tenant, index: 1, epoch: epoch)
            }
            #expect(try await store.coordinatorKey(tenant: tenant, index: 1) == nil)
            await new.close()
        }
    }

    @Test("claiming needs the shard, and a tenant without a ledger has nothing to claim")
    func claimNeedsTheShard() async throws {
        try await withMigratedStore { configuration, store async throws in
            let lease = lease(configuration, store, "http://one")
            let tenant = try TenantID(validating: "nobody")
            await #expect(throws: SequencerError.lost(tenant)) { _ = try await lease.claim(tenant) }
            _ = try await lease.acquire([SequencerShard(tenant)])
            #expect(try await lease.claim(tenant) == nil)
            await lease.close()
        }
    }
}

/// Runs `body` with a fresh temporary database whose ledger schema is migrated, and a store on it.
private func withMigratedStore(
    _ body: @escaping @Sendable (DatabaseConfiguration, LedgerStore) async throws -> Void
) async throws {
    try await withTemporaryCluster { _, configuration in
        try await withClient(configuration) { client in
            let store = LedgerStore(client: client, masterKey: MasterKey(key: SymmetricKey()), logger: logger)
            try await store.migrate()
            try await body(configuration, store)
        }
    }
}

private func lease(_ configuration: DatabaseConfiguration, _ store: LedgerStore, _ url: String) -> SequencerLease {
    SequencerLease(
        configuration: configuration.connectionConfiguration, database: store.database, advertiseURL: url,
        logger: logger)
}

private func entry(_ text: String) -> LedgerEntry {
    try! LedgerEntry(
        payload: try! TaggedData(tag: Array("t".utf8), data: Array(text.utf8)), contentType: "text/plain")
}
