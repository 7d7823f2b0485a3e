import CustosCore
import CustosLedger
import ServiceLifecycle

/// One ledger actor per tenant, loaded from the database on first use, whose writer loops it runs as a
/// `Service`.
///
/// Several ledger workers may share a database: a worker sequences only the tenants of the shards whose advisory
/// locks its ``SequencerLease`` holds, and ``route(_:forwarded:)`` tells the routes where any other tenant is
/// sequenced. `run()` adopts every shard that no worker holds, at start and then every `adoptInterval`, so the
/// tenants of a worker that died are taken over (and their unconfirmed entries confirmed) without waiting for
/// traffic; ledgers whose shard was lost stop.
///
/// `run()` holds every tenant's writer loop in one task group; a tenant loaded later has its loop added to the
/// running group. On graceful shutdown the registry stops loading tenants, every ledger refuses new submissions
/// with a 503, commits what it already accepted, issues a last milestone over it, and stops; `run()` returns once
/// all loops have. List the registry after the PostgreSQL client in the `ServiceGroup`: services stop in reverse
/// order, so the client still serves the last commits. On cancellation the loops stop at once, answering whoever
/// waits with the 503.
actor SequencerRegistry: Service {
    /// Where a tenant is sequenced.
    enum Route: Equatable, Sendable {
        /// By this worker.
        case local
        /// By the worker at this URL.
        case remote(String)
    }

    private let store: LedgerStore
    private let lease: SequencerLease
    private let milestoneInterval: Duration
    private let adoptInterval: Duration
    private var ledgers: [TenantID: TenantLedger] = [:]
    private var loading: [TenantID: Task<TenantLedger, any Error>] = [:]
    /// Ledgers whose loops `run()` has yet to add to its group; finished when shutdown begins.
    private let started: AsyncStream<TenantLedger>
    private let starting: AsyncStream<TenantLedger>.Continuation
    /// The ledgers whose loops `run()` added to its group.
    private var running: Set<ObjectIdentifier> = []
    /// Set once shutdown began: no tenant is loaded any more.
    private var stopping = false

    /// The error of a submission (or first use of a tenant) once the worker is shutting down.
    static let shuttingDown = LedgerError("the ledger worker is shutting down; retry shortly", kind: .unavailable)

    init(
        store: LedgerStore, lease: SequencerLease, milestoneInterval: Duration, adoptInterval: Duration = .seconds(1)
    ) {
        self.store = store
        self.lease = lease
        self.milestoneInterval = milestoneInterval
        self.adoptInterval = adoptInterval
        (started, starting) = AsyncStream.makeStream()
    }

    /// Runs the writer loops (and adopts free shards) until graceful shutdown (or cancellation), then lets the
    /// loops finish, releases the shards and returns.
    func run() async {
        await withDiscardingTaskGroup { group in
            let adopting = Task { [adoptInterval] in
                while !Task.isCancelled {
                    await adopt()
                    try? await Task.sleep(for: adoptInterval)
                }
            }
            await withGracefulShutdownHandler {
                // Ends once shutdown finished the stream and the ledgers already in it were taken, or on cancellation.
                for await ledger in started { start(ledger, in: &group) }
            } onGracefulShutdown: { [starting] in
                starting.finish()
            }
            adopting.cancel()
            stopping = true
            starting.finish()
            // After a cancellation the stream may not have delivered every ledger handed out: their loops run too,
            // if only to answer whoever waits on them.
            for ledger in ledgers.values { start(ledger, in: &group) }
            for ledger in ledgers.values { await ledger.finish() }
            // A load still under way reads the database: it ends (and is refused) before the client may stop.
            for load in loading.values { _ = try? await load.value }
            _ = await adopting.value
        }
        // Every write is over: the other workers may take the shards now rather than when the process exits.
        await lease.close()
        store.logger.debug("ledger writers stopped", metadata: ["tenants": "\(ledgers.count)"])
    }

    private func start(_ ledger: TenantLedger, in group: inout DiscardingTaskGroup) {
        guard running.insert(ObjectIdentifier(ledger)).inserted else { return }
        group.addTask {
            await ledger.run()
            await self.ended(ledger)
        }
    }

    /// Forgets a ledger whose loop returned (after another worker took its tenant, or at shutdown).
    private func ended(_ ledger: TenantLedger) {
        running.remove(ObjectIdentifier(ledger))
        if !stopping, ledgers[ledger.tenant] === ledger { ledgers[ledger.tenant] = nil }
    }

    /// Where `tenant` is sequenced: here when this worker holds (or can take) its shard, otherwise by the worker
    /// that recorded itself as the shard's owner. A `forwarded` request is not forwarded again.
    func route(_ tenant: TenantID, forwarded: Bool) async throws -> Route {
        let shard = SequencerShard(tenant)
        if await lease.holds(shard) { return .local }
        guard !stopping else { throw Self.shuttingDown }
        if try await lease.take(shard) { return .local }
        guard !forwarded, let owner = try await store.owner(of: shard), owner != lease.advertiseURL else {
            throw SequencerError.moved(tenant)
        }
        return .remote(owner)
    }

    /// Takes every shard no worker holds and loads the tenants in the shards taken; stops the ledgers of shards
    /// this worker no longer holds (its lease connection broke). Errors are logged: the next round retries.
    func adopt() async {
        guard !stopping else { return }
        let taken: [SequencerShard]
        do {
            taken = try await lease.acquire(SequencerShard.all)
        } catch {
            taken = []
        }
        let held = await lease.held
        for (tenant, ledger) in ledgers where !held.contains(SequencerShard(tenant)) {
            ledgers[tenant] = nil
            await ledger.finish()
        }
        guard !taken.isEmpty else { return }
        store.logger.info(
            "took sequencer shards", metadata: ["shards": "\(taken.count)", "held": "\(held.count)"])
        do {
            let shards = Set(taken)
            // Unconfirmed entries of these tenants (a crash, or a worker that died) get their milestone now.
            await resume(try await store.tenants().filter { shards.contains(SequencerShard($0)) })
        } catch {
            store.logger.error("cannot list the tenants to resume", metadata: ["error": "\(error)"])
        }
    }

    /// The tenant's ledger, loaded (and its writer loop started) on first use; after shutdown began only ledgers
    /// already loaded are returned, and they refuse submissions. Loading takes the tenant's shard if no worker
    /// holds it; a tenant another worker sequences is a 503 (the routes ask ``route(_:forwarded:)`` first).
    func ledger(for tenant: TenantID) async throws -> TenantLedger {
        if let existing = ledgers[tenant] { return existing }
        guard !stopping else { throw Self.shuttingDown }
        // Concurrent first requests share one load instead of racing to create two writers.
        let task =
            loading[tenant]
            ?? Task { [store, lease, milestoneInterval] in
                guard try await !store.isErased(tenant) else { throw Self.erased(tenant) }
                guard try await lease.take(SequencerShard(tenant)) else { throw SequencerError.moved(tenant) }
                guard let epoch = try await lease.claim(tenant) else {
                    throw LedgerError("tenant \(tenant) has no ledger", kind: .notFound)
                }
                return try await TenantLedger(
                    tenant: tenant, epoch: epoch, store: store, milestoneInterval: milestoneInterval)
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
    }

    /// Loads `tenants`, so milestones resume after a restart or a takeover without waiting for traffic.
    private func resume(_ tenants: [TenantID]) async {
        for tenant in tenants {
            do { _ = try await ledger(for: tenant) } catch {
                store.logger.error("cannot resume ledger", metadata: ["tenant": "\(tenant)", "error": "\(error)"])
            }
        }
    }
}
