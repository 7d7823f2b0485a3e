import Synchronization

/// A signal given once: ``wait()`` returns true once ``open()`` was called (at once when it already was), or
/// false when the waiting task is cancelled before.
///
/// A process's background services wait on it for its preparation (migrations), which runs beside them.
final class PreparationLatch: Sendable {
    private struct State {
        var isOpen = false
        var waiters: [Int: CheckedContinuation<Bool, Never>] = [:]
        /// Waiters cancelled before they were registered: they must not wait.
        var cancelled: Set<Int> = []
        var nextID = 0
    }

    private let state = Mutex(State())

    init() {}

    /// Lets every waiter, present and future, go on.
    func open() {
        let waiters = state.withLock { state in
            state.isOpen = true
            defer { state.waiters = [:] }
            return Array(state.waiters.values)
        }
        for waiter in waiters { waiter.resume(returning: true) }
    }

    /// Waits until ``open()``; false when the task was cancelled first.
    func wait() async -> Bool {
        let id = state.withLock { state in
            state.nextID += 1
            return state.nextID
        }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let now: Bool? = state.withLock { state in
                    if state.isOpen { return true }
                    if state.cancelled.remove(id) != nil { return false }
                    state.waiters[id] = continuation
                    return nil
                }
                if let now { continuation.resume(returning: now) }
            }
        } onCancel: {
            let waiter = state.withLock { state -> CheckedContinuation<Bool, Never>? in
                if let waiter = state.waiters.removeValue(forKey: id) { return waiter }
                if !state.isOpen { state.cancelled.insert(id) }
                return nil
            }
            waiter?.resume(returning: false)
        }
    }
}
