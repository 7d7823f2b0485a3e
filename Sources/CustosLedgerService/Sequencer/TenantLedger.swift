import CustosCore
import CustosLedger
import CustosStore
import Foundation
import Logging

/// The single writer of one tenant's ledger.
///
/// One loop per tenant does all writing, in order: batches of submissions (group commit: whatever arrived
/// while the previous commit was in flight goes into the next one) and, at most every `milestoneInterval`
/// while there is unconfirmed work, a milestone that confirms it into the Merkle log. Every
/// acknowledgement means "committed". When a commit fails, the state is rebuilt from the database before
/// anything else is written, so a lost connection can neither lose nor duplicate anything.
///
/// Commits are pipelined, up to ``pipelineDepth`` at once: while one is in flight the next batch is attached and
/// inserted in a transaction of its own, which commits only after its predecessor has and rolls back when the
/// predecessor failed. Its entries take the predecessor's as parents, so the database only ever holds a prefix
/// of what was attached, and one tenant keeps more than one PostgreSQL backend busy. A milestone is a link of
/// that chain too, at most one at a time; its checkpoint becomes the newest once its commit is known.
///
/// While the database is away the state cannot be rebuilt: the loop keeps retrying with backoff (100 ms
/// doubling to 1 s), answers waiting and new submissions at once with the 503 error, and resumes writing
/// as soon as the rebuild succeeds.
///
/// Every write carries the sequencer epoch this worker claimed for the tenant before loading it. When another
/// ledger worker has claimed the tenant since (it took the tenant's shard), the write is refused, and the loop
/// stops at once: whoever waits gets a 503 to retry, which then reaches the new sequencer.
///
/// The loop is `run()`, which the ``SequencerRegistry`` service runs in its task group. After `finish()` new
/// submissions get a 503; the loop commits what it accepted, issues a last milestone over everything
/// unconfirmed, and returns. When a write fails during that, or the loop is cancelled, whoever waits gets the
/// 503 and the loop returns once the commits in flight have ended: what was committed but not confirmed gets
/// its milestone after the next start, as after a crash.
actor TenantLedger {
    private struct Pending: Sendable {
        var items: [LedgerEntry]
        var continuation: CheckedContinuation<[Digest32], any Error>
    }

    /// One commit in flight, in its own transaction: a batch of submissions or a milestone.
    private struct Link {
        let id: UInt64
        /// Answers the link's submitters itself; fails when its transaction or its predecessor's failed.
        let task: Task<Void, any Error>
        /// The milestone it commits, confirmed in the state once the commit has succeeded.
        let milestone: MilestoneCommit?
    }

    /// The most entries one commit carries.
    static let maximumBatch = 4096
    /// The most commits in flight at once: one committing while the next one's rows are inserted.
    static let pipelineDepth = 2

    let tenant: TenantID
    /// The sequencer epoch claimed for this worker, which every write carries.
    let epoch: Int64
    private let store: LedgerStore
    private let milestoneInterval: Duration
    private var state: TenantLedgerState
    private var needsReload = false
    /// Set while the state cannot be rebuilt (the database is away): submissions fail with it at once.
    private var outage: (any Error)?
    /// Consecutive failed loop steps, for the retry backoff and to log an outage once.
    private var failures = 0
    private var pending: [Pending] = []
    /// The commits in flight, oldest first; each is applied to the state in this order once it finished.
    private var chain: [Link] = []
    /// Outcomes of finished links not yet applied, by link id: links may report out of order.
    private var outcomes: [UInt64: Result<Void, any Error>] = [:]
    private var linksStarted: UInt64 = 0
    /// The most commits that were in flight at once so far, which says whether the pipeline fills.
    private(set) var mostCommitsInFlight = 0
    private var waiter: CheckedContinuation<Void, Never>?
    /// False while the loop backs off after a failure: new submissions must not cut that short.
    private var waiterWakesOnWork = true
    private var lastMilestoneAt = ContinuousClock.now
    /// Set by `finish()` (or cancellation): submissions are refused, the loop ends once its work is done.
    private var stopping = false

    /// Loads the tenant's state; `epoch` is what ``SequencerLease/claim(_:)`` returned for it.
    init(tenant: TenantID, epoch: Int64, store: LedgerStore, milestoneInterval: Duration) async throws {
        self.tenant = tenant
        self.epoch = epoch
        self.store = store
        self.milestoneInterval = milestoneInterval
        state = try await Self.load(tenant: tenant, store: store)
    }

    /// Asks the loop to end: submissions from now on are refused with a 503, the accepted ones are committed
    /// and confirmed by a last milestone, then `run()` returns.
    func finish() {
        stopping = true
        resumeWaiter()
    }

    /// Attaches items in order and returns their ids once committed.
    func submit(_ items: [LedgerEntry]) async throws -> [Digest32] {
        if stopping { throw SequencerRegistry.shuttingDown }
        if let outage { throw outage }
        return try await withCheckedThrowingContinuation { continuation in
            pending.append(Pending(items: items, continuation: continuation))
            wake()
        }
    }

    /// The network and coordinator of this ledger.
    var network: NetworkRow { state.network }

    /// The coordinator's current verifier key.
    func verifierKey() throws -> NoteVerifierKey { try state.verifierKey }

    /// The newest signed checkpoint, or nil before the first milestone.
    var checkpoint: MilestoneRow? { state.lastMilestone }

    /// Inclusion proofs for leaves under the newest checkpoint, with the checkpoint and the key that signed it, all
    /// under the same checkpoint; a leaf the checkpoint does not cover yet has no proof. Nil before the first
    /// checkpoint.
    func inclusionProofs(leafIndexes: [UInt64]) throws
        -> (proofs: [[Digest32]?], checkpoint: MilestoneRow, signer: NoteVerifierKey)?
    {
        guard let milestone = state.lastMilestone, let signer = state.checkpointSigner else { return nil }
        let proofs = try leafIndexes.map { leaf in
            leaf < milestone.logSize ? try state.log.inclusionProof(index: leaf, size: milestone.logSize) : nil
        }
        return (proofs, milestone, try NoteVerifierKey(name: state.network.origin, publicKey: signer))
    }

    /// A consistency proof between two log sizes up to the newest checkpoint.
    func consistencyProof(from: UInt64, to: UInt64) throws -> [Digest32] {
        let size = state.lastMilestone?.logSize ?? 0
        guard from >= 1, from <= to, to <= size else {
            throw LedgerError("consistency proofs need 1 <= from <= to <= \(size) (the newest checkpoint's size)")
        }
        return try state.log.consistencyProof(from: from, to: to)
    }

    /// Generates a new coordinator key that the next milestone announces; returns its index.
    /// Announces a new coordinator key; returns its index and note verifier key.
    func rotateCoordinatorKey() async throws -> (index: Int, verifierKey: NoteVerifierKey) {
        if stopping { throw SequencerRegistry.shuttingDown }
        let next = try await store.addCoordinatorKey(
            tenant: tenant, index: state.coordinator.index + 1, epoch: epoch)
        state.announce(next)
        wake()
        return (next.index, try NoteVerifierKey(name: state.network.origin, publicKey: next.privateKey.publicKey))
    }

    // MARK: The writer loop

    /// Wakes the loop when it waits for work, not when it backs off.
    private func wake() {
        if waiterWakesOnWork { resumeWaiter() }
    }

    private func resumeWaiter() {
        waiter?.resume()
        waiter = nil
    }

    /// The writer loop; returns after `finish()` once the accepted work is committed and confirmed, or when
    /// cancelled.
    func run() async {
        while true {
            if Task.isCancelled { stopping = true }
            if stopping && (needsReload || Task.isCancelled) {
                // No trustworthy state, or no time left: nothing more is written, whoever waits is told.
                await drainChain(cancelling: Task.isCancelled)
                failPending(with: SequencerRegistry.shuttingDown)
                return
            }
            if needsReload {
                await drainChain()
                do {
                    state = try await Self.load(tenant: tenant, store: store)
                    needsReload = false
                    if outage != nil || failures > 0 {
                        store.logger.info("ledger writer resumed", metadata: ["tenant": "\(tenant)"])
                    }
                    outage = nil
                    failures = 0
                } catch {
                    let reported = Self.reported(error)
                    if outage == nil {
                        log("cannot reload the ledger state; refusing writes until it loads", error)
                    }
                    outage = reported
                    failPending(with: reported)
                    await backOff()
                    continue
                }
            }
            do {
                if try applyFinishedLink() {
                    failures = 0
                    continue
                }
                let hasRoom = chain.count < Self.pipelineDepth
                let milestoneInFlight = chain.contains { $0.milestone != nil }
                // While stopping, the accepted entries are committed first, then one milestone confirms them.
                let milestoneDue =
                    stopping ? pending.isEmpty : ContinuousClock.now - lastMilestoneAt >= milestoneInterval
                if hasRoom && !milestoneInFlight && state.hasUnconfirmed && milestoneDue {
                    try startMilestone()
                } else if hasRoom && !pending.isEmpty {
                    try startBatch()
                } else if stopping && chain.isEmpty {
                    return
                } else {
                    // Woken by new work, a finished link or `finish()`.
                    let nextMilestone = state.hasUnconfirmed && !milestoneInFlight
                    await sleep(until: nextMilestone ? lastMilestoneAt + milestoneInterval : nil)
                }
            } catch SequencerError.lost {
                // Another worker sequences the tenant now: nothing more is written here.
                store.logger.info("another ledger worker took over the tenant", metadata: ["tenant": "\(tenant)"])
                stopping = true
                await drainChain()
                failPending(with: SequencerError.lost(tenant))
                return
            } catch {
                // The write may or may not have happened; the state is rebuilt before the next one.
                needsReload = true
                if failures == 0 { log("ledger write failed; reloading the state from the database", error) }
                let reported = Self.reported(error)
                if reported.kind == .unavailable {
                    // The database is away: whoever waits is told now, not after the rebuild failed too.
                    outage = reported
                    failPending(with: reported)
                }
                if !stopping { await backOff() }
            }
        }
    }

    /// Waits before the next attempt after a failure: 100 ms, doubling up to 1 s; `finish()` and cancellation
    /// end the wait, new submissions do not.
    private func backOff() async {
        failures += 1
        let milliseconds = min(100 << min(failures - 1, 10), 1000)
        await sleep(until: .now + .milliseconds(milliseconds), wakesOnWork: false)
    }

    /// An outage is expected and logged as a warning; anything else is an error.
    private func log(_ message: Logger.Message, _ error: any Error) {
        let metadata: Logger.Metadata = ["tenant": "\(tenant)", "error": "\(error)"]
        if Self.reported(error).kind == .unavailable {
            store.logger.warning(message, metadata: metadata)
        } else {
            store.logger.error(message, metadata: metadata)
        }
    }

    /// What a submitter is told when its commit or the state rebuild failed: domain errors as they are (the
    /// 503 of an outage among them), anything else as a 503 too, since the rebuilt state lets a retry succeed.
    private static func reported(_ error: any Error) -> any CustosError {
        (error as? any CustosError)
            ?? StoreError("the ledger could not commit the entries; retry shortly", kind: .unavailable)
    }

    private func failPending(with error: any Error) {
        let waiting = pending
        pending.removeAll()
        for request in waiting { request.continuation.resume(throwing: error) }
    }

    /// Sleeps until `deadline` (or for ever), or until `finish()`, cancellation or, when `wakesOnWork`, new work.
    private func sleep(until deadline: ContinuousClock.Instant?, wakesOnWork: Bool = true) async {
        let timer = deadline.map { deadline in
            Task {
                do { try await Task.sleep(until: deadline, clock: .continuous) } catch { return }
                self.resumeWaiter()
            }
        }
        defer { timer?.cancel() }
        waiterWakesOnWork = wakesOnWork
        defer { waiterWakesOnWork = true }
        await withTaskCancellationHandler {
            await withCheckedContinuation { waiter = $0 }
        } onCancel: {
            Task { await self.resumeWaiter() }
        }
    }

    /// Attaches the next batch and starts its commit; its submitters are answered when that has ended. When
    /// attaching fails, they get the error, which is rethrown (the state is then rebuilt).
    private func startBatch() throws {
        var taken: [Pending] = []
        var count = 0
        while let next = pending.first, taken.isEmpty || count + next.items.count <= Self.maximumBatch {
            taken.append(pending.removeFirst())
            count += next.items.count
        }
        let batch = taken
        let messages: [StoredMessage]
        do {
            messages = try state.attach(batch.flatMap(\.items), receivedAt: Date())
        } catch {
            Self.fail(batch, with: error)
            throw error
        }
        let (store, tenant, epoch) = (store, tenant, epoch)
        startLink(milestone: nil) { predecessor in
            do {
                try await store.insert(tenant: tenant, messages, epoch: epoch, after: predecessor)
            } catch {
                // The commit may or may not have happened: nothing is acknowledged, the state is rebuilt.
                Self.fail(batch, with: error)
                throw error
            }
            var offset = 0
            for request in batch {
                request.continuation.resume(returning: messages[offset..<offset + request.items.count].map(\.id))
                offset += request.items.count
            }
        }
    }

    private static func fail(_ batch: [Pending], with error: any Error) {
        let reported = reported(error)
        for request in batch { request.continuation.resume(throwing: reported) }
    }

    private func startMilestone() throws {
        lastMilestoneAt = .now
        let commit = try state.prepareMilestone(now: Date())
        let (store, tenant, epoch) = (store, tenant, epoch)
        startLink(milestone: commit) { predecessor in
            try await store.commit(tenant: tenant, commit, epoch: epoch, after: predecessor)
        }
    }

    /// Runs `commit` as the newest link of the chain; it gets the previous link to commit after.
    private func startLink(
        milestone: MilestoneCommit?, _ commit: @escaping @Sendable (Task<Void, any Error>?) async throws -> Void
    ) {
        let id = linksStarted
        linksStarted += 1
        let predecessor = chain.last?.task
        let task = Task {
            do {
                try await commit(predecessor)
                self.finished(id, .success(()))
            } catch {
                self.finished(id, .failure(error))
                throw error
            }
        }
        chain.append(Link(id: id, task: task, milestone: milestone))
        mostCommitsInFlight = max(mostCommitsInFlight, chain.count)
    }

    private func finished(_ id: UInt64, _ outcome: Result<Void, any Error>) {
        outcomes[id] = outcome
        wake()
    }

    /// Applies the oldest link when it has finished, and says whether it did: a committed milestone is
    /// confirmed; a failure is rethrown (every later link fails with it, as it cannot commit before).
    private func applyFinishedLink() throws -> Bool {
        guard let oldest = chain.first, let outcome = outcomes.removeValue(forKey: oldest.id) else { return false }
        chain.removeFirst()
        try outcome.get()
        if let commit = oldest.milestone {
            state.confirm(commit)
            store.logger.debug(
                "milestone",
                metadata: [
                    "tenant": "\(tenant)", "index": "\(commit.row.index)", "confirmed": "\(commit.leaves.count)",
                    "logSize": "\(commit.row.logSize)",
                ])
        }
        return true
    }

    /// Waits until every link in flight has ended (and answered its submitters), cancelling them first when
    /// asked; what they committed is not applied: the state is rebuilt or the loop ends after this.
    private func drainChain(cancelling: Bool = false) async {
        let links = chain
        chain.removeAll()
        if cancelling { for link in links { link.task.cancel() } }
        for link in links { _ = await link.task.result }
        outcomes.removeAll()
    }

    /// Rebuilds a tenant's state from the database and checks the log against the newest signed checkpoint.
    static func load(tenant: TenantID, store: LedgerStore) async throws -> TenantLedgerState {
        guard let network = try await store.network(tenant: tenant) else {
            throw LedgerError("tenant \(tenant) has no ledger", kind: .notFound)
        }
        let milestone = try await store.latestMilestone(tenant: tenant)
        let log = MerkleLog(
            leafHashes: try await store.leaves(tenant: tenant).map { MerkleHash.leafHash(messageID: $0) })
        if let milestone, log.size != milestone.logSize || log.root != milestone.logRoot {
            throw LedgerError(
                "ledger of \(tenant) is inconsistent: \(log.size) leaves do not match checkpoint \(milestone.index) "
                    + "(size \(milestone.logSize)); refusing to write", kind: .internalFailure)
        }
        let keyIndex = (milestone?.keyIndex ?? 0) + (milestone?.announcesNextKey == true ? 1 : 0)
        guard let coordinator = try await store.coordinatorKey(tenant: tenant, index: keyIndex) else {
            throw LedgerError("coordinator key \(keyIndex) of \(tenant) is missing", kind: .internalFailure)
        }
        let pendingKey = try await store.coordinatorKey(tenant: tenant, index: keyIndex + 1)
        // After an announced rotation the newest checkpoint was still signed by the previous key.
        let checkpointSigner =
            milestone?.announcesNextKey == true
            ? try await store.coordinatorKey(tenant: tenant, index: keyIndex - 1)?.privateKey.publicKey : nil
        let unconfirmed = try await store.unconfirmed(tenant: tenant, fromSeq: milestone?.unconfirmedFromSeq ?? 0)
        return TenantLedgerState(
            tenant: tenant, network: network, coordinator: coordinator, nextCoordinator: pendingKey, log: log,
            lastMilestone: milestone, checkpointSigner: checkpointSigner, unconfirmedRows: unconfirmed,
            nextSeq: try await store.newestSeq(tenant: tenant) + 1)
    }
}
