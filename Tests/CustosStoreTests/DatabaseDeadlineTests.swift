import CustosCore
import CustosStoreTesting
import Foundation
import Logging
import PostgresNIO
import Testing

@testable import CustosStore

@Suite("Database options and deadlines", .serialized)
struct DatabaseDeadlineTests {
    @Test("timeouts and pool sizes come from the URL query, have defaults, and survive the round trip")
    func options() throws {
        let plain = try DatabaseConfiguration(url: "postgres://app@db.example/custos")
        #expect(plain.options == DatabaseConfiguration.Options())
        #expect(plain.options.connectTimeout == .seconds(3) && plain.options.queryTimeout == .seconds(3))
        #expect(plain.clientConfiguration.options.connectTimeout == .seconds(3))
        #expect(!plain.url.contains("timeout"), "defaults are not written out")

        let tuned = try DatabaseConfiguration(
            url: "postgres://app@/custos?host=/run/pg&connect_timeout=1.5&query_timeout=10&pool_min=0&pool_max=4")
        #expect(tuned.options.connectTimeout == .milliseconds(1500))
        #expect(tuned.options.queryTimeout == .seconds(10))
        #expect(tuned.options.minimumConnections == 0 && tuned.options.maximumConnections == 4)
        #expect(tuned.clientConfiguration.options.maximumConnections == 4)
        #expect(try DatabaseConfiguration(url: tuned.url) == tuned, "children get the same options")

        for bad in ["connect_timeout=0", "query_timeout=abc", "pool_max=0", "pool_min=-1", "pool_min=5&pool_max=2"] {
            #expect(throws: StoreError.self, "\(bad)") {
                try DatabaseConfiguration(url: "postgres://app@db.example/custos?\(bad)")
            }
        }
    }

    @Test("an operation that does not end is abandoned at its deadline with a 503")
    func deadline() async throws {
        let deadline = DatabaseDeadline(timeout: .milliseconds(200), logger: Logger(label: "test"))
        let started = ContinuousClock.now
        await #expect(throws: StoreError.databaseUnavailable) {
            try await deadline.run {
                // Ignores cancellation, as a query on a vanished connection does.
                await withUnsafeContinuation { continuation in
                    DispatchQueue.global().asyncAfter(deadline: .now() + 10) { continuation.resume() }
                }
            }
        }
        // Far below the 10 s the operation would take, with room for a machine busy with the rest of the suite
        // (a fresh-clone CI run once took 1.5 s here).
        #expect(ContinuousClock.now - started < .seconds(5))
        #expect(deadline.isInOutage)
        #expect(try await deadline.run { 42 } == 42)
        #expect(!deadline.isInOutage, "one success ends the outage")

        // Other failures pass through unchanged.
        await #expect(throws: LedgerLikeError.self) { try await deadline.run { throw LedgerLikeError() } }
        #expect(!deadline.isInOutage)
    }

    @Test("kill -9 of PostgreSQL: operations fail fast with 503, the restarted server answers the same pool again")
    func killedServer() async throws {
        try await withTemporaryCluster { cluster, configuration in
            try await withClient(configuration) { client in
                // A normal deadline far above the outage one, so that the two stay apart on a busy machine (a
                // fresh-clone CI run once took 1.57 s for an outage attempt of 1 s).
                let deadline = DatabaseDeadline(timeout: .seconds(6), logger: Logger(label: "test"))
                try await deadline.run {
                    _ = try await client.query("CREATE TABLE kept (v int)")
                    _ = try await client.query("INSERT INTO kept VALUES (7)")
                }
                let pid = try #require(cluster.postmasterPID)
                #expect(cluster.isPostmasterAlive())
                kill(pid, SIGKILL)
                let killed = ContinuousClock.now
                while cluster.isPostmasterAlive() && ContinuousClock.now - killed < .seconds(5) {
                    try await Task.sleep(for: .milliseconds(20))
                }
                #expect(!cluster.isPostmasterAlive(), "a killed postmaster is not alive, reaped or not")

                for attempt in 0..<3 {
                    let started = ContinuousClock.now
                    await #expect(throws: StoreError.databaseUnavailable, "attempt \(attempt)") {
                        try await deadline.run { _ = try await client.query("SELECT 1") }
                    }
                    let limit: Duration =
                        attempt == 0 ? deadline.timeout + .seconds(2) : DatabaseDeadline.outageTimeout + .seconds(2)
                    #expect(ContinuousClock.now - started < limit, "attempt \(attempt) took too long")
                }
                #expect(deadline.isInOutage)

                // The old backends may hold the shared memory for a moment: retry like the supervisor does.
                var started = false
                for _ in 0..<50 where !started {
                    do {
                        try await cluster.start()
                        started = true
                    } catch {
                        try await Task.sleep(for: .milliseconds(200))
                    }
                }
                #expect(started, "the cluster starts again after kill -9")

                var values: [Int] = []
                let restarted = ContinuousClock.now
                while values.isEmpty && ContinuousClock.now - restarted < .seconds(10) {
                    values =
                        (try? await deadline.run {
                            var found: [Int] = []
                            for try await v in try await client.query("SELECT v FROM kept").decode(Int.self) {
                                found.append(v)
                            }
                            return found
                        }) ?? []
                    if values.isEmpty { try await Task.sleep(for: .milliseconds(100)) }
                }
                #expect(values == [7], "the same client reconnects and committed data survived")
                #expect(!deadline.isInOutage)
            }
        }
    }
}

private struct LedgerLikeError: Error {}
