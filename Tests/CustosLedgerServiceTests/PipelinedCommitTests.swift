import CustosCore
import CustosCrypto
import CustosLedger
import CustosStore
import CustosStoreTesting
import Foundation
import Logging
import PostgresNIO
import Synchronization
import Testing

@testable import CustosLedgerService

private let logger = Logger(label: "test")
private let tenant = try! TenantID(validating: "piped")

private struct Refused: Error {}

/// A flag the test raises once, for tasks it started.
private final class Flag: Sendable {
    private let raised = Mutex(false)
    var isRaised: Bool { raised.withLock { $0 } }
    func raise() { raised.withLock { $0 = true } }
}

private func entries(_ count: Int, _ label: String) -> [LedgerEntry] {
    (0..<count).map {
        try! LedgerEntry(
            payload: try! TaggedData(tag: Array("p".utf8), data: Array("\(label).\($0)".utf8)),
            contentType: "text/plain")
    }
}

/// Every stored message of the tenant: id (hex) → seq and parents (hex).
private func storedMessages(_ client: PostgresClient) async throws -> [String: (seq: Int64, parents: [String])] {
    var result: [String: (seq: Int64, parents: [String])] = [:]
    let rows = try await client.query(
        "SELECT seq, message_id, raw FROM ledger.messages WHERE tenant_id = \(tenant.rawValue)")
    for try await (seq, id, raw) in rows.decode((Int64, ByteBuffer, ByteBuffer).self) {
        let message = try LedgerMessage(bytes: Array(raw.readableBytesView))
        result[try Digest32(bytes: Array(id.readableBytesView)).hex] = (seq, message.parents.map(\.hex))
    }
    return result
}

/// What a ledger must look like whatever failed on the way: every acknowledged entry stored, seqs without gaps,
/// every parent stored (or the genesis parent), and a log that matches its newest checkpoint.
private func expectIntact(_ client: PostgresClient, store: LedgerStore, acknowledged: Set<String>) async throws {
    let stored = try await storedMessages(client)
    #expect(acknowledged.isSubset(of: Set(stored.keys)), "every acknowledged entry is stored")
    #expect(Set(stored.values.map(\.seq)) == Set(1...Int64(stored.count)), "seqs have no gaps")
    let network = try #require(try await store.network(tenant: tenant))
    let genesis = LedgerMessage.genesisParent(networkID: network.networkID).hex
    let dangling = stored.values.flatMap(\.parents).filter { $0 != genesis && stored[$0] == nil }
    #expect(dangling.isEmpty, "no stored message names a parent that is not stored")
    // Loading checks the log against the newest checkpoint.
    _ = try await TenantLedger.load(tenant: tenant, store: store)
}

private func withLedgerStore(
    _ body: @escaping @Sendable (DatabaseConfiguration, PostgresClient, LedgerStore) async throws -> Void
) async throws {
    try await withTemporaryCluster { _, configuration in
        try await withClient(configuration) { client in
            let store = LedgerStore(client: client, masterKey: MasterKey(key: SymmetricKey()), logger: logger)
            try await store.migrate()
            _ = try await store.createNetwork(tenant: tenant, name: "piped", origin: "custos.test/piped")
            try await body(configuration, client, store)
        }
    }
}

