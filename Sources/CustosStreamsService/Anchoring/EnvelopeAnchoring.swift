import CustosCore
import CustosServer

/// Puts recorded envelopes on the ledger after their transaction committed, a channel at a time, in position
/// order (docs/channels.md §14): the outbox of the write path.
///
/// Writers record envelopes under the channel's row lock and commit, then wait here for their message ids. While
/// one round of a channel waits for the ledger, writers record the next envelopes, and the next round takes all of
/// them: the channel's lock is held for signing and recording only, not for the ledger hop. In this process rounds
/// of a channel never overlap; a round carries the envelopes its writers handed over when they continue the
/// channel's anchored prefix, and otherwise reads what is pending from the database.
actor EnvelopeAnchoring {
    /// One round of a channel: anchors `batch` (contiguous from the anchored prefix), or what is pending when nil,
    /// and reads back the wanted positions' ids.
    typealias Round =
        @Sendable (_ tenant: TenantID, _ channelID: Digest32, _ batch: [EnvelopeRow]?, _ wanted: [Int64]) async throws
        -> AnchorRound

    private struct Key: Hashable {
        let tenant: TenantID
        let channelID: Digest32
    }

    private struct Waiting {
        let rows: [EnvelopeRow]
        let continuation: CheckedContinuation<[Digest32], any Error>
    }

    /// The most envelopes one round carries (what a ledger batch holds) and their most bytes (half the ledger
    /// worker's body limit).
    static let roundLimit = 1000
    static let roundBytes = 8 << 20

    /// How long a channel whose round failed refuses new writes, so that an unreachable ledger does not fill the
    /// outbox with entries whose writers were told to retry.
    static let failureHold: Duration = .seconds(2)

    private var waiting: [Key: [Waiting]] = [:]
    private var draining: Set<Key> = []
    private var failed: [Key: ContinuousClock.Instant] = [:]

    /// The message ids of the envelopes `rows` (committed before the call), once they are on the ledger. With no
    /// rows, returns after one round: what pending envelopes the channel had are anchored.
    func messageIDs(_ rows: [EnvelopeRow], tenant: TenantID, channelID: Digest32, round: @escaping Round) async throws
        -> [Digest32]
    {
        let key = Key(tenant: tenant, channelID: channelID)
        return try await withCheckedThrowingContinuation { continuation in
            waiting[key, default: []].append(Waiting(rows: rows, continuation: continuation))
            if draining.insert(key).inserted { Task { await drain(key, round) } }
        }
    }

    /// A 503 when the channel's last round failed moments ago: then nothing should be recorded.
    func checkReachable(tenant: TenantID, channelID: Digest32) throws(RequestError) {
        let key = Key(tenant: tenant, channelID: channelID)
        guard let until = failed[key] else { return }
        guard until <= .now else {
            throw RequestError(
                .unavailable, "the channel's entries cannot be put on the ledger right now; nothing was written")
        }
        failed[key] = nil
    }

    private func drain(_ key: Key, _ round: Round) async {
        // Set when a round left envelopes pending that nobody waits for (a crash left them): they are anchored to
        // the end, waited for or not.
        var backlog = false
        // Where the last round of this loop ended; rows continuing from there need not be read back.
        var prefix: Int64?
        while backlog || !(waiting[key]?.isEmpty ?? true) {
            // Every waiter taken here committed its envelopes before this round starts, so the round sees them.
            let taken = waiting[key] ?? []
            waiting[key] = []
            let rows = taken.flatMap(\.rows).sorted { $0.position < $1.position }
            let contiguous =
                !rows.isEmpty && rows.count <= Self.roundLimit && rows.first?.position == prefix
                && zip(rows, rows.dropFirst()).allSatisfy { $1.position == $0.position + 1 }
            let outcome: AnchorRound
            do {
                outcome = try await round(key.tenant, key.channelID, contiguous ? rows : nil, rows.map(\.position))
            } catch {
                failed[key] = .now + Self.failureHold
                for waiter in taken { waiter.continuation.resume(throwing: Self.notAnchored) }
                backlog = false
                prefix = nil
                continue
            }
            failed[key] = nil
            prefix = outcome.nextPosition ?? prefix
            var unresolved: [Waiting] = []
            for waiter in taken {
                let ids = waiter.rows.compactMap { outcome.messageIDs[$0.position] }
                if ids.count == waiter.rows.count {
                    waiter.continuation.resume(returning: ids)
                } else if outcome.wasIdle {
                    // Nothing pending and not anchored: the envelopes are gone (the tenant was erased).
                    waiter.continuation.resume(
                        throwing: RequestError(.internalFailure, "the entry's envelope is no longer recorded"))
                } else {
                    // Behind more pending envelopes than one round takes.
                    unresolved.append(waiter)
                }
            }
            waiting[key] = unresolved + (waiting[key] ?? [])
            backlog = outcome.leftPending
        }
        waiting[key] = nil
        draining.remove(key)
    }

    /// The error of a writer whose envelope is recorded but not on the ledger: it will be anchored later (the
    /// worker resumes pending envelopes, ``PendingEnvelopes``), so writing it again would write it twice.
    static let notAnchored = RequestError(
        .unavailable,
        "what this request wrote is recorded in the channel but not yet on the ledger, which did not answer in time; "
            + "it will be put there once the ledger is reachable, so do not repeat the request")
}
