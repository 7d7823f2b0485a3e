import ArgumentParser
import CustosClients
import Foundation

/// Provisioning many pooled tenants through the admin API, as a platform fills up: latency of each creation
/// (the call returns once the tenant is active), and the rate.
struct TenantProvisioning: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tenants",
        abstract: "Provision many tenants (pooled by default) and report each creation's latency and the rate.")

    @Option(help: "Data directory of `custos up` (admin.json).")
    var dataDir: String

    @Option(help: "Tenants to create.")
    var count = 1000

    @Option(help: "Creations in flight at once.")
    var concurrency = 4

    @Option(help: "The plan of the tenants (default: the plans file's default plan).")
    var plan: String?

    @Option(help: "Prefix of the tenant ids (<prefix>-<n>).")
    var prefix = "pool"

    func run() async throws {
        let credential = try AdminCredential.read(
            from: DataDirectory.resolve(dataDir).adminCredentialFile)
        let client = ControlClient(
            baseURL: credential.controlUrl, adminToken: credential.token, http: .internalCalls)
        let started = ContinuousClock.now
        var latencies: [Double] = []
        var failures = 0
        var next = 0
        try await withThrowingTaskGroup(of: Double?.self) { group in
            func launch(_ index: Int) {
                group.addTask {
                    let begin = ContinuousClock.now
                    do {
                        let created = try await client.createTenant(
                            id: "\(prefix)-\(index)", name: nil, plan: plan, wait: 60)
                        guard created.operation.status == .succeeded else { return nil }
                    } catch {
                        return nil
                    }
                    return (ContinuousClock.now - begin).seconds * 1000
                }
            }
            while next < min(concurrency, count) {
                launch(next)
                next += 1
            }
            for try await latency in group {
                if let latency { latencies.append(latency) } else { failures += 1 }
                let done = latencies.count + failures
                if done % 1000 == 0 {
                    FileHandle.standardError.write(Data("  \(done) of \(count) tenants\n".utf8))
                }
                if next < count {
                    launch(next)
                    next += 1
                }
            }
        }
        let elapsed = (ContinuousClock.now - started).seconds
        latencies.sort()
        print(
            String(
                format: "tenants: %d provisioned (%d failed) in %.0f s, %d at a time: %.1f tenants/s; "
                    + "each p50 %.0f ms, p99 %.0f ms, max %.0f ms",
                latencies.count, failures, elapsed, concurrency, Double(latencies.count) / elapsed,
                percentile(latencies, 0.5), percentile(latencies, 0.99), latencies.last ?? .nan))
    }
}
