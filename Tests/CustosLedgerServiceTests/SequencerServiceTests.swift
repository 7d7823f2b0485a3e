import CustosCore
import CustosCrypto
import CustosLedger
import CustosStore
import CustosStoreTesting
import Foundation
import Logging
import PostgresNIO
import ServiceLifecycle
import Synchronization
import Testing

@testable import CustosLedgerService

private let logger = Logger(label: "test")
private let tenants = try! ["acme", "globex", "initech"].map { try TenantID(validating: $0) }

/// What one concurrent writer saw: the ids acknowledged to it, and the error that ended it.
private struct Writer: Sendable {
    var tenant: TenantID
    var acknowledged: [String] = []
    var ending: (any Error)?
}

/// The outcome of a task, once it has one.
private final class Outcome<Value: Sendable>: Sendable {
    private let result = Mutex<Result<Value, any Error>?>(nil)

    init(of task: Task<Value, any Error>) {
        Task {
            let value = await task.result
            self.result.withLock { $0 = value }
        }
    }

    /// The task's value if it ends within `limit`, else nil; a task that hangs is left behind, not awaited.
    func value(within limit: Duration) async throws -> Value? {
        let deadline = ContinuousClock.now + limit
        while ContinuousClock.now < deadline {
            if let done = result.withLock({ $0 }) { return try done.get() }
            try await Task.sleep(for: .milliseconds(20))
        }
        return nil
    }
}

/// The ledger worker's writing half: the PostgreSQL client and the registry, in that order, as the worker lists
/// them.
private struct Ledger {
    let client: PostgresClient
    let store: LedgerStore
    let registry: SequencerRegistry
    let group: ServiceGroup
    let running: Task<Void, any Error>

    init(_ configuration: DatabaseConfiguration, master: MasterKey, milestoneInterval: Duration = .milliseconds(100)) {
        client = PostgresClient(configuration: configuration.clientConfiguration, backgroundLogger: logger)
        store = LedgerStore(client: client, masterKey: master, logger: logger)
        let lease = SequencerLease(
            configuration: configuration.connectionConfiguration, database: store.database,
            advertiseURL: "http://127.0.0.1:1", logger: logger)
        registry = SequencerRegistry(store: store, lease: lease, milestoneInterval: milestoneInterval)
        group = ServiceGroup(services: [client, registry], logger: logger)
        running = Task { [group] in try await group.run() }
    }
}

private func items(writer: Int, round: Int) -> [LedgerEntry] {
    (0..<(round % 4 + 1)).map {
        try! LedgerEntry(
            payload: try! TaggedData(tag: Array("w\(writer)".utf8), data: Array("entry \(round).\($0)".utf8)),
            contentType: "text/plain")
    }
}

/// The writers that have had at least one batch acknowledged.
private final class Progress: Sendable {
    private let acknowledged = Mutex<Set<Int>>([])

    func note(_ writer: Int) { _ = acknowledged.withLock { $0.insert(writer) } }

    /// Waits until `count` writers have been acknowledged at least once, or `limit` has passed; the time a tenant
    /// takes to load varies with how busy the machine is, so the test waits for progress, not for a fixed time.
    func wait(for count: Int, within limit: Duration) async throws {
        let deadline = ContinuousClock.now + limit
        while acknowledged.withLock({ $0.count }) < count && ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(20))
        }
    }
}

/// Starts 4 writers per tenant that submit batches until refused.
private func startWriters(_ registry: SequencerRegistry, progress: Progress) -> [Outcome<Writer>] {
    (0..<12).map { index in
        Outcome(
            of: Task {
                var writer = Writer(tenant: tenants[index % tenants.count])
                for round in 0..<1_000_000 {
                    do {
                        let ids = try await registry.ledger(for: writer.tenant).submit(
                            items(writer: index, round: round))
                        writer.acknowledged += ids.map(\.hex)
                        progress.note(index)
                    } catch {
                        writer.ending = error
                        break
                    }
                }
                return writer
            })
    }
}

/// Committed entries (milestones excluded) and confirmed leaves per tenant, read with a fresh client.
private func stored(_ configuration: DatabaseConfiguration) async throws -> [TenantID: (Set<String>, Set<String>)] {
    try await withClient(configuration) { client in
        var result: [TenantID: (Set<String>, Set<String>)] = [:]
        for tenant in tenants {
            let entries = try await ids(
                client,
                """
                SELECT message_id FROM ledger.messages WHERE tenant_id = \(tenant.rawValue)
                  AND content_type <> \(LedgerStore.milestoneContentType)
                """)
            let leaves = try await ids(
                client, "SELECT message_id FROM ledger.leaves WHERE tenant_id = \(tenant.rawValue)")
            result[tenant] = (entries, leaves)
        }
        return result
    }
}

