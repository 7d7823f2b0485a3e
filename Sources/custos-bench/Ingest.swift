import ArgumentParser
import Foundation

/// Sustained durable ingest through the ledger worker's batch endpoint.
struct Ingest: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Sustained durable ingest: concurrent batch submissions for a fixed time; every ack is a commit.")

    @OptionGroup var target: LedgerTarget

    @Option(help: "Seconds to run.")
    var seconds: Int = 10

    @Option(help: "Entries per batch request.")
    var batch: Int = 500

    @Option(help: "Concurrent clients.")
    var concurrency: Int = 8

    @Option(help: "Bytes of data per entry.")
    var size: Int = 100

    func run() async throws {
        let (client, tenant) = try target.client()
        let start = ContinuousClock.now
        let end = start + .seconds(seconds)
        let total = try await withThrowingTaskGroup(of: Int.self) { group in
            for worker in 0..<concurrency {
                group.addTask {
                    var written = 0
                    var round = 0
                    while ContinuousClock.now < end {
                        round += 1
                        let body = LedgerTarget.batch(count: batch, size: size, seed: worker * 1_000_000 + round)
                        written += try await client.submit(tenant: tenant, entries: body).count
                    }
                    return written
                }
            }
            return try await group.reduce(0, +)
        }
        let elapsed = (ContinuousClock.now - start).seconds
        print(
            String(
                format: "ingest: %d entries of %d bytes in %.1f s = %.0f entries/s (batches of %d, %d clients)",
                total, size, elapsed, Double(total) / elapsed, batch, concurrency))
    }
}
