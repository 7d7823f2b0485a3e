import CustosStoreTesting
import Foundation
import Logging
import PostgresNIO
import Testing

@testable import CustosStore

@Suite("Embedded PostgreSQL", .serialized)
struct EmbeddedPostgresTests {
    @Test("creates a cluster, reuses it while running, restarts after stop and recovers from a stale pid file")
    func lifecycle() async throws {
        try await withTemporaryCluster { cluster, configuration in
            guard case .unixSocket(let path) = configuration.endpoint else {
                Issue.record("embedded cluster must use a Unix socket")
                return
            }
            #expect(FileManager.default.fileExists(atPath: path))
            let conf = try String(
                contentsOf: cluster.clusterDirectory.appendingPathComponent("custos.conf"), encoding: .utf8)
            #expect(conf.contains("listen_addresses = ''"), "no TCP listener")

            try await withClient(configuration) { client in
                try await client.query("CREATE TABLE kept (v int)")
                try await client.query("INSERT INTO kept VALUES (7)")
            }
            // A second start while running reuses the server.
            try await cluster.start()
            try await cluster.stop()

            // A pid file left by a dead server must not block the next start.
            let pidFile = cluster.clusterDirectory.appendingPathComponent("postmaster.pid")
            try "999999\n\(cluster.clusterDirectory.path)\n".write(to: pidFile, atomically: true, encoding: .utf8)
            try await cluster.start()
            let value = try await withClient(configuration) { client in
                var found: [Int] = []
                for try await v in try await client.query("SELECT v FROM kept").decode(Int.self) { found.append(v) }
                return found
            }
            #expect(value == [7], "data survives stop and restart")
        }
    }

    @Test("database URLs parse into endpoints and never print passwords")
    func urls() throws {
        let tcp = try DatabaseConfiguration(url: "postgres://app:s3cret@db.example:6543/custos")
        #expect(tcp.endpoint == .tcp(host: "db.example", port: 6543))
        #expect(tcp.password == "s3cret")
        #expect(!tcp.description.contains("s3cret"))
        let socket = try DatabaseConfiguration(url: "postgresql://custos@/custos?host=/run/pg")
        #expect(socket.endpoint == .unixSocket(path: "/run/pg/.s.PGSQL.5432"))
        #expect(try DatabaseConfiguration(url: socket.url) == socket)
        for bad in ["mysql://a@b/c", "postgres://a@b/", "postgres://b/c", "postgres://u@/db"] {
            #expect(throws: StoreError.self, "\(bad)") { try DatabaseConfiguration(url: bad) }
        }
    }
}
