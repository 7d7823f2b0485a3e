import CustosStore
import Foundation
import Logging
import PostgresNIO

// Helpers for tests that need a real PostgreSQL, shared by every test target (like HummingbirdTesting).

/// An embedded PostgreSQL in a fresh temporary directory, stopped and removed after `body`.
public func withTemporaryCluster<T>(_ body: (EmbeddedPostgres, DatabaseConfiguration) async throws -> T) async throws
    -> T
{
    let base = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent(
        "custos-store-\(UUID().uuidString.prefix(8))")
    try FileManager.default.createDirectory(at: base, withIntermediateDirectories: true)
    chmod(base.path, 0o711)
    let cluster = EmbeddedPostgres(directory: base.appendingPathComponent("pg"), logger: Logger(label: "test"))
    let configuration = try await cluster.start()
    do {
        let result = try await body(cluster, configuration)
        try await cluster.stop()
        try? FileManager.default.removeItem(at: base)
        return result
    } catch {
        try? await cluster.stop()
        throw error
    }
}

/// Runs `body` with a running client for `configuration`; the client stops afterwards.
public func withClient<T: Sendable>(
    _ configuration: DatabaseConfiguration, _ body: @Sendable (PostgresClient) async throws -> T
) async throws -> T {
    let client = PostgresClient(
        configuration: configuration.clientConfiguration, backgroundLogger: Logger(label: "test"))
    return try await withThrowingTaskGroup(of: T?.self) { group in
        group.addTask {
            await client.run()
            return nil
        }
        defer { group.cancelAll() }
        return try await body(client)
    }
}
