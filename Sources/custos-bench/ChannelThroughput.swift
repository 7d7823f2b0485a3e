import ArgumentParser
import CustosClients
import CustosCore
import Foundation

/// The full audit-trail write path (HTTP → gateway → streams worker → ledger worker → committed) and channel
/// reads, through a tenant gateway as an Integration Services client calls it.
struct ChannelThroughput: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "channels",
        abstract: """
            Audit Trail: log writes per second through the gateway into one channel and into several (concurrent \
            clients for a fixed time), write latency at a fixed rate, and the time of a page of reads.
            """)

    @Option(help: "The tenant gateway's base URL.")
    var gateway: String

    @Option(help: "Seconds per timed run.")
    var seconds: Int = 10

    @Option(help: "Concurrent clients.")
    var concurrency: Int = 64

    @Option(help: "Channels the multi-channel run spreads its writes over.")
    var channels: Int = 8

    @Option(help: "Entries per second of the paced run, whose latency is reported.")
    var rate: Int = 2000

    @Option(
        help: """
            Before the reads, fill the first channel to this many entries through the streams worker directly \
            (batches of 256, with the service token), to time pages of a long channel; 0 skips it.
            """)
    var seedEntries: Int = 0

    @Option(help: "With --seed-entries: the streams worker's base URL.")
    var streamsURL: String?

    @Option(help: "With --seed-entries: the tenant.")
    var tenant: String?

    @Option(help: "With --seed-entries: data directory of `custos up` (the service token; or CUSTOS_SERVICE_TOKEN).")
    var dataDir: String?

    func run() async throws {
        guard let apiKey = ProcessInfo.processInfo.environment["CUSTOS_API_KEY"] else {
            throw ValidationError("set CUSTOS_API_KEY to an API key of the tenant")
        }
        let identity = GatewayCalls(base: gateway + "/api/v0.2", apiKey: apiKey)
        let (did, seed) = try await identity.createIdentity("bench-author-\(UUID().uuidString.prefix(8))")
        let jwt = try await identity.login(did, seed: seed)
        let trail = GatewayCalls(base: gateway + "/api/v0.1", apiKey: apiKey, jwt: jwt)
        var addresses: [String] = []
        for _ in 0..<max(1, channels) {
            let created = try await trail.call(
                .POST, "/channels/create", ["topics": [["type": "bench", "source": "custos-bench"]]])
            guard let address = created["channelAddress"]?.stringValue else {
                throw ValidationError("unexpected answer to create: \(created)")
            }
            addresses.append(address)
        }
        let entry: JSONValue = [
            "type": "bench", "metadata": ["source": "custos-bench"], "publicPayload": ["sequence": 1],
            "payload": ["reading": 21.5, "unit": "C", "note": "an audit entry of about two hundred bytes in all"],
        ]
        @Sendable func write(_ address: String) -> @Sendable () async throws -> Void {
            { _ = try await trail.call(.POST, "/channels/logs/\(address)", entry) }
        }
        let cpu = ProcessCPU(
            patterns: [
                "custos gateway", "custos worker streams", "custos worker ledger", "custos worker ssi", "postgres",
                "custos-bench",
            ])
        let first = addresses[0]
        let spread = addresses
        let runs: [(String, @Sendable () async throws -> Void)] = [
            ("writes into one channel", write(first)),
            (
                "writes into \(spread.count) channels",
                { try await write(spread.randomElement()!)() }
            ),
        ]
        for (name, operation) in runs {
            let before = cpu.sample()
            let (count, latencies) = try await IdentityThroughput.measure(
                seconds: seconds, concurrency: concurrency, operation: operation)
            print(
                String(
                    format: "channels %@, %d clients, %d s: %.0f entries/s, p50 %.2f ms, p99 %.2f ms", name,
                    concurrency, seconds, Double(count) / Double(seconds), percentile(latencies, 0.5),
                    percentile(latencies, 0.99)))
            print("  cpu: " + cpu.shares(from: before, to: cpu.sample(), seconds: Double(seconds)) + " of a core")
        }
        let paced = try await Self.paced(rate: rate, seconds: seconds) { try await write(spread.randomElement()!)() }
        print(
            String(
                format: "channels paced writes at %d/s over %d channels, %d s: %d done, p50 %.2f ms, p99 %.2f ms",
                rate, spread.count, seconds, paced.count, percentile(paced, 0.5), percentile(paced, 0.99)))
        var queries = ["&limit=100", "&limit=100&asc=true", "&limit=100&index=50"]
        if seedEntries > 0 {
            let middle = try await fill(first, author: did, entry: entry)
            queries.append("&limit=100&start-date=" + middle)
        }
        for query in queries {
            var times: [Double] = []
            for _ in 0..<50 {
                let start = ContinuousClock.now
                _ = try await trail.call(.GET, "/channels/logs/\(first)", nil, query: query)
                times.append((ContinuousClock.now - start).milliseconds)
            }
            times.sort()
            print(
                String(
                    format: "channels read a page (%@) of the first channel: p50 %.2f ms, p99 %.2f ms", query,
                    percentile(times, 0.5), percentile(times, 0.99)))
        }
    }

    /// Fills `address` up to ``seedEntries`` entries through the streams worker, eight batches at a time, and
    /// returns the time of the middle one (for a date-filtered read).
    private func fill(_ address: String, author: String, entry: JSONValue) async throws -> String {
        guard let streamsURL, let tenant, let tenantID = TenantID(tenant) else {
            throw ValidationError("--seed-entries needs --streams-url and --tenant")
        }
        let worker = StreamsClient(
            baseURL: streamsURL, serviceToken: try LedgerTarget.serviceToken(dataDir: dataDir), timeout: .seconds(120))
        let write = StreamsClient.EntryWrite(channelAddress: address, caller: author, asymSharedKey: nil, log: entry)
        let batches = (seedEntries + 255) / 256
        let start = ContinuousClock.now
        var middle = ""
        var done = 0
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<batches {
                if index >= 8 { try await group.next() }
                group.addTask {
                    let results = try await worker.writeEntries(tenant: tenantID, Array(repeating: write, count: 256))
                    for result in results { _ = try result.get() }
                }
                done += 256
                if index == batches / 2 { middle = Timestamp.iso8601(Date()) }
                if index % 400 == 399 {
                    let seconds = (ContinuousClock.now - start).milliseconds / 1000
                    print(String(format: "  seeded %d entries, %.0f/s", done, Double(done) / seconds))
                }
            }
            try await group.waitForAll()
        }
        let seconds = (ContinuousClock.now - start).milliseconds / 1000
        print(
            String(
                format: "channels seeded %d entries into the first channel through the streams worker: %.0f entries/s",
                batches * 256, Double(batches * 256) / seconds))
        return middle
    }

    /// Starts `operation` `rate` times a second for `seconds`, whatever the answers' pace (an open loop), and
    /// returns the sorted latencies (ms).
    static func paced(rate: Int, seconds: Int, _ operation: @escaping @Sendable () async throws -> Void) async throws
        -> [Double]
    {
        let interval = Duration.seconds(1) / rate
        let start = ContinuousClock.now
        let total = rate * seconds
        let all = try await withThrowingTaskGroup(of: Double.self) { group in
            for index in 0..<total {
                let due = start + interval * index
                try await Task.sleep(until: due, clock: .continuous)
                group.addTask {
                    let begun = ContinuousClock.now
                    try await operation()
                    return (ContinuousClock.now - begun).milliseconds
                }
            }
            return try await group.reduce(into: [Double]()) { $0.append($1) }
        }
        return all.sorted()
    }
}