@Suite("Pipelined commits of a tenant's writer", .serialized)
struct PipelinedCommitTests {
    @Test("a batch inserted after a predecessor commits only once the predecessor has, and not at all when it fails")
    func ordering() async throws {
        try await withLedgerStore { _, client, store in
            var state = try await TenantLedger.load(tenant: tenant, store: store)
            let first = try state.attach(entries(3, "first"), receivedAt: Date())
            let second = try state.attach(entries(3, "second"), receivedAt: Date())
            let third = try state.attach(entries(3, "third"), receivedAt: Date())

            // The predecessor commits `first` once released; `second` is inserted meanwhile and must wait for it.
            let release = Flag()
            let predecessor = Task<Void, any Error> {
                while !release.isRaised { try await Task.sleep(for: .milliseconds(10)) }
                try await store.insert(tenant: tenant, first, epoch: 0)
            }
            let successor = Task { try await store.insert(tenant: tenant, second, epoch: 0, after: predecessor) }
            try await Task.sleep(for: .milliseconds(400))
            #expect(try await storedMessages(client).isEmpty, "the successor waits uncommitted for its predecessor")
            release.raise()
            try await successor.value
            #expect(Set(try await storedMessages(client).keys) == Set((first + second).map(\.id.hex)))

            // A successor of a failed predecessor is rolled back and fails with its error.
            let failing = Task<Void, any Error> {
                try await Task.sleep(for: .milliseconds(100))
                throw Refused()
            }
            await #expect(throws: Refused.self) {
                try await store.insert(tenant: tenant, third, epoch: 0, after: failing)
            }
            #expect(try await storedMessages(client).count == 6, "nothing of the rolled-back batch is stored")
        }
    }

    @Test("concurrent submitters keep two commits in flight; milestones among them confirm everything in order")
    func concurrentSubmitters() async throws {
        try await withLedgerStore { _, client, store in
            let ledger = try await TenantLedger(
                tenant: tenant, epoch: 0, store: store, milestoneInterval: .milliseconds(20))
            let loop = Task { await ledger.run() }
            let acknowledged = try await withThrowingTaskGroup(of: [String].self) { group in
                for writer in 0..<16 {
                    group.addTask {
                        var ids: [String] = []
                        for round in 0..<25 {
                            ids += try await ledger.submit(entries(20, "w\(writer).\(round)")).map(\.hex)
                        }
                        return ids
                    }
                }
                return try await group.reduce(into: Set<String>()) { $0.formUnion($1) }
            }
            #expect(acknowledged.count == 16 * 25 * 20)
            #expect(await ledger.mostCommitsInFlight == TenantLedger.pipelineDepth)
            await ledger.finish()
            await loop.value
            try await expectIntact(client, store: store, acknowledged: acknowledged)
            let leaves = try await ids(
                client, "SELECT message_id FROM ledger.leaves WHERE tenant_id = \(tenant.rawValue)")
            #expect(acknowledged.isSubset(of: leaves), "the last milestone confirmed every acknowledged entry")
        }
    }

    @Test("connections killed under load: what was acknowledged is stored, nothing names a missing parent")
    func connectionsKilled() async throws {
        try await withLedgerStore { configuration, client, store in
            let ledger = try await TenantLedger(
                tenant: tenant, epoch: 0, store: store, milestoneInterval: .milliseconds(20))
            let loop = Task { await ledger.run() }
            let stop = Flag()
            let writers = Task {
                try await withThrowingTaskGroup(of: (Set<String>, Int).self) { group in
                    for writer in 0..<8 {
                        group.addTask {
                            var ids: Set<String> = []
                            var refused = 0
                            var round = 0
                            while !stop.isRaised {
                                round += 1
                                do {
                                    ids.formUnion(
                                        try await ledger.submit(entries(50, "w\(writer).\(round)")).map(\.hex))
                                } catch {
                                    refused += 1
                                    try await Task.sleep(for: .milliseconds(20))
                                }
                            }
                            return (ids, refused)
                        }
                    }
                    return try await group.reduce(into: (Set<String>(), 0)) {
                        $0.0.formUnion($1.0)
                        $0.1 += $1.1
                    }
                }
            }
            // Another client ends every other backend now and then, wherever the writer's commits are.
            try await withClient(configuration) { killer in
                for _ in 0..<10 {
                    try await Task.sleep(for: .milliseconds(150))
                    try await execute(
                        killer,
                        """
                        SELECT pg_terminate_backend(pid) FROM pg_stat_activity
                        WHERE pid <> pg_backend_pid() AND backend_type = 'client backend'
                        """)
                }
            }
            try await Task.sleep(for: .seconds(1))
            stop.raise()
            let (acknowledged, refused) = try await writers.value
            #expect(refused > 0, "the kills reached the writer's commits")
            #expect(acknowledged.count >= 100, "writes went on between the kills and after them")
            await ledger.finish()
            await loop.value
            try await expectIntact(client, store: store, acknowledged: acknowledged)
        }
    }
}
