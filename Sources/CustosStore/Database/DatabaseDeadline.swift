import CustosCore
import Logging
import PostgresNIO
import Synchronization

/// Runs store operations with a deadline and reports a database outage as ``StoreError/databaseUnavailable``.
///
/// PostgresNIO queues a query while its pool cannot connect (for up to a minute before its circuit breaker
/// trips), and a query on a connection whose server vanished without closing it waits for TCP to give up. Here
/// every operation ends by its deadline: on time with its result, or with the 503 error when it timed out or
/// failed because the connection failed. Other errors (a constraint violation, a domain error thrown by the
/// operation) pass through unchanged.
///
/// After an outage was seen, operations get a short deadline (``outageTimeout``) until one succeeds again, so
/// callers fail fast while the database is away and succeed as soon as the pool has reconnected. The first
/// failure of an outage is logged at warning level, the first success after it at info level.
///
/// An operation that missed its deadline is cancelled but may still complete later: a write whose deadline
/// passed may or may not have been committed.
public struct DatabaseDeadline: Sendable {
    /// The deadline of one operation while the database answers.
    public let timeout: Duration
    /// The deadline while an outage is in progress.
    public static let outageTimeout: Duration = .seconds(1)

    private let logger: Logger
    private let outage = OutageState()

    /// Creates a deadline for one store; `timeout` is usually the configuration's ``DatabaseConfiguration/Options/queryTimeout``.
    public init(timeout: Duration = DatabaseConfiguration.Options().queryTimeout, logger: Logger) {
        self.timeout = timeout
        self.logger = logger
    }

    /// Whether the last operation that ended found the database unreachable.
    public var isInOutage: Bool { outage.isActive }

    /// Runs `operation` (which should read its rows to the end) with the deadline; `timeout` overrides the
    /// store's for operations known to take longer, such as reading a whole log.
    public func run<Value: Sendable>(
        timeout: Duration? = nil, _ operation: @escaping @Sendable () async throws -> Value
    ) async throws -> Value {
        var limit = timeout ?? self.timeout
        if outage.isActive { limit = min(limit, Self.outageTimeout) }
        do {
            let value = try await Self.withDeadline(limit, operation)
            if outage.end() { logger.info("database reachable again") }
            return value
        } catch let error as CancellationError {
            throw error
        } catch {
            guard let reason = Self.outageReason(error) else { throw error }
            if outage.begin() {
                logger.warning(
                    "database unavailable; answering 503 until it is back", metadata: ["reason": "\(reason)"])
            }
            throw StoreError.databaseUnavailable
        }
    }

    /// Why `error` means the database cannot be used right now, or nil when it is some other failure.
    ///
    /// Covers connection failures and closed connections, PostgresNIO's pool refusing work (circuit breaker,
    /// shut down), server errors that mean the server is going away or not ready (SQLSTATE class 08, 57P01-03,
    /// 53300), transaction errors caused by any of these, a missed deadline, and the 503 of a nested operation.
    public static func outageReason(_ error: any Error) -> String? {
        switch error {
        case let error as DeadlineExceeded:
            return "no answer within \(error.limit)"
        case let error as StoreError:
            return error.kind == .unavailable ? error.message : nil
        case let error as PSQLError:
            switch error.code {
            case .serverClosedConnection, .clientClosedConnection, .connectionError, .uncleanShutdown, .poolClosed:
                return "\(error.code)"
            case .server:
                guard let state = error.serverInfo?[.sqlState] else { return nil }
                let unavailable = state.hasPrefix("08") || ["57P01", "57P02", "57P03", "53300"].contains(state)
                return unavailable ? "server error \(state)" : nil
            default:
                return nil
            }
        case let error as PostgresTransactionError:
            for underlying in [error.closureError, error.beginError, error.commitError].compactMap(\.self) {
                if let reason = outageReason(underlying) { return reason }
            }
            return nil
        default:
            // PostgresNIO's pool errors live in its underscored pool module, which Custos does not import.
            let type = String(reflecting: Swift.type(of: error))
            return type.hasSuffix(".ConnectionPoolError") ? "connection pool: \(error)" : nil
        }
    }

    /// The error of an operation that did not end in time.
    struct DeadlineExceeded: Error {
        var limit: Duration
    }

    /// Runs `operation` in its own task and returns its result, or throws `DeadlineExceeded` once `limit` passed
    /// (cancelling the operation, which may not stop at once: PostgresNIO does not interrupt a running query).
    static func withDeadline<Value: Sendable>(
        _ limit: Duration, _ operation: @escaping @Sendable () async throws -> Value
    ) async throws -> Value {
        let race = Race<Value>()
        let work = Task {
            do { race.finish(.success(try await operation())) } catch { race.finish(.failure(error)) }
        }
        let timer = Task {
            do { try await Task.sleep(for: limit) } catch { return }
            race.finish(.failure(DeadlineExceeded(limit: limit)))
        }
        defer {
            work.cancel()
            timer.cancel()
        }
        return try await withTaskCancellationHandler {
            try await race.value()
        } onCancel: {
            race.finish(.failure(CancellationError()))
        }
    }
}

/// Whether an outage is in progress, shared by the copies of one `DatabaseDeadline`.
private final class OutageState: Sendable {
    private let active = Atomic<Bool>(false)

    var isActive: Bool { active.load(ordering: .relaxed) }

    /// Marks the outage; true when it was not marked yet.
    func begin() -> Bool { !active.exchange(true, ordering: .relaxed) }

    /// Clears the outage; true when it was marked.
    func end() -> Bool { isActive && active.exchange(false, ordering: .relaxed) }
}

/// The first of several outcomes wins; the others are ignored.
private final class Race<Value: Sendable>: Sendable {
    private enum State {
        case pending
        case waiting(CheckedContinuation<Value, any Error>)
        case finished(Result<Value, any Error>)
        case delivered
    }

    private let state = Mutex<State>(.pending)

    func finish(_ result: Result<Value, any Error>) {
        let continuation: CheckedContinuation<Value, any Error>? = state.withLock { state in
            switch state {
            case .pending:
                state = .finished(result)
                return nil
            case .waiting(let continuation):
                state = .delivered
                return continuation
            case .finished, .delivered:
                return nil
            }
        }
        continuation?.resume(with: result)
    }

    func value() async throws -> Value {
        try await withCheckedThrowingContinuation { continuation in
            let ready: Result<Value, any Error>? = state.withLock { state in
                if case .finished(let result) = state {
                    state = .delivered
                    return result
                }
                state = .waiting(continuation)
                return nil
            }
            if let ready { continuation.resume(with: ready) }
        }
    }
}
