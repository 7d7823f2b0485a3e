import ArgumentParser
import CustosCore
import Foundation

/// Time from submission until an entry is covered by a signed checkpoint, at a fixed offered load.
struct Latency: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Checkpoint latency: entries offered at a fixed rate; time until each sampled entry has a receipt.")

    @OptionGroup var target: LedgerTarget

    @Option(help: "Offered entries per second.")
    var rate: Int = 5000

    @Option(help: "Seconds to run.")
    var seconds: Int = 10

    @Option(help: "Batches per second (rate / batches = entries per batch).")
    var batchesPerSecond: Int = 50

    func run() async throws {
        let (client, tenant) = try target.client()
        let perBatch = max(1, rate / batchesPerSecond)
        let interval = Duration.seconds(1) / batchesPerSecond
        let start = ContinuousClock.now
        let samples = try await withThrowingTaskGroup(of: Double.self) { group in
            for tick in 0..<(seconds * batchesPerSecond) {
                try await Task.sleep(until: start + interval * tick, clock: .continuous)
                group.addTask {
                    let submitted = ContinuousClock.now
                    let ids = try await client.submit(
                        tenant: tenant, entries: LedgerTarget.batch(count: perBatch, size: 100, seed: tick))
                    // The batch's last entry is confirmed last: sample it.
                    let id = ids[ids.count - 1]
                    while true {
                        if (try? await client.receipt(tenant: tenant, id: id)) != nil {
                            return (ContinuousClock.now - submitted).seconds * 1000
                        }
                        try await Task.sleep(for: .milliseconds(10))
                    }
                }
            }
            var all: [Double] = []
            for try await sample in group { all.append(sample) }
            return all.sorted()
        }
        print(
            String(
                format: "checkpoint latency at %d entries/s (%d batches of %d per s), %d samples: "
                    + "p50 %.0f ms, p90 %.0f ms, p99 %.0f ms, max %.0f ms",
                rate, batchesPerSecond, perBatch, samples.count, percentile(samples, 0.5), percentile(samples, 0.9),
                percentile(samples, 0.99), samples.last ?? .nan))
    }
}
