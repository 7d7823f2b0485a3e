import Foundation
import PostgresNIO

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
