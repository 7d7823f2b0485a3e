import CustosCore
import ServiceLifecycle
import Synchronization

/// Carries the tenant's concurrent submissions to a worker in batches: one internal call per batch, each request
/// still answered only after its own item is committed, with its own result.
///
/// Group commit on the hop: a submission goes out at once when fewer than ``maximumInFlight`` batches are on
/// their way, so a lone request waits for nobody; under load, what arrives while batches are in flight leaves
/// together in the next one (up to `maximumBatch` items). There is no timer: the batch size follows the load.
/// The gateway keeps one per tenant for ledger entries to the ledger worker and channel entries to the streams
/// worker; the ssi worker one for the credentials it stores.
///
/// `run()` holds the deliveries in a task group. On graceful shutdown (after the HTTP server has stopped taking
/// requests) it delivers what is queued and waits for the batches in flight; on cancellation whoever waits is
/// answered with the 503.
public final class SubmitQueue<Item: Sendable, Output: Sendable>: Service, Sendable {
    /// Delivers a batch: one result per item, in order; a thrown error fails the whole batch.
    public typealias Deliver = @Sendable ([Item]) async throws -> [Result<Output, any Error>]

    /// Batches on their way to the worker at once: one commits while the next waits at the worker. Measured with
    /// `make bench` (64 connections): 4 in flight made batches of 11 entries on average and 6,900 entries/s, 2 made
    /// 20 and 8,600/s, 1 made 32 and 8,600/s; 2 keeps a second batch ready for a worker farther away.
    public static var maximumInFlight: Int { 2 }

    /// The error of a submission once its process (a gateway, or the ssi worker) is shutting down.
    public static var shuttingDown: RequestError { RequestError(.unavailable, "shutting down; retry shortly") }

    /// Thrown by ``submit(_:)`` on a queue that ``retireIfIdle()`` retired: the item was not taken, and whoever
    /// owns the queue submits it to a new one.
    public struct Retired: Error, Sendable {}

    private enum Step {
        case send([Waiting])
        case wait
        case done
    }

    private struct Waiting: Sendable {
        let item: Item
        let continuation: CheckedContinuation<Output, any Error>
    }

    private struct State {
        var queue: [Waiting] = []
        var inFlight = 0
        var stopping = false
        var retired = false
        /// Whether anything was submitted since the last ``retireIfIdle()``.
        var used = false
        /// The loop, while it waits for work or for a batch to come back.
        var loop: CheckedContinuation<Void, Never>?
    }

    private let maximumBatch: Int
    private let deliverBatch: Deliver
    private let state = Mutex(State())

    /// A queue that sends at most `maximumBatch` items per call of `deliver`.
    public init(maximumBatch: Int, deliver: @escaping Deliver) {
        self.maximumBatch = maximumBatch
        deliverBatch = deliver
    }

    /// Submits one item and returns its output once it is committed.
    public func submit(_ item: Item) async throws -> Output {
        try await withCheckedThrowingContinuation { continuation in
            let loop = state.withLock { state -> Result<CheckedContinuation<Void, Never>?, any Error> in
                guard !state.stopping else { return .failure(state.retired ? Retired() : Self.shuttingDown) }
                state.queue.append(Waiting(item: item, continuation: continuation))
                state.used = true
                defer { state.loop = nil }
                return .success(state.loop)
            }
            switch loop {
            case .failure(let error): continuation.resume(throwing: error)
            case .success(let waiting): waiting?.resume()
            }
        }
    }

    /// Ends the queue when nothing was submitted to it since the previous call and nothing is queued or in
    /// flight: ``run()`` then returns and later submissions throw ``Retired``. Returns whether it did, so that an
    /// owner calling this periodically drops queues idle for between one and two periods.
    public func retireIfIdle() -> Bool {
        let (retired, loop) = state.withLock { state -> (Bool, CheckedContinuation<Void, Never>?) in
            guard !state.stopping else { return (state.retired, nil) }
            guard !state.used, state.queue.isEmpty, state.inFlight == 0 else {
                state.used = false
                return (false, nil)
            }
            state.stopping = true
            state.retired = true
            defer { state.loop = nil }
            return (true, state.loop)
        }
        loop?.resume()
        return retired
    }

    public func run() async {
        await withDiscardingTaskGroup { group in
            await withGracefulShutdownHandler {
                while let batch = await nextBatch() {
                    group.addTask { await self.deliver(batch) }
                }
            } onGracefulShutdown: {
                self.state.withLock { state in
                    state.stopping = true
                    defer { state.loop = nil }
                    return state.loop
                }?.resume()
            }
        }
        // Only after a cancellation can anything be left: nobody will deliver it.
        let left = state.withLock { state in
            state.stopping = true
            defer { state.queue = [] }
            return state.queue
        }
        for waiting in left { waiting.continuation.resume(throwing: Self.shuttingDown) }
    }

    /// The next batch to send, once there is one and room for it; nil when stopping with nothing queued, or
    /// when cancelled.
    private func nextBatch() async -> [Waiting]? {
        while !Task.isCancelled {
            // The continuation is stored under the same lock that decides to wait, so no wake-up is missed; a
            // cancellation either finds it stored or is seen before it would be.
            var step = Step.wait
            await withTaskCancellationHandler {
                await withCheckedContinuation { (loop: CheckedContinuation<Void, Never>) in
                    step = state.withLock { state in
                        if !state.queue.isEmpty && state.inFlight < Self.maximumInFlight {
                            let count = min(state.queue.count, maximumBatch)
                            let batch = Array(state.queue.prefix(count))
                            state.queue.removeFirst(count)
                            state.inFlight += 1
                            return .send(batch)
                        }
                        if Task.isCancelled || (state.stopping && state.queue.isEmpty && state.inFlight == 0) {
                            return .done
                        }
                        state.loop = loop
                        return .wait
                    }
                    if case .wait = step { return }
                    loop.resume()
                }
            } onCancel: {
                state.withLock { state in
                    defer { state.loop = nil }
                    return state.loop
                }?.resume()
            }
            switch step {
            case .send(let batch): return batch
            case .done: return nil
            case .wait: continue
            }
        }
        return nil
    }

    private func deliver(_ batch: [Waiting]) async {
        do {
            let results = try await deliverBatch(batch.map(\.item))
            for (index, waiting) in batch.enumerated() {
                waiting.continuation.resume(
                    with: index < results.count
                        ? results[index] : .failure(RequestError(.internalFailure, "the batch lost an item")))
            }
        } catch {
            for waiting in batch { waiting.continuation.resume(throwing: error) }
        }
        state.withLock { state in
            state.inFlight -= 1
            defer { state.loop = nil }
            return state.loop
        }?.resume()
    }
}
