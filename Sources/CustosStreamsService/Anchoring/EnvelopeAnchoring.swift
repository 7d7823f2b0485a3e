import CustosCore
import CustosServer

/// Puts recorded envelopes on the ledger after their transaction committed, in position order per channel
/// (docs/channels.md §14): the outbox of the write path.
///
/// Writers record envelopes under the channel's row lock and commit, then wait here for their message ids. A round
/// takes what waits in the tenant's channels, in one ledger submission, while writers record the next envelopes:
/// the channel's lock is held for signing and recording only, not for the ledger hop. Up to
/// ``maximumRoundsInFlight`` rounds of a tenant run at once, never two with the same channel, so each channel's
/// rounds follow each other. A round carries the envelopes the writers handed over when they continue their
/// channel's anchored prefix, and otherwise reads what is pending from the database.
actor EnvelopeAnchoring {
    /// One round of a tenant: for each channel, anchors its batch (contiguous from the anchored prefix), or what is
    /// pending when it has none, in one ledger submission, and reads back the wanted positions' ids.
    typealias Round =
        @Sendable (_ tenant: TenantID, _ channels: [ChannelAnchoring]) async throws -> [Digest32: AnchorRound]

    private struct Waiting {
        let channelID: Digest32
        let rows: [EnvelopeRow]
        let continuation: CheckedContinuation<[Digest32], any Error>
    }

    /// The most envelopes one round carries (what a ledger batch holds) and their most bytes (half the ledger
    /// worker's body limit).
    static let roundLimit = 1000
    static let roundBytes = 8 << 20

    /// How long a tenant whose round failed refuses new channel writes, so that an unreachable ledger does not fill
    /// the outbox with entries whose writers were told to retry.
    static let failureHold: Duration = .seconds(2)

    /// Rounds of a tenant at once: while one waits for the ledger's commit, another (of other channels) is on its
    /// way, as separate channels' transactions overlapped before the outbox.
    static let maximumRoundsInFlight = 2

    /// A tenant's rounds and what waits for them.
    private struct Tenant {
        var waiting: [Waiting] = []
        /// Channels in a round under way.
        var busy: Set<Digest32> = []
        var inFlight = 0
        /// Channels whose last round left envelopes pending that nobody waits for (a crash left them): they are
        /// anchored to the end, waited for or not.
        var backlog: Set<Digest32> = []
        /// Where each channel's last round ended; rows continuing from there are handed over as they are instead
        /// of being read back.
        var prefixes: [Digest32: Int64] = [:]

        var isIdle: Bool { waiting.isEmpty && backlog.isEmpty && inFlight == 0 }
    }

    private var tenants: [TenantID: Tenant] = [:]
    private var failed: [TenantID: ContinuousClock.Instant] = [:]

    /// The message ids of the envelopes `rows` of a channel (committed before the call), once they are on the
    /// ledger. With no rows, returns after one round: what pending envelopes the channel had are anchored.
    func messageIDs(_ rows: [EnvelopeRow], tenant: TenantID, channelID: Digest32, round: @escaping Round) async throws
        -> [Digest32]
    {
        try await withCheckedThrowingContinuation { continuation in
            tenants[tenant, default: Tenant()].waiting.append(
                Waiting(channelID: channelID, rows: rows, continuation: continuation))
            schedule(tenant, round)
        }
    }

    /// A 503 when the tenant's last round failed moments ago: then nothing should be recorded.
    func checkReachable(tenant: TenantID) throws(RequestError) {
        guard let until = failed[tenant] else { return }
        guard until <= .now else {
            throw RequestError(
                .unavailable, "the channel's entries cannot be put on the ledger right now; nothing was written")
        }
        failed[tenant] = nil
    }

    /// Starts rounds for what waits in channels that no round under way holds, while there is room.
    private func schedule(_ tenant: TenantID, _ round: @escaping Round) {
        guard var state = tenants[tenant] else { return }
        defer { tenants[tenant] = state.isIdle ? nil : state }
        while state.inFlight < Self.maximumRoundsInFlight {
            // Every waiter taken here committed its envelopes before its round starts, so the round sees them.
            let taken = state.waiting.filter { !state.busy.contains($0.channelID) }
            let backlog = state.backlog.subtracting(state.busy)
            guard !taken.isEmpty || !backlog.isEmpty else { return }
            state.waiting.removeAll { !state.busy.contains($0.channelID) }
            state.backlog.subtract(backlog)
            var channels: [Digest32: [EnvelopeRow]] = Dictionary(uniqueKeysWithValues: backlog.map { ($0, []) })
            for waiter in taken { channels[waiter.channelID, default: []] += waiter.rows }
            let parts = channels.map { channelID, rows in
                let rows = rows.sorted { $0.position < $1.position }
                let contiguous =
                    !rows.isEmpty && rows.first?.position == state.prefixes[channelID]
                    && zip(rows, rows.dropFirst()).allSatisfy { $1.position == $0.position + 1 }
                return ChannelAnchoring(
                    channelID: channelID, batch: contiguous ? rows : nil, wanted: rows.map(\.position))
            }
            state.busy.formUnion(channels.keys)
            state.inFlight += 1
            Task {
                let outcome: Result<[Digest32: AnchorRound], any Error>
                do { outcome = .success(try await round(tenant, parts)) } catch { outcome = .failure(error) }
                finish(tenant, parts.map(\.channelID), taken, outcome, round)
            }
        }
    }

    /// Answers a round's waiters and starts what waits next.
    private func finish(
        _ tenant: TenantID, _ channelIDs: [Digest32], _ taken: [Waiting],
        _ result: Result<[Digest32: AnchorRound], any Error>, _ round: @escaping Round
    ) {
        var state = tenants[tenant] ?? Tenant()
        state.inFlight -= 1
        state.busy.subtract(channelIDs)
        switch result {
        case .failure:
            failed[tenant] = .now + Self.failureHold
            for waiter in taken { waiter.continuation.resume(throwing: Self.notAnchored) }
            for channelID in channelIDs { state.prefixes[channelID] = nil }
        case .success(let outcomes):
            failed[tenant] = nil
            for (channelID, outcome) in outcomes {
                if let next = outcome.nextPosition { state.prefixes[channelID] = next }
                if outcome.leftPending { state.backlog.insert(channelID) }
            }
            var unresolved: [Waiting] = []
            for waiter in taken {
                let outcome = outcomes[waiter.channelID]
                let ids = waiter.rows.compactMap { outcome?.messageIDs[$0.position] }
                if ids.count == waiter.rows.count {
                    waiter.continuation.resume(returning: ids)
                } else if outcome?.wasIdle ?? true {
                    // Nothing pending and not anchored: the envelopes are gone (the tenant was erased).
                    waiter.continuation.resume(
                        throwing: RequestError(.internalFailure, "the entry's envelope is no longer recorded"))
                } else {
                    // Behind more pending envelopes than one round takes.
                    unresolved.append(waiter)
                }
            }
            state.waiting = unresolved + state.waiting
        }
        tenants[tenant] = state
        schedule(tenant, round)
        if tenants[tenant]?.isIdle == true { tenants[tenant] = nil }
    }

    /// The error of a writer whose envelope is recorded but not on the ledger: it will be anchored later (the
    /// worker resumes pending envelopes, ``PendingEnvelopes``), so writing it again would write it twice.
    static let notAnchored = RequestError(
        .unavailable,
        "what this request wrote is recorded in the channel but not yet on the ledger, which did not answer in time; "
            + "it will be put there once the ledger is reachable, so do not repeat the request")
}
