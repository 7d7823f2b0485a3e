import CustosCore
import CustosServer
import ServiceLifecycle
import Synchronization

/// One ``SubmitQueue`` per tenant, made on the tenant's first submission: a pooled gateway batches each tenant's
/// writes apart, so one tenant's flood never fills another's batches or holds its place in line.
///
/// `run()` runs every queue's loop in one task group, adding queues as tenants appear; on graceful shutdown each
/// queue delivers what it holds (``SubmitQueue/run()``) and no queue is made any more.
final class TenantSubmitQueues<Item: Sendable, Output: Sendable>: Service, Sendable {
    /// Delivers one tenant's batch: one result per item, in order; a thrown error fails the whole batch.
    typealias Deliver = @Sendable (TenantID, [Item]) async throws -> [Result<Output, any Error>]

    private struct State {
        var queues: [TenantID: SubmitQueue<Item, Output>] = [:]
        var stopping = false
    }

    private let maximumBatch: Int
    private let deliver: Deliver
    private let state = Mutex(State())
    private let started: AsyncStream<SubmitQueue<Item, Output>>
    private let starting: AsyncStream<SubmitQueue<Item, Output>>.Continuation

    init(maximumBatch: Int, deliver: @escaping Deliver) {
        self.maximumBatch = maximumBatch
        self.deliver = deliver
        (started, starting) = AsyncStream.makeStream()
    }

    /// Submits one of `tenant`'s items and returns its output once it is committed.
    func submit(_ item: Item, tenant: TenantID) async throws -> Output {
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
        return try await queue.submit(item)
    }

    func run() async {
        await withDiscardingTaskGroup { group in
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
