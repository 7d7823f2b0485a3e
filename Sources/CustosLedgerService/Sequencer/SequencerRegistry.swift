import CustosCore
import CustosLedger
import ServiceLifecycle

/// One ledger actor per tenant, loaded from the database on first use, whose writer loops it runs as a
/// `Service`.
///
/// `run()` holds every tenant's writer loop in one task group; a tenant loaded later has its loop added to the
/// running group. On graceful shutdown the registry stops loading tenants, every ledger refuses new submissions
/// with a 503, commits what it already accepted, issues a last milestone over it, and stops; `run()` returns once
/// all loops have. List the registry after the PostgreSQL client in the `ServiceGroup`: services stop in reverse
/// order, so the client still serves the last commits. On cancellation the loops stop at once, answering whoever
/// waits with the 503.
actor SequencerRegistry: Service {
    private let store: LedgerStore
    private let milestoneInterval: Duration
    private var ledgers: [TenantID: TenantLedger] = [:]
    private var loading: [TenantID: Task<TenantLedger, any Error>] = [:]
    /// Ledgers whose loops `run()` has yet to add to its group; finished when shutdown begins.
    private let started: AsyncStream<TenantLedger>
    private let starting: AsyncStream<TenantLedger>.Continuation
    /// The tenants whose loops `run()` added to its group.
    private var running: Set<TenantID> = []
    /// Set once shutdown began: no tenant is loaded any more.
    private var stopping = false

    /// The error of a submission (or first use of a tenant) once the worker is shutting down.
    static let shuttingDown = LedgerError("the ledger worker is shutting down; retry shortly", kind: .unavailable)

    init(store: LedgerStore, milestoneInterval: Duration) {
        self.store = store
        self.milestoneInterval = milestoneInterval
        (started, starting) = AsyncStream.makeStream()
    }

    /// Runs the writer loops until graceful shutdown (or cancellation), then lets them finish and returns.
    func run() async {
        await withDiscardingTaskGroup { group in
            await withGracefulShutdownHandler {
                // Ends once shutdown finished the stream and the ledgers already in it were taken, or on cancellation.
                for await ledger in started {
                    if running.insert(ledger.tenant).inserted { group.addTask { await ledger.run() } }
                }
            } onGracefulShutdown: { [starting] in
                starting.finish()
            }
            stopping = true
            starting.finish()
            // After a cancellation the stream may not have delivered every ledger handed out: their loops run too,
            // if only to answer whoever waits on them.
            for (tenant, ledger) in ledgers where running.insert(tenant).inserted {
                group.addTask { await ledger.run() }
            }
            for ledger in ledgers.values { await ledger.finish() }
            // A load still under way reads the database: it ends (and is refused) before the client may stop.
            for load in loading.values { _ = try? await load.value }
        }
        store.logger.debug("ledger writers stopped", metadata: ["tenants": "\(ledgers.count)"])
    }

    /// The tenant's ledger, loaded (and its writer loop started) on first use; after shutdown began only ledgers
    /// already loaded are returned, and they refuse submissions.
    func ledger(for tenant: TenantID) async throws -> TenantLedger {
        if let existing = ledgers[tenant] { return existing }
        guard !stopping else { throw Self.shuttingDown }
        // Concurrent first requests share one load instead of racing to create two writers.
        let task =
            loading[tenant]
            ?? Task { [store, milestoneInterval] in
                guard try await !store.isErased(tenant) else { throw Self.erased(tenant) }
                return try await TenantLedger(tenant: tenant, store: store, milestoneInterval: milestoneInterval)
            }
        loading[tenant] = task
        defer { loading[tenant] = nil }
        let ledger = try await task.value
        // Another caller of the same load got here first.
        if let existing = ledgers[tenant] { return existing }
        // A ledger whose loop would never run must not be handed out: its submissions would wait for ever.
        guard !stopping, case .enqueued = starting.yield(ledger) else { throw Self.shuttingDown }
        ledgers[tenant] = ledger
        return ledger
    }

    /// The error of any use of an erased tenant's ledger.
    static func erased(_ tenant: TenantID) -> LedgerError {
        LedgerError("tenant \(tenant) was deleted: its ledger is erased", kind: .notFound)
    }

    /// Stops the tenant's writer loop after it commits what it accepted, and forgets the ledger, before the
    /// tenant's ledger is erased; later uses load it again, and an erased one is refused.
    func unload(_ tenant: TenantID) async {
        guard let ledger = ledgers.removeValue(forKey: tenant) else { return }
        await ledger.finish()
        running.remove(tenant)
    }

    /// Loads every tenant that has a ledger, so milestones resume after a restart without waiting for traffic.
    func resumeAll(_ tenants: [TenantID]) async {
        for tenant in tenants {
            do { _ = try await ledger(for: tenant) } catch {
                store.logger.error("cannot resume ledger", metadata: ["tenant": "\(tenant)", "error": "\(error)"])
            }
        }
    }
}
