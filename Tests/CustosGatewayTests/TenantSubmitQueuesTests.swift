import CustosCore
import Foundation
import Synchronization
import Testing

@testable import CustosGateway

@Suite("Per-tenant submit queues")
struct TenantSubmitQueuesTests {
    /// Records the batches delivered, and holds deliveries while `held` is set.
    final class Worker: Sendable {
        let batches = Mutex<[(TenantID, [Int])]>([])
        let held = Atomic(false)

        func deliver(_ tenant: TenantID, _ items: [Int]) async throws -> [Result<String, any Error>] {
            batches.withLock { $0.append((tenant, items)) }
            while held.load(ordering: .relaxed) { try await Task.sleep(for: .milliseconds(5)) }
            return items.map {
                $0 < 0 ? .failure(RequestError(.invalidInput, "negative \($0)")) : .success("\(tenant):\($0)")
            }
        }

        var delivered: Int { batches.withLock { $0.reduce(0) { $0 + $1.1.count } } }
    }

    let acme = TenantID("acme")!
    let beta = TenantID("beta")!

    /// Runs `body` with the queues' loop running, then cancels it.
    func running(
        _ queues: TenantSubmitQueues<Int, String>, _ body: () async throws -> Void
    ) async rethrows {
        let loop = Task { await queues.run() }
        defer { loop.cancel() }
        try await body()
    }

    @Test("each submission gets its own result, batched per tenant, never mixed with another tenant's")
    func ownResults() async throws {
        let worker = Worker()
        let queues = TenantSubmitQueues<Int, String>(maximumBatch: 8) { try await worker.deliver($0, $1) }
        await running(queues) {
            let results = await withTaskGroup(of: (TenantID, Int, Result<String, any Error>).self) { group in
                for n in -3..<40 {
                    let tenant = n % 2 == 0 ? acme : beta
                    group.addTask {
                        do { return (tenant, n, .success(try await queues.submit(n, tenant: tenant))) } catch {
                            return (tenant, n, .failure(error))
                        }
                    }
                }
                return await group.reduce(into: []) { $0.append($1) }
            }
            #expect(results.count == 43)
            for (tenant, n, result) in results {
                switch result {
                case .success(let output): #expect(n >= 0 && output == "\(tenant):\(n)")
                case .failure(let error): #expect(n < 0 && "\(error)".contains("negative \(n)"))
                }
            }
            for (tenant, items) in worker.batches.withLock({ $0 }) {
                #expect(items.count <= 8)
                #expect(items.allSatisfy { ($0 % 2 == 0) == (tenant == acme) })
            }
            #expect(queues.tenantCount == 2)
        }
    }

    @Test("a queue goes after two sweeps without submissions, never while in flight; the next submission makes one")
    func idleQueuesRetire() async throws {
        let worker = Worker()
        let queues = TenantSubmitQueues<Int, String>(maximumBatch: 8, idlePeriod: .seconds(3600)) {
            try await worker.deliver($0, $1)
        }
        try await running(queues) {
            #expect(try await queues.submit(1, tenant: acme) == "acme:1")
            queues.sweep()
            #expect(queues.tenantCount == 1, "used since the last sweep")
            queues.sweep()
            #expect(queues.tenantCount == 0)

            worker.held.store(true, ordering: .relaxed)
            let waiting = Task { try await queues.submit(2, tenant: acme) }
            while worker.delivered < 2 { try await Task.sleep(for: .milliseconds(5)) }
            for _ in 0..<3 { queues.sweep() }
            #expect(queues.tenantCount == 1, "a batch is in flight")
            worker.held.store(false, ordering: .relaxed)
            #expect(try await waiting.value == "acme:2")
            queues.sweep()
            queues.sweep()
            #expect(queues.tenantCount == 0)
            #expect(try await queues.submit(3, tenant: acme) == "acme:3")
            #expect(queues.tenantCount == 1)
        }
    }

    @Test("submissions racing sweeps all succeed: none meets a retired queue")
    func racingSweeps() async throws {
        let worker = Worker()
        let queues = TenantSubmitQueues<Int, String>(maximumBatch: 4, idlePeriod: .seconds(3600)) {
            try await worker.deliver($0, $1)
        }
        await running(queues) {
            // On a thread of its own, so that sweeps fall between a submission's lookup and its enqueueing.
            let stop = Atomic(false)
            let sweeper = Thread {
                while !stop.load(ordering: .relaxed) { queues.sweep() }
            }
            sweeper.start()
            defer { stop.store(true, ordering: .relaxed) }
            let failures = await withTaskGroup(of: Int.self) { group in
                for client in 0..<8 {
                    group.addTask {
                        var failed = 0
                        for n in 0..<2000 {
                            let item = client * 1000 + n
                            if (try? await queues.submit(item, tenant: acme)) != "acme:\(item)" { failed += 1 }
                        }
                        return failed
                    }
                }
                return await group.reduce(0, +)
            }
            #expect(failures == 0)
            #expect(worker.delivered == 16000)
        }
    }

    @Test("the loop sweeps by itself every idle period")
    func periodicSweep() async throws {
        let worker = Worker()
        let queues = TenantSubmitQueues<Int, String>(maximumBatch: 8, idlePeriod: .milliseconds(20)) {
            try await worker.deliver($0, $1)
        }
        try await running(queues) {
            #expect(try await queues.submit(1, tenant: beta) == "beta:1")
            let deadline = ContinuousClock.now + .seconds(10)
            while queues.tenantCount > 0 && ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(10))
            }
            #expect(queues.tenantCount == 0)
            #expect(try await queues.submit(2, tenant: beta) == "beta:2")
        }
    }
}
