import CustosCore
import CustosLedger

/// One ledger actor per tenant, loaded from the database on first use.
actor SequencerRegistry {
    private let store: LedgerStore
    private let milestoneInterval: Duration
    private var ledgers: [TenantID: TenantLedger] = [:]
    private var loading: [TenantID: Task<TenantLedger, any Error>] = [:]

    init(store: LedgerStore, milestoneInterval: Duration) {
        self.store = store
        self.milestoneInterval = milestoneInterval
    }

    func ledger(for tenant: TenantID) async throws -> TenantLedger {
        if let existing = ledgers[tenant] { return existing }
        // Concurrent first requests share one load instead of racing to create two writers.
        let task =
            loading[tenant]
            ?? Task { [store, milestoneInterval] in
                let ledger = try await TenantLedger(tenant: tenant, store: store, milestoneInterval: milestoneInterval)
                await ledger.start()
                return ledger
            }
        loading[tenant] = task
        defer { loading[tenant] = nil }
        let ledger = try await task.value
        ledgers[tenant] = ledger
        return ledger
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
