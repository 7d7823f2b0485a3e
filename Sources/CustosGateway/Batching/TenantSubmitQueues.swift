import CustosCore
import CustosServer
import ServiceLifecycle
import Synchronization

/// One ``SubmitQueue`` per tenant, made on the tenant's first submission: a pooled gateway batches each tenant's
/// writes apart, so one tenant's flood never fills another's batches or holds its place in line.
///
/// `run()` runs every queue's loop in one task group, adding queues as tenants appear, and every `idlePeriod`
/// retires the queues nothing was submitted to since the previous look, so a pooled gateway keeps queues for the
/// tenants it serves now, not for every tenant it ever served (a deleted one among them). A submission that
/// meets a queue as it retires goes to a new one. On graceful shutdown each queue delivers what it holds
/// (``SubmitQueue/run()``) and no queue is made any more.
final class TenantSubmitQueues<Item: Sendable, Output: Sendable>: Service, Sendable {
    /// Delivers one tenant's batch: one result per item, in order; a thrown error fails the whole batch.
    typealias Deliver = @Sendable (TenantID, [Item]) async throws -> [Result<Output, any Error>]

    private struct State {
        var queues: [TenantID: SubmitQueue<Item, Output>] = [:]
        var stopping = false
    }

    /// How often idle queues are looked for: a queue goes after one to two periods without submissions.
    static var defaultIdlePeriod: Duration { .seconds(60) }

    private let maximumBatch: Int
    private let idlePeriod: Duration
    private let deliver: Deliver
    private let state = Mutex(State())
    private let started: AsyncStream<SubmitQueue<Item, Output>>
    private let starting: AsyncStream<SubmitQueue<Item, Output>>.Continuation

    init(maximumBatch: Int, idlePeriod: Duration = defaultIdlePeriod, deliver: @escaping Deliver) {
        self.maximumBatch = maximumBatch
        self.idlePeriod = idlePeriod
        self.deliver = deliver
        (started, starting) = AsyncStream.makeStream()
    }

    /// Submits one of `tenant`'s items and returns its output once it is committed.
    func submit(_ item: Item, tenant: TenantID) async throws -> Output {
        while true {
            do {
                return try await queue(of: tenant).submit(item)
            } catch is SubmitQueue<Item, Output>.Retired {
                // Retired between the lookup and the submission, and already out of the table.
                continue
            }
        }
    }

    /// The tenant's queue, made on its first submission.
    private func queue(of tenant: TenantID) throws -> SubmitQueue<Item, Output> {
        let queue = state.withLock { state -> SubmitQueue<Item, Output>? in
            if let queue = state.queues[tenant] { return queue }
            guard !state.stopping else { return nil }
            let deliver = self.deliver
            let queue = SubmitQueue<Item, Output>(maximumBatch: maximumBatch) { try await deliver(tenant, $0) }
            // A queue whose loop would never run must not take items: they would wait for ever.
            guard case .enqueued = starting.yield(queue) else {
                state.stopping = true
                return nil
            }
            state.queues[tenant] = queue
            return queue
        }
        guard let queue else { throw SubmitQueue<Item, Output>.shuttingDown }
        return queue
    }

    /// Tenants with a queue now.
    var tenantCount: Int { state.withLock { $0.queues.count } }

    /// Retires and forgets the queues idle since the previous sweep.
    func sweep() {
        state.withLock { state in
            guard !state.stopping else { return }
            state.queues = state.queues.filter { !$0.value.retireIfIdle() }
        }
    }

    func run() async {
        await withDiscardingTaskGroup { group in
            group.addTask { [idlePeriod] in
                try? await cancelWhenGracefulShutdown {
                    while true {
                        try await Task.sleep(for: idlePeriod)
                        self.sweep()
                    }
                }
            }
            await withGracefulShutdownHandler {
                for await queue in started { group.addTask { await queue.run() } }
            } onGracefulShutdown: { [starting] in
                starting.finish()
            }
            state.withLock { $0.stopping = true }
            starting.finish()
        }
    }
}
