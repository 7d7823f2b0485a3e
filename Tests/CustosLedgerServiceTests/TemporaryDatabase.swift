import CustosStore
import Foundation
import Logging
import PostgresNIO

/// An embedded PostgreSQL in a fresh temporary directory, stopped and removed after `body`.
func withTemporaryDatabase<T>(_ body: (DatabaseConfiguration) async throws -> T) async throws -> T {
    let base = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent(
        "custos-ledger-\(UUID().uuidString.prefix(8))")
    try FileManager.default.createDirectory(at: base, withIntermediateDirectories: true)
    chmod(base.path, 0o711)
    let cluster = EmbeddedPostgres(directory: base.appendingPathComponent("pg"), logger: Logger(label: "test"))
    let configuration = try await cluster.start()
    do {
        let result = try await body(configuration)
        try await cluster.stop()
        try? FileManager.default.removeItem(at: base)
        return result
    } catch {
        try? await cluster.stop()
        throw error
    }
}

/// Runs `body` with a running client for `configuration`; the client stops afterwards.
func withClient<T: Sendable>(
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

/// Runs a statement and drains its rows.
func execute(_ client: PostgresClient, _ query: PostgresQuery) async throws {
    for try await _ in try await client.query(query) {}
}

/// The message ids of one column of a tenant's ledger table, as hex.
func ids(_ client: PostgresClient, _ query: PostgresQuery) async throws -> Set<String> {
    var result: Set<String> = []
    for try await id in try await client.query(query).decode(ByteBuffer.self) {
        result.insert(id.readableBytesView.map { String(format: "%02x", $0) }.joined())
    }
    return result
}
