import CustosCore
import CustosLedger

/// One sequencer per tenant, created on first use from the tenant's stored ledger head.
actor SequencerRegistry {
    private let store: LedgerStore
    private var sequencers: [TenantID: TenantSequencer] = [:]

    init(store: LedgerStore) { self.store = store }

    func sequencer(for tenant: TenantID) async throws -> TenantSequencer {
        if let existing = sequencers[tenant] { return existing }
        guard let network = try await store.network(tenant: tenant) else {
            throw LedgerError("tenant \(tenant) has no ledger", kind: .notFound)
        }
        // Another call may have created it while this one awaited the store.
        if let existing = sequencers[tenant] { return existing }
        let sequencer = try await TenantSequencer(tenant: tenant, networkID: network.networkID, store: store)
        sequencers[tenant] = sequencer
        return sequencer
    }
}