@Suite("Sequencer registry as a service", .serialized)
struct SequencerServiceTests {
    @Test("graceful shutdown refuses new submissions, commits and confirms every acknowledged entry, and returns")
    func gracefulShutdown() async throws {
        try await withTemporaryCluster { _, configuration in
            let master = MasterKey(key: SymmetricKey())
            let ledger = Ledger(configuration, master: master)
            try await ledger.store.migrate()
            for tenant in tenants {
                _ = try await ledger.store.createNetwork(
                    tenant: tenant, name: tenant.rawValue, origin: "custos.test/\(tenant.rawValue)")
            }
            // Tenants load on their first submission, while the registry runs: their loops join its group.
            let progress = Progress()
            let writers = startWriters(ledger.registry, progress: progress)
            try await progress.wait(for: writers.count, within: .seconds(30))
            try await Task.sleep(for: .milliseconds(300))

            await ledger.group.triggerGracefulShutdown()
            var results: [Writer] = []
            for writer in writers {
                guard let result = try await writer.value(within: .seconds(10)) else {
                    Issue.record("a submission hangs after graceful shutdown")
                    return
                }
                results.append(result)
            }
            let exited = Outcome(of: ledger.running)
            #expect(try await exited.value(within: .seconds(10)) != nil, "the service group exits")

            for writer in results {
                #expect(!writer.acknowledged.isEmpty, "\(writer.tenant) wrote nothing before the shutdown")
                #expect(
                    writer.ending as? LedgerError == SequencerRegistry.shuttingDown,
                    "a writer ended with \(String(describing: writer.ending))")
                #expect((writer.ending as? any CustosError)?.kind == .unavailable, "503")
            }
            // A tenant whose ledger appears after the shutdown (the registry loads every tenant of its shards while
            // it runs) is not loaded any more.
            try await withClient(configuration) { client in
                _ = try await LedgerStore(client: client, masterKey: master, logger: logger).createNetwork(
                    tenant: TenantID(validating: "latecomer"), name: "latecomer", origin: "custos.test/latecomer")
            }
            await #expect(throws: SequencerRegistry.shuttingDown, "no tenant is loaded after shutdown") {
                _ = try await ledger.registry.ledger(for: TenantID(validating: "latecomer"))
            }

            // Every acknowledged entry is committed and confirmed by a milestone; nothing is left unconfirmed.
            let rows = try await stored(configuration)
            for tenant in tenants {
                let acknowledged = Set(results.filter { $0.tenant == tenant }.flatMap(\.acknowledged))
                let (entries, leaves) = try #require(rows[tenant])
                let lost = acknowledged.subtracting(entries).count
                let unconfirmed = entries.subtracting(leaves).count
                #expect(lost == 0, "\(tenant): \(lost) acknowledged entries are not committed")
                #expect(unconfirmed == 0, "\(tenant): \(unconfirmed) committed entries are not confirmed")
            }

            // The next start continues from the last milestone and writes again.
            let next = Ledger(configuration, master: master)
            for tenant in tenants {
                let reloaded = try await next.registry.ledger(for: tenant)
                #expect(await reloaded.checkpoint?.logSize == UInt64(try #require(rows[tenant]).1.count))
                #expect(try await reloaded.submit(items(writer: 99, round: 0)).count == 1)
            }
            await next.group.triggerGracefulShutdown()
            #expect(try await Outcome(of: next.running).value(within: .seconds(10)) != nil)
            let after = try await stored(configuration)
            for tenant in tenants {
                let (entries, leaves) = try #require(after[tenant])
                #expect(entries.count == rows[tenant]!.0.count + 1)
                #expect(entries.subtracting(leaves).isEmpty, "\(tenant): the entry after the restart is confirmed")
            }
        }
    }

    @Test("cancellation ends every submission at once; what was acknowledged is confirmed after the restart")
    func cancellation() async throws {
        try await withTemporaryCluster { _, configuration in
            let master = MasterKey(key: SymmetricKey())
            let ledger = Ledger(configuration, master: master, milestoneInterval: .seconds(30))
            try await ledger.store.migrate()
            for tenant in tenants {
                _ = try await ledger.store.createNetwork(
                    tenant: tenant, name: tenant.rawValue, origin: "custos.test/\(tenant.rawValue)")
            }
            let progress = Progress()
            let writers = startWriters(ledger.registry, progress: progress)
            try await progress.wait(for: writers.count, within: .seconds(30))
            try await Task.sleep(for: .milliseconds(200))
            ledger.running.cancel()
            var results: [Writer] = []
            for writer in writers {
                guard let result = try await writer.value(within: .seconds(10)) else {
                    Issue.record("a submission hangs after cancellation")
                    return
                }
                results.append(result)
            }
            _ = try? await Outcome(of: ledger.running).value(within: .seconds(10))
            #expect(results.allSatisfy { ($0.ending as? any CustosError)?.kind == .unavailable })

            // No milestone was due (30 s interval): the acknowledged entries are committed, not yet confirmed.
            let before = try await stored(configuration)
            for tenant in tenants {
                let acknowledged = Set(results.filter { $0.tenant == tenant }.flatMap(\.acknowledged))
                let (entries, _) = try #require(before[tenant])
                #expect(!acknowledged.isEmpty)
                #expect(acknowledged.subtracting(entries).isEmpty, "\(tenant): acknowledged entries are committed")
            }

            // After a restart the worker resumes every tenant and a milestone confirms them.
            let next = Ledger(configuration, master: master, milestoneInterval: .milliseconds(50))
            await next.registry.adopt()
            var confirmed = false
            let deadline = ContinuousClock.now + .seconds(10)
            while !confirmed && ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(100))
                confirmed = try await stored(configuration).values.allSatisfy { $0.0 == $0.1 }
            }
            #expect(confirmed, "unconfirmed entries get their milestone after the restart")
            await next.group.triggerGracefulShutdown()
            #expect(try await Outcome(of: next.running).value(within: .seconds(10)) != nil)
        }
    }
}
