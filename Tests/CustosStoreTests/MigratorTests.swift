import CustosStoreTesting
import Foundation
import Logging
import PostgresNIO
import Testing

@testable import CustosStore

private let logger = Logger(label: "test")

private let first = Migration(
    version: 1, name: "table", statements: ["CREATE SCHEMA demo", "CREATE TABLE demo.items (id int PRIMARY KEY)"])
private let second = Migration(version: 2, name: "column", statements: ["ALTER TABLE demo.items ADD COLUMN name text"])

@Suite("Migrations", .serialized)
struct MigratorTests {
    @Test("applies once, concurrently safe, rejects edited or unknown versions, and rolls back failures")
    func migrations() async throws {
        try await withTemporaryCluster { _, configuration in
            try await withClient(configuration) { client in
                let v1 = MigrationSet(component: "demo", migrations: [first])
                let v2 = MigrationSet(component: "demo", migrations: [first, second])

                // Several processes starting at once: each version is applied exactly once.
                let applied = try await withThrowingTaskGroup(of: [Int].self) { group in
                    for _ in 0..<4 { group.addTask { try await Migrator.apply(v1, on: client, logger: logger) } }
                    var all: [Int] = []
                    for try await versions in group { all += versions }
                    return all
                }
                #expect(applied == [1])
                #expect(try await Migrator.apply(v2, on: client, logger: logger) == [2])
                #expect(try await Migrator.apply(v2, on: client, logger: logger) == [])

                let edited = MigrationSet(
                    component: "demo",
                    migrations: [first, Migration(version: 2, name: "column", statements: ["SELECT 1"])])
                await #expect(throws: StoreError.self) { try await Migrator.apply(edited, on: client, logger: logger) }
                await #expect(throws: StoreError.self) { try await Migrator.apply(v1, on: client, logger: logger) }

                // A failing statement leaves nothing behind.
                let broken = MigrationSet(
                    component: "broken",
                    migrations: [
                        Migration(version: 1, name: "half", statements: ["CREATE TABLE half (a int)", "NOT SQL"])
                    ])
                await #expect(throws: (any Error).self) { try await Migrator.apply(broken, on: client, logger: logger) }
                var tables = 0
                for try await _ in try await client.query("SELECT 1 FROM pg_tables WHERE tablename = 'half'") {
                    tables += 1
                }
                #expect(tables == 0)
            }
        }
    }
}
