import CustosCore
import Logging
import ServiceLifecycle

/// Runs tenant operations in the background, step by step, recording each step before it is performed.
///
/// An operation runs whether or not its caller waits for it. A control plane that stops (or is killed) half-way
/// leaves the operation `running` at the step it was at; the next one resumes every running operation from that
/// step when it starts, which is safe because every step can be performed again (``TenantProvisioner``). A step
/// that fails because a worker is unavailable is retried for a while before the operation fails.
///
/// One control plane runs operations at a time (the platform has one control plane process).
actor OperationRunner: Service {
    /// Attempts of a step whose worker is unavailable, with growing pauses, before the operation fails.
    static let attempts = 6

    private let store: ControlStore
    private let provisioner: TenantProvisioner
    private let logger: Logger
    private let queue: AsyncStream<ControlStore.OperationRow>
    private let queued: AsyncStream<ControlStore.OperationRow>.Continuation
    /// Operations this process is running, for ``wait(for:upTo:)``.
    private var active: Set<String> = []

    init(store: ControlStore, provisioner: TenantProvisioner, logger: Logger) {
        self.store = store
        self.provisioner = provisioner
        self.logger = logger
        (queue, queued) = AsyncStream.makeStream()
    }

    /// Starts running an operation just stored.
    func start(_ operation: ControlStore.OperationRow) {
        guard !operation.isFinished, active.insert(operation.id).inserted else { return }
        if case .terminated = queued.yield(operation) { active.remove(operation.id) }
    }

    /// Runs an operation just started (a replayed one runs already, or has finished) and waits for it up to
    /// `timeout`.
    func settle(_ operation: ControlStore.OperationRow, upTo timeout: Duration) async throws
        -> ControlStore.OperationRow
    {
        start(operation)
        logger.info(
            "operation started",
            metadata: [
                "operation": "\(operation.id)", "kind": "\(operation.kind.rawValue)", "tenant": "\(operation.tenant)",
                "by": "\(operation.actor)",
            ])
        return try await wait(for: operation.id, upTo: timeout) ?? operation
    }

    /// The operation once it has finished, or as it is when `timeout` has passed.
    func wait(for id: String, upTo timeout: Duration) async throws -> ControlStore.OperationRow? {
        let deadline = ContinuousClock.now + timeout
        var pause = Duration.milliseconds(2)
        while active.contains(id), ContinuousClock.now < deadline, !Task.isCancelled {
            try? await Task.sleep(for: min(pause, deadline - .now))
            pause = min(pause * 2, .milliseconds(50))
        }
        return try await store.operation(id)
    }

    func run() async {
        await withDiscardingTaskGroup { group in
            group.addTask { await self.resumeLeftOver() }
            await withGracefulShutdownHandler {
                for await operation in queue { group.addTask { await self.execute(operation) } }
            } onGracefulShutdown: { [queued] in
                queued.finish()
            }
            // Steps under way stop where they are; the next control plane resumes them.
            group.cancelAll()
        }
    }

    /// Resumes the operations a previous control plane left running, once the database answers.
    private func resumeLeftOver() async {
        var pause = Duration.milliseconds(200)
        while !Task.isCancelled {
            do {
                for operation in try await store.runningOperations() {
                    logger.info(
                        "resuming operation",
                        metadata: [
                            "operation": "\(operation.id)", "tenant": "\(operation.tenant)",
                            "step": "\(operation.step)",
                        ])
                    start(operation)
                }
                return
            } catch {
                try? await Task.sleep(for: pause)
                pause = min(pause * 2, .seconds(5))
            }
        }
    }

    private func execute(_ start: ControlStore.OperationRow) async {
        var operation = start
        defer { active.remove(operation.id) }
        let steps = TenantProvisioner.steps(operation.kind)
        let first = steps.firstIndex(of: operation.step) ?? 0
        var failure: String?
        for index in first..<steps.count {
            let step = steps[index]
            do {
                if operation.step != step {
                    try await store.advance(operation.id, step: step, progress: index * 100 / steps.count)
                    operation.step = step
                }
                try await perform(step, of: operation)
                logger.debug("operation step done", metadata: ["operation": "\(operation.id)", "step": "\(step)"])
            } catch {
                if Task.isCancelled { return }
                failure = String(describing: error)
                break
            }
        }
        if Task.isCancelled { return }
        await record(operation, failure: failure)
    }

    /// Performs a step, retrying while its worker or the database is unavailable.
    private func perform(_ step: String, of operation: ControlStore.OperationRow) async throws {
        var pause = Duration.milliseconds(250)
        for attempt in 1...Self.attempts {
            do {
                return try await provisioner.perform(step, of: operation)
            } catch  where (error as? any CustosError)?.kind == .unavailable && attempt < Self.attempts {
                logger.warning(
                    "operation step unavailable; retrying",
                    metadata: ["operation": "\(operation.id)", "step": "\(step)", "error": "\(error)"])
            }
            try await Task.sleep(for: pause)
            pause = pause * 2
        }
    }

    /// Records how the operation ended, retrying while the database is away: an operation is never left
    /// running by a process that is still up.
    private func record(_ operation: ControlStore.OperationRow, failure: String?) async {
        var pause = Duration.milliseconds(200)
        while !Task.isCancelled {
            do {
                try await store.finish(
                    operation, error: failure, failTenant: operation.kind == .create || operation.kind == .delete)
                if let failure {
                    logger.error(
                        "operation failed",
                        metadata: [
                            "operation": "\(operation.id)", "tenant": "\(operation.tenant)",
                            "step": "\(operation.step)",
                            "error": "\(failure)",
                        ])
                } else {
                    logger.info(
                        "operation succeeded",
                        metadata: [
                            "operation": "\(operation.id)", "kind": "\(operation.kind.rawValue)",
                            "tenant": "\(operation.tenant)",
                        ])
                }
                return
            } catch {
                try? await Task.sleep(for: pause)
                pause = min(pause * 2, .seconds(5))
            }
        }
    }
}
