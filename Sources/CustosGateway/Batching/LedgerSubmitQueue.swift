import CustosClients
import CustosCore
import CustosLedger

/// Tenants' ledger entries on their way to the ledger worker, in the binary batch form.
typealias LedgerSubmitQueue = TenantSubmitQueues<LedgerEntry, Digest32>

extension TenantSubmitQueues where Item == LedgerEntry, Output == Digest32 {
    convenience init(ledger: LedgerClient) {
        self.init(maximumBatch: EntryBatch.maximumCount) { tenant, entries in
            try await ledger.submit(tenant: tenant, entries: entries).map { .success($0) }
        }
    }
}
