import CustosClients
import CustosCore
import CustosLedger

/// Tenants' receipt reads on their way to the ledger worker: what many clients ask for at once goes as one call
/// with one query (docs/ledger.md §4.2), and each request still gets its own receipt or its own error.
typealias LedgerReceiptQueue = TenantSubmitQueues<Digest32, [UInt8]>

extension TenantSubmitQueues where Item == Digest32, Output == [UInt8] {
    convenience init(receiptsFrom ledger: LedgerClient) {
        self.init(maximumBatch: ReceiptBatch.maximumCount) { tenant, ids in
            try await ledger.receipts(tenant: tenant, ids: ids)
        }
    }
}
