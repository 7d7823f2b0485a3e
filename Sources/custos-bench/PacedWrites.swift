import ArgumentParser
import AsyncHTTPClient
import CustosCore
import Foundation
import NIOCore

/// Ledger entries written through a gateway at a fixed rate (an open loop, so a slow answer does not slow the
/// offer), for the latency one tenant sees; run beside a flood of another tenant's writes for the fair-sharing
/// figure (`make bench`).
struct PacedWrites: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "paced",
        abstract: "Write entries through a gateway at a fixed rate and report the latency (set CUSTOS_API_KEY).")

    @Option(help: "The gateway's base URL.")
    var gateway: String

    @Option(help: "Entries offered per second.")
    var rate = 200

    @Option(help: "Seconds to run.")
    var seconds = 10

    @Option(help: "A label for the line printed.")
    var label = "paced writes"

    func run() async throws {
        guard let apiKey = ProcessInfo.processInfo.environment["CUSTOS_API_KEY"] else {
            throw ValidationError("set CUSTOS_API_KEY to an API key of the tenant")
        }
        let interval = Duration.seconds(1) / rate
        let start = ContinuousClock.now
        let (latencies, failures) = try await withThrowingTaskGroup(of: Double?.self) { group in
            for tick in 0..<(rate * seconds) {
                try await Task.sleep(until: start + interval * tick, clock: .continuous)
                group.addTask {
                    var request = HTTPClientRequest(url: gateway + "/api/v1/ledger/messages")
                    request.method = .POST
                    request.headers.add(name: "X-API-Key", value: apiKey)
                    request.headers.add(name: "Content-Type", value: "application/json")
                    request.body = .bytes(ByteBuffer(string: #"{"tag":"paced","data":{"n":\#(tick)}}"#))
                    let sent = ContinuousClock.now
                    guard let response = try? await HTTPClient.internalCalls.execute(request, timeout: .seconds(30)),
                        response.status.code == 201
                    else { return nil }
                    _ = try? await response.body.collect(upTo: 1 << 16)
                    return (ContinuousClock.now - sent).seconds * 1000
                }
            }
            var all: [Double] = []
            var failed = 0
            for try await sample in group {
                if let sample { all.append(sample) } else { failed += 1 }
            }
            return (all.sorted(), failed)
        }
        print(
            String(
                format:
                    "%@: %d entries/s offered for %d s, %d answered (%d failed): p50 %.1f ms, p99 %.1f ms, max %.1f ms",
                label, rate, seconds, latencies.count, failures, percentile(latencies, 0.5),
                percentile(latencies, 0.99), latencies.last ?? .nan))
    }
}
