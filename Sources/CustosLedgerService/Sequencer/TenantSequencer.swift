import CustosCore
import CustosLedger
import Foundation
import Logging

/// The single writer of one tenant's ledger: orders submissions, attaches them, and commits them in groups.
///
/// Submissions that arrive while a commit is in flight wait and go into the next commit together (group
/// commit), so throughput grows with load while every acknowledgement still means "committed".
actor TenantSequencer {
    struct Item: Sendable {
        var payload: TaggedData
        var contentType: String
    }

    private struct Pending {
        var items: [Item]
        var continuation: CheckedContinuation<[Digest32], any Error>
    }

    /// The most messages one commit carries.
    static let maximumBatch = 4096

    private let tenant: TenantID
    private let networkID: UInt64
    private let store: LedgerStore
    private var tip: Digest32
    private var nextSeq: Int64
    private var pending: [Pending] = []
    private var flushing = false
    private var needsReload = false

    init(tenant: TenantID, networkID: UInt64, store: LedgerStore) async throws {
        self.tenant = tenant
        self.networkID = networkID
        self.store = store
        (tip, nextSeq) = (LedgerMessage.genesisParent(networkID: networkID), 1)
        try await reload()
    }

    /// Attaches the items in order and returns their ids once they are committed.
    func submit(_ items: [Item]) async throws -> [Digest32] {
        try await withCheckedThrowingContinuation { continuation in
            pending.append(Pending(items: items, continuation: continuation))
            if !flushing {
                flushing = true
                Task { await self.flush() }
            }
        }
    }

    private func reload() async throws {
        if let newest = try await store.newest(tenant: tenant) {
            (tip, nextSeq) = (newest.id, newest.seq + 1)
        } else {
            (tip, nextSeq) = (LedgerMessage.genesisParent(networkID: networkID), 1)
        }
        needsReload = false
    }

    private func flush() async {
        while !pending.isEmpty {
            var batch: [Pending] = []
            var count = 0
            while let next = pending.first, batch.isEmpty || count + next.items.count <= Self.maximumBatch {
                batch.append(pending.removeFirst())
                count += next.items.count
            }
            do {
                if needsReload { try await reload() }
                var messages: [StoredMessage] = []
                messages.reserveCapacity(count)
                var ids: [[Digest32]] = []
                var tip = self.tip
                var seq = nextSeq
                let now = Date()
                for request in batch {
                    var requestIDs: [Digest32] = []
                    for item in request.items {
                        let message = try LedgerMessage(
                            networkID: networkID, parents: [tip], payload: .taggedData(item.payload))
                        let raw = message.serialized()
                        let id = LedgerMessage.id(of: raw)
                        messages.append(
                            StoredMessage(
                                seq: seq, id: id, message: message, raw: raw, contentType: item.contentType,
                                receivedAt: now))
                        requestIDs.append(id)
                        tip = id
                        seq += 1
                    }
                    ids.append(requestIDs)
                }
                try await store.insert(tenant: tenant, messages)
                self.tip = tip
                nextSeq = seq
                for (request, requestIDs) in zip(batch, ids) { request.continuation.resume(returning: requestIDs) }
            } catch {
                // The commit may or may not have happened; re-read the head before the next batch.
                needsReload = true
                store.logger.error("ledger commit failed", metadata: ["tenant": "\(tenant)", "error": "\(error)"])
                for request in batch { request.continuation.resume(throwing: error) }
            }
        }
        flushing = false
    }
}
